"""Realistic answers to lesson 04's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # ---- Exercise 1: many-to-one
    Valid("build_many_to_one", "functional API", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    inputs = keras.Input(shape=(timesteps, n_features))
    last_state = layers.GRU(units)(inputs)
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(last_state))
'''),
    Valid("build_many_to_one", "Sequential with add() and a separate softmax layer", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    model = keras.Sequential()
    model.add(layers.Input(shape=(timesteps, n_features)))
    model.add(layers.GRU(units, return_sequences=False))
    model.add(layers.Dense(n_classes))
    model.add(layers.Activation("softmax"))
    return model
'''),
    Valid("build_many_to_one", "keras.layers.RNN wrapping a GRUCell", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.RNN(layers.GRUCell(units)),
                             layers.Dense(n_classes, activation="softmax")])
'''),
    Valid("build_many_to_one", "any sequence length on the time axis", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(None, n_features)), layers.GRU(units),
                             layers.Dense(n_classes, activation=keras.activations.softmax)])
'''),
    Mistake("build_many_to_one", "returns the whole sequence", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units, return_sequences=True),
                             layers.Dense(n_classes, activation="softmax")])
''', says="return_sequences"),
    Mistake("build_many_to_one", "SimpleRNN instead of GRU", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.SimpleRNN(units),
                             layers.Dense(n_classes, activation="softmax")])
''', says="recurrent layers.*GRU"),
    Mistake("build_many_to_one", "no softmax", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units), layers.Dense(n_classes)])
''', says="softmax"),
    Mistake("build_many_to_one", "sigmoid instead of softmax", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    inputs = keras.Input(shape=(timesteps, n_features))
    return keras.Model(inputs, layers.Dense(n_classes, activation="sigmoid")(layers.GRU(units)(inputs)))
''', says="softmax"),
    Mistake("build_many_to_one", "input shape written for this data set only", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(40, 1)), layers.GRU(units),
                             layers.Dense(n_classes, activation="softmax")])
''', says="input shape"),

    # ---- Exercise 2: many-to-many
    Valid("build_many_to_many", "functional API with TimeDistributed", '''
def build_many_to_many(timesteps, n_features, units):
    inputs = keras.Input(shape=(timesteps, n_features))
    states = layers.SimpleRNN(units, return_sequences=True)(inputs)
    return keras.Model(inputs, layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))(states))
'''),
    Valid("build_many_to_many", "a separate sigmoid layer", '''
def build_many_to_many(timesteps, n_features, units):
    model = keras.Sequential([layers.Input((timesteps, n_features))])
    model.add(layers.SimpleRNN(units=units, return_sequences=True))
    model.add(layers.Dense(1))
    model.add(layers.Activation(keras.activations.sigmoid))
    return model
'''),
    Mistake("build_many_to_many", "forgot return_sequences", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.SimpleRNN(units),
                             layers.Dense(1, activation="sigmoid")])
''', says="return_sequences=True"),
    Mistake("build_many_to_many", "softmax over one unit", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.SimpleRNN(units, return_sequences=True),
                             layers.Dense(1, activation="softmax")])
''', says="softmax over a single unit"),
    Mistake("build_many_to_many", "tanh output", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.SimpleRNN(units, return_sequences=True),
                             layers.Dense(1, activation="tanh")])
''', says="probabilities.*sigmoid"),
    Mistake("build_many_to_many", "relu output", '''
def build_many_to_many(timesteps, n_features, units):
    inputs = keras.Input(shape=(timesteps, n_features))
    states = layers.SimpleRNN(units, return_sequences=True)(inputs)
    return keras.Model(inputs, layers.Dense(1, activation="relu")(states))
''', says="probabilities.*sigmoid"),
    Mistake("build_many_to_many", "GRU instead of SimpleRNN", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units, return_sequences=True),
                             layers.Dense(1, activation="sigmoid")])
''', says="recurrent layers.*SimpleRNN"),

    # ---- Exercise 3: encoder-decoder
    Valid("build_encoder_decoder", "functional API", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    chars = keras.Input(shape=(in_len,), dtype="int32")
    context = layers.GRU(units)(layers.Embedding(input_dim=in_vocab, output_dim=embed_dim)(chars))
    decoded = layers.GRU(units, return_sequences=True)(layers.RepeatVector(out_len)(context))
    return keras.Model(chars, layers.Dense(out_vocab, activation="softmax")(decoded))
'''),
    Valid("build_encoder_decoder", "named encoder and decoder, TimeDistributed read-out", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    encoder = layers.GRU(units, return_sequences=False, name="encoder")
    decoder = layers.GRU(units, return_sequences=True, name="decoder")
    model = keras.Sequential(name="date_translator")
    for layer in [keras.Input((in_len,)), layers.Embedding(in_vocab, embed_dim), encoder,
                  layers.RepeatVector(out_len), decoder, layers.TimeDistributed(layers.Dense(out_vocab)),
                  layers.Softmax()]:
        model.add(layer)
    return model
'''),
    Mistake("build_encoder_decoder", "no RepeatVector", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.GRU(units),
                             layers.GRU(units, return_sequences=True), layers.Dense(out_vocab, activation="softmax")])
''', says="RepeatVector"),
    Mistake("build_encoder_decoder", "encoder returns its whole sequence", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim),
                             layers.GRU(units, return_sequences=True),
                             layers.GRU(units, return_sequences=True), layers.Dense(out_vocab, activation="softmax")])
''', says="encoder.*return_sequences=False"),
    Mistake("build_encoder_decoder", "decoder returns only its last state", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.GRU(units),
                             layers.RepeatVector(out_len), layers.GRU(units),
                             layers.Dense(out_vocab, activation="softmax")])
''', says="decoder.*return_sequences=True"),
    Mistake("build_encoder_decoder", "repeats the context in_len times", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.GRU(units),
                             layers.RepeatVector(in_len), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
''', says=r"RepeatVector\(out_len\)"),
    Mistake("build_encoder_decoder", "embedding size fixed at 16", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, 16), layers.GRU(units),
                             layers.RepeatVector(out_len), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
''', says="parameter count.*embed_dim"),

    # ---- Exercise 4: one-to-many
    Valid("build_one_to_many", "functional API, explicit linear activation", '''
def build_one_to_many(cond_dim, timesteps, units):
    condition = keras.Input(shape=(cond_dim,))
    states = layers.GRU(units, return_sequences=True)(layers.RepeatVector(timesteps)(condition))
    return keras.Model(condition, layers.Dense(1, activation="linear")(states))
'''),
    Valid("build_one_to_many", "TimeDistributed read-out, activation=None", '''
def build_one_to_many(cond_dim, timesteps, units):
    model = keras.Sequential()
    model.add(keras.Input((cond_dim,)))
    model.add(layers.RepeatVector(n=timesteps))
    model.add(layers.GRU(units, return_sequences=True))
    model.add(layers.TimeDistributed(layers.Dense(1, activation=None)))
    return model
'''),
    Mistake("build_one_to_many", "tanh read-out", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.RepeatVector(timesteps),
                             layers.GRU(units, return_sequences=True), layers.Dense(1, activation="tanh")])
''', says="not a linear read-out.*tanh"),
    Mistake("build_one_to_many", "relu read-out", '''
def build_one_to_many(cond_dim, timesteps, units):
    condition = keras.Input(shape=(cond_dim,))
    states = layers.GRU(units, return_sequences=True)(layers.RepeatVector(timesteps)(condition))
    return keras.Model(condition, layers.Dense(1, activation="relu")(states))
''', says="not a linear read-out.*relu"),
    Mistake("build_one_to_many", "forgot return_sequences", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.RepeatVector(timesteps),
                             layers.GRU(units), layers.Dense(1)])
''', says="return_sequences=True"),
    Mistake("build_one_to_many", "a sequence as input instead of RepeatVector", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(timesteps, cond_dim)),
                             layers.GRU(units, return_sequences=True), layers.Dense(1)])
''', says="input shape.*one vector"),
    Mistake("build_one_to_many", "LSTM instead of GRU", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.RepeatVector(timesteps),
                             layers.LSTM(units, return_sequences=True), layers.Dense(1)])
''', says="recurrent layers.*GRU"),

    # ---- Exercise 5: bidirectional gap filler
    Valid("build_gap_filler", "functional API", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    inputs = keras.Input(shape=(timesteps, n_features))
    rnn = layers.SimpleRNN(units, return_sequences=True)
    states = layers.Bidirectional(rnn, merge_mode="concat")(inputs) if bidirectional else rnn(inputs)
    return keras.Model(inputs, layers.Dense(1)(states))
'''),
    Valid("build_gap_filler", "two branches, TimeDistributed read-out", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    if bidirectional:
        recurrent = layers.Bidirectional(layers.SimpleRNN(units, return_sequences=True))
    else:
        recurrent = layers.SimpleRNN(units, return_sequences=True)
    model = keras.Sequential([keras.Input((timesteps, n_features)), recurrent])
    model.add(layers.TimeDistributed(layers.Dense(1)))
    return model
'''),
    Mistake("build_gap_filler", "always bidirectional", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(layers.SimpleRNN(units, return_sequences=True)), layers.Dense(1)])
''', says="bidirectional=False.*not wrapped"),
    Mistake("build_gap_filler", "never bidirectional", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.SimpleRNN(units, return_sequences=True), layers.Dense(1)])
''', says="bidirectional=True.*wrap"),
    Mistake("build_gap_filler", "sums the two directions", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn, merge_mode="sum") if bidirectional else rnn, layers.Dense(1)])
''', says="merge_mode"),
    Mistake("build_gap_filler", "forgot return_sequences", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1)])
''', says="last state.*return_sequences=True"),
    Mistake("build_gap_filler", "tanh read-out", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1, activation="tanh")])
''', says="not a linear read-out.*tanh"),
    Mistake("build_gap_filler", "bidirectional GRU", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    if bidirectional:
        rnn = layers.Bidirectional(layers.GRU(units, return_sequences=True))
    else:
        rnn = layers.SimpleRNN(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)), rnn, layers.Dense(1)])
''', says="inside Bidirectional"),
]
