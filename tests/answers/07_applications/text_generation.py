"""Realistic answers to lesson 7.1's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: make_char_windows
    Valid("make_char_windows", "sliding_window_view on ids[:-1] and ids[1:]", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    X = np.lib.stride_tricks.sliding_window_view(ids[:-1], seq_len)[::stride]
    Y = np.lib.stride_tricks.sliding_window_view(ids[1:], seq_len)[::stride]
    return X.copy(), Y.copy()
'''),
    Valid("make_char_windows", "while loop with lists", '''
def make_char_windows(ids, seq_len, stride):
    X, Y = [], []
    s = 0
    while s + seq_len + 1 <= len(ids):
        X.append(list(ids[s:s + seq_len]))
        Y.append(list(ids[s + 1:s + seq_len + 1]))
        s += stride
    return np.array(X, dtype=np.int64), np.array(Y, dtype=np.int64)
'''),
    Mistake("make_char_windows", "target not shifted", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len, stride)
    X = np.stack([ids[s:s + seq_len] for s in starts])
    return X, X.copy()
''', says="shifted by ONE"),
    Mistake("make_char_windows", "stride ignored", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(len(ids) - seq_len)
    return np.stack([ids[s:s + seq_len] for s in starts]), np.stack([ids[s + 1:s + seq_len + 1] for s in starts])
''', says="every `stride` characters"),
    Mistake("make_char_windows", "one window too few", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len - stride, stride)
    return np.stack([ids[s:s + seq_len] for s in starts]), np.stack([ids[s + 1:s + seq_len + 1] for s in starts])
''', says="dropped the window"),
    Mistake("make_char_windows", "target shifted by two", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len - 1, stride)
    return np.stack([ids[s:s + seq_len] for s in starts]), np.stack([ids[s + 2:s + seq_len + 2] for s in starts])
''', says="shifted by ONE"),
    Mistake("make_char_windows", "one window too many (the last target runs off the end)", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len + 1, stride)
    return np.stack([ids[s:s + seq_len] for s in starts]), np.stack([ids[s + 1:s + seq_len + 1] for s in starts])
''', says="past the end of ids"),
    Mistake("make_char_windows", "input windows one character too long", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len, stride)
    return np.stack([ids[s:s + seq_len + 1] for s in starts]), np.stack([ids[s + 1:s + seq_len + 1] for s in starts])
''', says="one too many"),
    Mistake("make_char_windows", "target windows one character short", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    starts = range(0, len(ids) - seq_len, stride)
    return np.stack([ids[s:s + seq_len] for s in starts]), np.stack([ids[s + 1:s + seq_len] for s in starts])
''', says="one too few"),
    Valid("make_char_windows", "reshape of the text cut to whole windows when stride == seq_len, else a loop", '''
def make_char_windows(ids, seq_len, stride):
    ids = np.asarray(ids)
    if stride == seq_len:
        n = (len(ids) - 1) // seq_len
        return ids[:n * seq_len].reshape(n, seq_len), ids[1:n * seq_len + 1].reshape(n, seq_len)
    X = [ids[s:s + seq_len] for s in range(0, len(ids) - seq_len, stride)]
    Y = [ids[s + 1:s + 1 + seq_len] for s in range(0, len(ids) - seq_len, stride)]
    return np.array(X), np.array(Y)
'''),

    # Exercise 2: build_char_model, a design task: any causal model with per-step logits gets full marks
    Valid("build_char_model", "functional API", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim)(inputs)
    x = keras.layers.GRU(units, return_sequences=True)(x)
    return keras.Model(inputs, keras.layers.Dense(vocab_size)(x))
'''),
    Valid("build_char_model", "Sequential.add with an RNN(GRUCell)", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    model = keras.Sequential()
    model.add(keras.Input(shape=(None,), dtype="int32"))
    model.add(keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim))
    model.add(keras.layers.RNN(keras.layers.GRUCell(units), return_sequences=True))
    model.add(keras.layers.Dense(vocab_size, activation=None))
    return model
'''),
    Valid("build_char_model", "an LSTM", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.LSTM(units, return_sequences=True), keras.layers.Dense(vocab_size)])
'''),
    Valid("build_char_model", "two stacked SimpleRNNs, a hidden Dense layer, TimeDistributed read-out", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.SimpleRNN(units, return_sequences=True),
                             keras.layers.SimpleRNN(units, return_sequences=True),
                             keras.layers.Dense(units, activation="relu"),
                             keras.layers.TimeDistributed(keras.layers.Dense(vocab_size))])
'''),
    Valid("build_char_model", "a recurrent sub-model inside a functional model", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    core = keras.Sequential([keras.Input(shape=(None, embed_dim)), keras.layers.GRU(units, return_sequences=True)],
                            name="core")
    ids = keras.Input(shape=(None,), dtype="int32")
    states = core(keras.layers.Embedding(vocab_size, embed_dim)(ids))
    return keras.Model(ids, keras.layers.Dense(vocab_size)(states))
'''),
    Mistake("build_char_model", "no return_sequences", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.GRU(units), keras.layers.Dense(vocab_size)])
''', says="return_sequences=True"),
    Mistake("build_char_model", "mask_zero=True (character 0 is masked out)", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                             keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.GRU(units, return_sequences=True), keras.layers.Dense(vocab_size)])
''', says="skips character id 0.*mask_zero"),
    Mistake("build_char_model", "softmax output", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.GRU(units, return_sequences=True),
                             keras.layers.Dense(vocab_size, activation="softmax")])
''', says="linear read-out.*logits"),
    Mistake("build_char_model", "a bidirectional layer (sees the characters to come)", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.Bidirectional(keras.layers.GRU(units // 2, return_sequences=True)),
                             keras.layers.Dense(vocab_size)])
''', says="depends on later characters.*Bidirectional"),
    Mistake("build_char_model", "no recurrent layer (Embedding then Dense)", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.Dense(units, activation="tanh"), keras.layers.Dense(vocab_size)])
''', says="characters before it"),
    Mistake("build_char_model", "sizes hard-coded to the defaults (shows only on other sizes)", '''
def build_char_model(vocab_size, embed_dim=32, units=64):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, 32),
                             keras.layers.GRU(64, return_sequences=True), keras.layers.Dense(vocab_size)])
''', says="embed_dim=5"),

    # Exercise 3: sample_with_temperature
    Valid("sample_with_temperature", "Gumbel-max trick", '''
def sample_with_temperature(probs, temperature, rng):
    probs = np.asarray(probs, dtype=float)
    if temperature == 0:
        return int(np.argmax(probs))
    with np.errstate(divide="ignore"):
        scores = np.log(probs) / temperature
    return int(np.argmax(scores + rng.gumbel(size=len(probs))))
'''),
    Valid("sample_with_temperature", "inverse CDF with rng.random", '''
def sample_with_temperature(probs, temperature, rng):
    p = np.array(probs, dtype=np.float64)
    if temperature <= 0:
        return int(p.argmax())
    logp = np.full(len(p), -np.inf)
    logp[p > 0] = np.log(p[p > 0]) / temperature
    q = np.exp(logp - logp.max())
    cdf = np.cumsum(q / q.sum())
    return int(min(np.searchsorted(cdf, rng.random(), side="right"), len(p) - 1))
'''),
    Mistake("sample_with_temperature", "multiplies by the temperature", '''
def sample_with_temperature(probs, temperature, rng):
    probs = np.asarray(probs, dtype=float)
    if temperature == 0:
        return int(np.argmax(probs))
    with np.errstate(divide="ignore"):
        logits = np.log(probs) * temperature
    w = np.exp(logits - logits.max())
    return int(rng.choice(len(probs), p=w / w.sum()))
''', says="do not multiply"),
    Mistake("sample_with_temperature", "no greedy case for temperature 0", '''
def sample_with_temperature(probs, temperature, rng):
    with np.errstate(divide="ignore", invalid="ignore"):
        logits = np.log(np.asarray(probs, dtype=float)) / temperature
    w = np.exp(logits - np.max(logits))
    return int(rng.choice(len(probs), p=w / w.sum()))
''', says="greedy"),
    Mistake("sample_with_temperature", "ignores the rng", '''
def sample_with_temperature(probs, temperature, rng):
    probs = np.asarray(probs, dtype=float)
    if temperature == 0:
        return int(np.argmax(probs))
    with np.errstate(divide="ignore"):
        logits = np.log(probs) / temperature
    w = np.exp(logits - logits.max())
    return int(np.random.choice(len(probs), p=w / w.sum()))
''', says="rng passed in"),
    Mistake("sample_with_temperature", "returns an array of one index", '''
def sample_with_temperature(probs, temperature, rng):
    probs = np.asarray(probs, dtype=float)
    if temperature == 0:
        return np.argmax(probs, keepdims=True)
    with np.errstate(divide="ignore"):
        logits = np.log(probs) / temperature
    w = np.exp(logits - logits.max())
    return rng.choice(len(probs), size=1, p=w / w.sum())
''', says="one index"),

    # Exercise 4: generate
    Valid("generate", "tf.random.categorical on logits / T", '''
import tensorflow as tf
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text = seed_text
    for _ in range(length):
        logits = model.predict_on_batch(vocab.encode(text[-context:])[None, :])[0, -1]
        if temperature == 0:
            next_id = int(np.argmax(logits))
        else:
            next_id = int(tf.random.categorical(np.asarray(logits, dtype=np.float32)[None, :] / temperature, 1)[0, 0])
        text += vocab.decode([next_id])
    return text
'''),
    Valid("generate", "model(x), scipy softmax, np.random.choice", '''
from scipy.special import softmax
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    out = list(seed_text)
    for _ in range(length):
        x = vocab.encode("".join(out)[-context:]).reshape(1, -1)
        logits = np.asarray(model(x), dtype=np.float64)[0, -1]
        if temperature == 0:
            out.append(vocab.chars[int(np.argmax(logits))])
        else:
            out.append(vocab.chars[np.random.choice(len(logits), p=softmax(logits / temperature))])
    return "".join(out)
'''),
    Valid("generate", "softmax by hand, sample_with_temperature, list of characters", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    chars = list(seed_text)
    for _ in range(length):
        window = "".join(chars[-context:])
        logits = model.predict_on_batch(np.array([vocab.encode(window)]))[0][-1]
        e = np.exp(np.asarray(logits, dtype=np.float64) - np.max(logits))
        chars.append(vocab.decode([sample_with_temperature(e / e.sum(), temperature, rng)]))
    return "".join(chars)
'''),
    Mistake("generate", "always the argmax, temperature ignored", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text = seed_text
    for _ in range(length):
        logits = np.asarray(model.predict_on_batch(vocab.encode(text[-context:])[None, :]))[0, -1]
        text += vocab.decode([int(np.argmax(logits))])
    return text
''', says="ignores the temperature"),
    Mistake("generate", "first time step instead of the last", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text = seed_text
    for _ in range(length):
        logits = np.asarray(model.predict_on_batch(vocab.encode(text[-context:])[None, :]))[0, 0].astype(np.float64)
        probs = np.exp(logits - logits.max())
        text += vocab.decode([sample_with_temperature(probs / probs.sum(), temperature, rng)])
    return text
''', says="LAST time step"),
    Mistake("generate", "reads the whole text instead of the last context characters", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text = seed_text
    for _ in range(length):
        logits = np.asarray(model.predict_on_batch(vocab.encode(text)[None, :]))[0, -1].astype(np.float64)
        probs = np.exp(logits - logits.max())
        text += vocab.decode([sample_with_temperature(probs / probs.sum(), temperature, rng)])
    return text
''', says="last `context` characters"),
    Mistake("generate", "logits passed as probabilities", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text = seed_text
    for _ in range(length):
        logits = np.asarray(model.predict_on_batch(vocab.encode(text[-context:])[None, :]))[0, -1].astype(np.float64)
        text += vocab.decode([sample_with_temperature(logits, temperature, rng)])
    return text
''', says="softmax"),
    Mistake("generate", "returns only the new characters", '''
def generate(model, seed_text, length, temperature, rng, vocab, context=64):
    text, new = seed_text, ""
    for _ in range(length):
        logits = np.asarray(model.predict_on_batch(vocab.encode(text[-context:])[None, :]))[0, -1].astype(np.float64)
        probs = np.exp(logits - logits.max())
        c = vocab.decode([sample_with_temperature(probs / probs.sum(), temperature, rng)])
        text += c
        new += c
    return new
''', says="seed followed"),
]
