"""Realistic answers to lesson 7.3's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: make_sorting_pairs
    Valid("make_sorting_pairs", "start column stacked in front, last column dropped", '''
def make_sorting_pairs(n, length, vocab, rng):
    encoder_in = rng.integers(vocab, size=(n, length))
    target = np.sort(encoder_in, axis=-1)
    decoder_in = np.hstack([np.full((n, 1), vocab, dtype=target.dtype), target])[:, :-1]
    return encoder_in, decoder_in, target
'''),
    Valid("make_sorting_pairs", "np.roll, then the start token written over the wrapped-around element", '''
def make_sorting_pairs(n, length, vocab, rng):
    encoder_in = rng.integers(low=0, high=vocab, size=(n, length))
    target = np.sort(encoder_in)
    decoder_in = np.roll(target, shift=1, axis=-1)
    decoder_in[:, 0] = vocab
    return encoder_in, decoder_in, target
'''),
    Valid("make_sorting_pairs", "row by row with sorted()", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.array([sorted(row) for row in enc], dtype=np.int64).reshape(n, length)
    dec = np.empty_like(tgt)
    dec[:, 0] = vocab
    dec[:, 1:] = tgt[:, :-1]
    return enc, dec, tgt
'''),
    Mistake("make_sorting_pairs", "sorts the whole array", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=None).reshape(n, length)
    dec = np.concatenate([np.full((n, 1), vocab), tgt[:, :-1]], axis=1)
    return enc, dec, tgt
''', says="axis=1"),
    Mistake("make_sorting_pairs", "sorts the encoder input in place (target = encoder_in; target.sort)", '''
def make_sorting_pairs(n, length, vocab, rng):
    encoder_in = rng.integers(0, vocab, size=(n, length))
    target = encoder_in
    target.sort(axis=1)
    decoder_in = np.concatenate([np.full((n, 1), vocab), target[:, :-1]], axis=1)
    return encoder_in, decoder_in, target
''', says="sorted: the encoder input"),
    Mistake("make_sorting_pairs", "decoder input is the target itself", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    return enc, tgt.copy(), tgt
''', says="equals the target"),
    Mistake("make_sorting_pairs", "start token 0 (a digit)", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    dec = np.concatenate([np.zeros((n, 1), dtype=tgt.dtype), tgt[:, :-1]], axis=1)
    return enc, dec, tgt
''', says="start token <s>, whose id is vocab"),
    Mistake("make_sorting_pairs", "start token vocab - 1 (the largest digit)", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    dec = np.concatenate([np.full((n, 1), vocab - 1), tgt[:, :-1]], axis=1)
    return enc, dec, tgt
''', says="whose id is vocab"),
    Mistake("make_sorting_pairs", "shifted left, start token at the end", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    dec = np.concatenate([tgt[:, 1:], np.full((n, 1), vocab)], axis=1)
    return enc, dec, tgt
''', says="shifted LEFT"),
    Mistake("make_sorting_pairs", "np.roll without replacing the wrapped-around element", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    return enc, np.roll(tgt, 1, axis=1), tgt
''', says="first decoder input is the start token"),
    Mistake("make_sorting_pairs", "the encoder input shifted instead of the target", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = rng.integers(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    dec = np.concatenate([np.full((n, 1), vocab), enc[:, :-1]], axis=1)
    return enc, dec, tgt
''', says="target shifted right"),
    Mistake("make_sorting_pairs", "np.random instead of the rng", '''
def make_sorting_pairs(n, length, vocab, rng):
    enc = np.random.randint(0, vocab, size=(n, length))
    tgt = np.sort(enc, axis=1)
    dec = np.concatenate([np.full((n, 1), vocab), tgt[:, :-1]], axis=1)
    return enc, dec, tgt
''', says="rng passed in"),

    # Exercise 2: build_sorter
    Valid("build_sorter", "RNN layers wrapping LSTM cells", '''
def build_sorter(vocab, units=64, embed_dim=16):
    enc_in = keras.Input(shape=(None,), dtype="int32")
    dec_in = keras.Input(shape=(None,), dtype="int32")
    _, h, c = keras.layers.RNN(keras.layers.LSTMCell(units), return_state=True)(keras.layers.Embedding(vocab, embed_dim)(enc_in))
    seq = keras.layers.RNN(keras.layers.LSTMCell(units), return_sequences=True)(
        keras.layers.Embedding(vocab + 1, embed_dim)(dec_in), initial_state=[h, c])
    return keras.Model(inputs=[enc_in, dec_in], outputs=keras.layers.Dense(vocab, activation=None)(seq))
'''),
    Valid("build_sorter", "decoder that also returns its states", '''
def build_sorter(vocab, units=64, embed_dim=16):
    source = keras.Input(shape=(None,), dtype="int32")
    shifted = keras.Input(shape=(None,), dtype="int32")
    encoder = keras.layers.LSTM(units, return_state=True)
    decoder = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    _, *states = encoder(keras.layers.Embedding(vocab, embed_dim)(source))
    outputs, _, _ = decoder(keras.layers.Embedding(vocab + 1, embed_dim)(shifted), initial_state=states)
    return keras.Model([source, shifted], keras.layers.Dense(vocab)(outputs))
'''),
    Valid("build_sorter", "the encoder as its own keras.Model, called inside the training model", '''
def build_sorter(vocab, units=64, embed_dim=16):
    enc_tokens = keras.Input(shape=(None,), dtype="int32")
    _, a_T, c_T = keras.layers.LSTM(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(enc_tokens))
    encoder = keras.Model(enc_tokens, [a_T, c_T], name="encoder")
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    states = encoder(encoder_in)
    y = keras.layers.LSTM(units, return_sequences=True)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in),
                                                        initial_state=states)
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab)(y))
'''),
    Mistake("build_sorter", "the encoder's states handed over in the wrong order", '''
def build_sorter(vocab, units=64, embed_dim=16):
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    _, state_a, state_c = keras.layers.LSTM(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(encoder_in))
    y = keras.layers.LSTM(units, return_sequences=True)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in),
                                                        initial_state=[state_c, state_a])
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab)(y))
''', says="wrong order"),
    Mistake("build_sorter", "decoder not started from the encoder's states", '''
def build_sorter(vocab, units=64, embed_dim=16):
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    _, state_a, state_c = keras.layers.LSTM(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(encoder_in))
    y = keras.layers.LSTM(units, return_sequences=True)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in))
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab)(y))
''', says="encoder's final states"),
    Mistake("build_sorter", "decoder without return_sequences", '''
def build_sorter(vocab, units=64, embed_dim=16):
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    _, state_a, state_c = keras.layers.LSTM(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(encoder_in))
    y = keras.layers.LSTM(units)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in), initial_state=[state_a, state_c])
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab)(y))
''', says="return_sequences=True"),
    Mistake("build_sorter", "softmax output", '''
def build_sorter(vocab, units=64, embed_dim=16):
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    _, state_a, state_c = keras.layers.LSTM(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(encoder_in))
    y = keras.layers.LSTM(units, return_sequences=True)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in),
                                                        initial_state=[state_a, state_c])
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab, activation="softmax")(y))
''', says="logits"),
    Mistake("build_sorter", "GRUs instead of LSTMs", '''
def build_sorter(vocab, units=64, embed_dim=16):
    encoder_in = keras.Input(shape=(None,), dtype="int32")
    decoder_in = keras.Input(shape=(None,), dtype="int32")
    _, state = keras.layers.GRU(units, return_state=True)(keras.layers.Embedding(vocab, embed_dim)(encoder_in))
    y = keras.layers.GRU(units, return_sequences=True)(keras.layers.Embedding(vocab + 1, embed_dim)(decoder_in),
                                                       initial_state=state)
    return keras.Model([encoder_in, decoder_in], keras.layers.Dense(vocab)(y))
''', says="LSTM"),

    # Exercise 3: sequence_accuracies
    Valid("sequence_accuracies", "explicit loops, returns a list", '''
def sequence_accuracies(predicted, target):
    hits, whole = 0, 0
    for p_row, t_row in zip(predicted, target):
        row_hits = sum(int(p == t) for p, t in zip(p_row, t_row))
        hits += row_hits
        whole += int(row_hits == len(t_row))
    return [hits / (len(target) * len(target[0])), whole / len(target)]
'''),
    Valid("sequence_accuracies", "np.array_equal per row", '''
def sequence_accuracies(predicted, target):
    predicted, target = np.asarray(predicted), np.asarray(target)
    whole = np.mean([np.array_equal(p, t) for p, t in zip(predicted, target)])
    return np.mean(predicted == target).item(), float(whole)
'''),
    Mistake("sequence_accuracies", "whole-sequence counted with any()", '''
def sequence_accuracies(predicted, target):
    correct = np.asarray(predicted) == np.asarray(target)
    return float(correct.mean()), float(correct.any(axis=1).mean())
''', says="every position"),
    Mistake("sequence_accuracies", "counts instead of fractions", '''
def sequence_accuracies(predicted, target):
    correct = np.asarray(predicted) == np.asarray(target)
    return float(correct.sum()), float(correct.all(axis=1).sum())
''', says="n \\* length positions"),
    Mistake("sequence_accuracies", "whole-sequence accuracy per column", '''
def sequence_accuracies(predicted, target):
    correct = np.asarray(predicted) == np.asarray(target)
    return float(correct.mean()), float(correct.all(axis=0).mean())
''', says="every position"),
]
