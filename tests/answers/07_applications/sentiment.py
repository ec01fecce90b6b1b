"""Realistic answers to lesson 7.5's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: vectorize
    Valid("vectorize", "list comprehension and np.pad", '''
def vectorize(texts, vocabulary, max_len):
    ids = {w: i for i, w in enumerate(vocabulary, start=2)}
    rows = []
    for text in texts:
        row = [ids.get(w, 1) for w in text.lower().split()][:max_len]
        rows.append(np.pad(row, (0, max_len - len(row))))
    return np.array(rows, dtype=np.int64).reshape(len(texts), max_len)
'''),
    Valid("vectorize", "keras TextVectorization", '''
def vectorize(texts, vocabulary, max_len):
    layer = keras.layers.TextVectorization(vocabulary=list(vocabulary), standardize="lower", split="whitespace",
                                           output_sequence_length=max_len)
    return np.asarray(layer(list(texts))).astype("int32")
'''),
    Mistake("vectorize", "pads at the front", '''
def vectorize(texts, vocabulary, max_len):
    index = {w: j + 2 for j, w in enumerate(vocabulary)}
    out = np.zeros((len(texts), max_len), dtype=np.int32)
    for r, text in enumerate(texts):
        ids = [index.get(w, 1) for w in text.lower().split()][:max_len]
        if ids:
            out[r, max_len - len(ids):] = ids
    return out
''', says="pad at the END"),
    Mistake("vectorize", "ids start at 1", '''
def vectorize(texts, vocabulary, max_len):
    index = {w: j + 1 for j, w in enumerate(vocabulary)}
    out = np.zeros((len(texts), max_len), dtype=np.int32)
    for r, text in enumerate(texts):
        ids = [index.get(w, 1) for w in text.lower().split()][:max_len]
        out[r, :len(ids)] = ids
    return out
''', says="j \\+ 2"),
    Mistake("vectorize", "no lower-casing", '''
def vectorize(texts, vocabulary, max_len):
    index = {w: j + 2 for j, w in enumerate(vocabulary)}
    out = np.zeros((len(texts), max_len), dtype=np.int32)
    for r, text in enumerate(texts):
        ids = [index.get(w, 1) for w in text.split()][:max_len]
        out[r, :len(ids)] = ids
    return out
''', says="lower-case"),
    Mistake("vectorize", "keeps the last max_len words", '''
def vectorize(texts, vocabulary, max_len):
    index = {w: j + 2 for j, w in enumerate(vocabulary)}
    out = np.zeros((len(texts), max_len), dtype=np.int32)
    for r, text in enumerate(texts):
        ids = [index.get(w, 1) for w in text.lower().split()][-max_len:]
        out[r, :len(ids)] = ids
    return out
''', says="FIRST max_len"),
    Mistake("vectorize", "splits on single spaces", '''
def vectorize(texts, vocabulary, max_len):
    index = {w: j + 2 for j, w in enumerate(vocabulary)}
    out = np.zeros((len(texts), max_len), dtype=np.int32)
    for r, text in enumerate(texts):
        ids = [index.get(w, 1) for w in text.lower().split(" ")][:max_len]
        out[r, :len(ids)] = ids
    return out
''', says="split\\(\\) with no argument"),

    # Exercise 2: build_birnn, a design task: any model that does the task gets full marks
    Valid("build_birnn", "functional API", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(inputs)
    rnn = keras.layers.LSTM(units) if cell == "lstm" else keras.layers.GRU(units)
    x = keras.layers.Bidirectional(rnn, merge_mode="concat")(x)
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))
'''),
    Valid("build_birnn", "Bidirectional around keras.layers.RNN with a cell", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    make_cell = keras.layers.LSTMCell if cell == "lstm" else keras.layers.GRUCell
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                             keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(keras.layers.RNN(make_cell(units))),
                             keras.layers.Dense(1, activation="sigmoid")])
'''),
    Valid("build_birnn", "Sequential.add with keyword arguments", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    model = keras.Sequential()
    model.add(keras.Input(shape=(None,), dtype="int32"))
    model.add(keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim, mask_zero=True))
    layer_cls = getattr(keras.layers, cell.upper())
    model.add(keras.layers.Bidirectional(layer_cls(units=units)))
    model.add(keras.layers.Dense(units=1, activation=keras.activations.sigmoid))
    return model
'''),
    Valid("build_birnn", "two stacked bidirectional layers and a hidden Dense layer", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                             keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(rnn(units, return_sequences=True)),
                             keras.layers.Bidirectional(rnn(units), merge_mode="sum"),
                             keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])
'''),
    Valid("build_birnn", "a forward and a go_backwards layer, concatenated (functional)", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    ids = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(ids)
    both = keras.layers.Concatenate()([rnn(units)(x), rnn(units, go_backwards=True)(x)])
    return keras.Model(ids, keras.layers.Dense(1, activation="sigmoid")(both))
'''),
    Valid("build_birnn", "an encoder sub-model, masked average over the steps", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    encoder = keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                                keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                                keras.layers.Bidirectional(rnn(units, return_sequences=True)),
                                keras.layers.GlobalAveragePooling1D()], name="encoder")
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), encoder,
                             keras.layers.Dense(1, activation="sigmoid")])
'''),
    Mistake("build_birnn", "no mask", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim),
                             keras.layers.Bidirectional(rnn(units)), keras.layers.Dense(1, activation="sigmoid")])
''', says="padding steps.*mask_zero=True"),
    Mistake("build_birnn", "not bidirectional", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             rnn(units), keras.layers.Dense(1, activation="sigmoid")])
''', says="from the end.*Bidirectional"),
    Mistake("build_birnn", "two softmax outputs", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(rnn(units)), keras.layers.Dense(2, activation="softmax")])
''', says="Dense\\(1, activation='sigmoid'\\)"),
    Mistake("build_birnn", "return_sequences=True: one probability per word", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(rnn(units, return_sequences=True)),
                             keras.layers.Dense(1, activation="sigmoid")])
''', says="not one per word.*return_sequences=False"),
    Mistake("build_birnn", "cell argument ignored", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(keras.layers.GRU(units)), keras.layers.Dense(1, activation="sigmoid")])
''', says="cell='lstm' should give LSTM"),
    Mistake("build_birnn", "embed_dim hard-coded (shows only on another size)", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, 8, mask_zero=True),
                             keras.layers.Bidirectional(rnn(units)), keras.layers.Dense(1, activation="sigmoid")])
''', says="embed_dim=5"),
    Mistake("build_birnn", "no output activation", '''
def build_birnn(vocab_size, embed_dim, units, cell="gru"):
    rnn = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
                             keras.layers.Bidirectional(rnn(units)), keras.layers.Dense(1)])
''', says="probabilities|sigmoid"),
]
