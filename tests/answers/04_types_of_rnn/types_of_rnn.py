"""Realistic answers to lesson 04's exercises (see autograder/corpus.py).

The five builders are design tasks: any model that meets the task (its shapes, causal or not, which
input steps must reach which outputs) is valid, whatever its recurrent layers are. So the valid
answers below vary the design (GRU, LSTM, SimpleRNN, keras.layers.RNN(cell), stacked layers, an
extra Dense, Sequential or functional); the mistakes break the task, and each check's message names
what broke.
"""
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
    Valid("build_many_to_one", "LSTM", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.LSTM(units),
                             layers.Dense(n_classes, activation="softmax")])
'''),
    Valid("build_many_to_one", "SimpleRNN", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.SimpleRNN(units),
                             layers.Dense(n_classes, activation="softmax")])
'''),
    Valid("build_many_to_one", "two stacked GRUs and a hidden Dense layer", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    inputs = keras.Input(shape=(timesteps, n_features))
    states = layers.GRU(units, return_sequences=True)(inputs)
    last = layers.GRU(units)(states)
    hidden = layers.Dense(2 * units, activation="relu")(last)
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(hidden))
'''),
    Valid("build_many_to_one", "bidirectional LSTM", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.Bidirectional(layers.LSTM(units)),
                             layers.Dense(n_classes, activation="softmax")])
'''),
    Mistake("build_many_to_one", "returns the whole sequence", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units, return_sequences=True),
                             layers.Dense(n_classes, activation="softmax")])
''', says="one row per step.*return_sequences=False"),
    Mistake("build_many_to_one", "no softmax", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units), layers.Dense(n_classes)])
''', says="softmax"),
    Mistake("build_many_to_one", "sigmoid instead of softmax", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    inputs = keras.Input(shape=(timesteps, n_features))
    return keras.Model(inputs, layers.Dense(n_classes, activation="sigmoid")(layers.GRU(units)(inputs)))
''', says="sum.*softmax"),
    Mistake("build_many_to_one", "input shape written for this data set only", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(40, 1)), layers.GRU(units),
                             layers.Dense(n_classes, activation="softmax")])
''', says="input shape"),
    Mistake("build_many_to_one", "three classes written for this data set only", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units),
                             layers.Dense(3, activation="softmax")])
''', says=r"output of a \(3, 13, 4\) batch.*n_classes"),
    Mistake("build_many_to_one", "16 units written for this data set only", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.LSTM(16),
                             layers.Dense(n_classes, activation="softmax")])
''', says="no recurrent layer has units=8"),
    Mistake("build_many_to_one", "reads only the last step", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.Cropping1D((timesteps - 1, 0)),
                             layers.GRU(units), layers.Dense(n_classes, activation="softmax")])
''', says="changing step 1 .* does not change.*whole sequence"),
    Mistake("build_many_to_one", "no recurrent layer", '''
def build_many_to_one(timesteps, n_features, units, n_classes):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.Flatten(),
                             layers.Dense(units, activation="tanh"), layers.Dense(n_classes, activation="softmax")])
''', says="no recurrent layer"),

    # ---- Exercise 2: many-to-many, causal
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
    Valid("build_many_to_many", "GRU", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(units, return_sequences=True),
                             layers.Dense(1, activation="sigmoid")])
'''),
    Valid("build_many_to_many", "LSTM through keras.layers.RNN(LSTMCell)", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)),
                             layers.RNN(layers.LSTMCell(units), return_sequences=True),
                             layers.Dense(1, activation="sigmoid")])
'''),
    Valid("build_many_to_many", "two stacked SimpleRNNs, any length, a hidden Dense per step", '''
def build_many_to_many(timesteps, n_features, units):
    inputs = keras.Input(shape=(None, n_features))
    states = layers.SimpleRNN(units, return_sequences=True)(inputs)
    states = layers.SimpleRNN(units, return_sequences=True)(states)
    hidden = layers.Dense(units, activation="relu")(states)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))
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
    Mistake("build_many_to_many", "bidirectional: looks ahead", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)),
                             layers.Bidirectional(layers.GRU(units, return_sequences=True)),
                             layers.Dense(1, activation="sigmoid")])
''', says="moved the output at step .* depends on later steps.*Bidirectional"),
    Mistake("build_many_to_many", "reads the sequence backwards", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)),
                             layers.SimpleRNN(units, return_sequences=True, go_backwards=True),
                             layers.Dense(1, activation="sigmoid")])
''', says="depends on later steps.*go_backwards"),
    Mistake("build_many_to_many", "no memory: a Dense layer per step", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.Dense(units, activation="tanh"),
                             layers.Dense(1, activation="sigmoid")])
''', says="does not change the output at step 12.*step t-1"),
    Mistake("build_many_to_many", "units ignored", '''
def build_many_to_many(timesteps, n_features, units):
    return keras.Sequential([keras.Input(shape=(timesteps, n_features)), layers.GRU(16, return_sequences=True),
                             layers.Dense(1, activation="sigmoid")])
''', says="no recurrent layer has units=5"),

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
    Valid("build_encoder_decoder", "LSTM encoder and decoder", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.LSTM(units),
                             layers.RepeatVector(out_len), layers.LSTM(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
'''),
    Valid("build_encoder_decoder", "masked padding, SimpleRNN decoder through keras.layers.RNN", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim, mask_zero=True),
                             layers.GRU(units), layers.RepeatVector(out_len),
                             layers.RNN(layers.SimpleRNNCell(units), return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
'''),
    Valid("build_encoder_decoder", "the context is also the decoder's initial state", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    chars = keras.Input(shape=(in_len,))
    context = layers.GRU(units)(layers.Embedding(in_vocab, embed_dim)(chars))
    decoded = layers.GRU(units, return_sequences=True)(layers.RepeatVector(out_len)(context), initial_state=[context])
    return keras.Model(chars, layers.Dense(out_vocab, activation="softmax")(decoded))
'''),
    Valid("build_encoder_decoder", "stacked encoder, bidirectional first layer", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim),
                             layers.Bidirectional(layers.GRU(units, return_sequences=True)), layers.GRU(units),
                             layers.RepeatVector(out_len), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
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
''', says="length of the input.*tied to the input length"),
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
''', says=r"tied to the input length.*RepeatVector\(out_len\)"),
    Mistake("build_encoder_decoder", "keeps the first out_len states of a tagger", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim),
                             layers.GRU(units, return_sequences=True), layers.Cropping1D((0, in_len - out_len)),
                             layers.Dense(out_vocab, activation="softmax")])
''', says="does not change the output at step 1.*whole input"),
    Mistake("build_encoder_decoder", "no softmax", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.GRU(units),
                             layers.RepeatVector(out_len), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab)])
''', says="softmax"),
    Mistake("build_encoder_decoder", "embedding size fixed at 16", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, 16), layers.GRU(units),
                             layers.RepeatVector(out_len), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
''', says="no Embedding layer of size embed_dim=3"),
    Mistake("build_encoder_decoder", "output length written for ISO dates only", '''
def build_encoder_decoder(in_len, in_vocab, out_len, out_vocab, units, embed_dim=16):
    return keras.Sequential([keras.Input(shape=(in_len,)), layers.Embedding(in_vocab, embed_dim), layers.GRU(units),
                             layers.RepeatVector(10), layers.GRU(units, return_sequences=True),
                             layers.Dense(out_vocab, activation="softmax")])
''', says=r"output for build_encoder_decoder\(6, 9, 4, 5, 8"),

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
    Valid("build_one_to_many", "LSTM", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.RepeatVector(timesteps),
                             layers.LSTM(units, return_sequences=True), layers.Dense(1)])
'''),
    Valid("build_one_to_many", "a Dense layer before RepeatVector, stacked SimpleRNNs", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.Dense(units, activation="relu"),
                             layers.RepeatVector(timesteps), layers.SimpleRNN(units, return_sequences=True),
                             layers.SimpleRNN(units, return_sequences=True), layers.Dense(1)])
'''),
    Valid("build_one_to_many", "keras.layers.RNN(GRUCell), the condition also as the initial state", '''
def build_one_to_many(cond_dim, timesteps, units):
    condition = keras.Input(shape=(cond_dim,))
    start = layers.Dense(units, activation="tanh")(condition)
    states = layers.RNN(layers.GRUCell(units), return_sequences=True)(layers.RepeatVector(timesteps)(condition),
                                                                      initial_state=[start])
    return keras.Model(condition, layers.Dense(1)(states))
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
    Mistake("build_one_to_many", "no recurrent layer: every step the same", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.Dense(units, activation="tanh"),
                             layers.RepeatVector(timesteps), layers.Dense(1)])
''', says="same at every step"),
    Mistake("build_one_to_many", "30 steps written for this data set only", '''
def build_one_to_many(cond_dim, timesteps, units):
    return keras.Sequential([keras.Input(shape=(cond_dim,)), layers.RepeatVector(30),
                             layers.GRU(units, return_sequences=True), layers.Dense(1)])
''', says=r"output of a \(5, 3\) batch.*timesteps"),

    # ---- Exercise 5: one direction or both
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
    Valid("build_gap_filler", "sums the two directions", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn, merge_mode="sum") if bidirectional else rnn, layers.Dense(1)])
'''),
    Valid("build_gap_filler", "GRU in both cases", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.GRU(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1)])
'''),
    Valid("build_gap_filler", "two stacked LSTM layers and a hidden Dense layer", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    wrap = layers.Bidirectional if bidirectional else (lambda layer: layer)
    inputs = keras.Input((None, n_features))
    states = wrap(layers.LSTM(units, return_sequences=True))(inputs)
    states = wrap(layers.LSTM(units, return_sequences=True))(states)
    hidden = layers.Dense(units, activation="relu")(states)
    return keras.Model(inputs, layers.Dense(1)(hidden))
'''),
    Valid("build_gap_filler", "a forward and a backward layer written out", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    inputs = keras.Input((timesteps, n_features))
    forward = layers.RNN(layers.SimpleRNNCell(units), return_sequences=True)
    if not bidirectional:
        return keras.Model(inputs, layers.Dense(1)(forward(inputs)))
    backward = layers.RNN(layers.SimpleRNNCell(units), return_sequences=True, go_backwards=True)
    both = layers.Bidirectional(forward, backward_layer=backward)(inputs)
    return keras.Model(inputs, layers.Dense(1)(both))
'''),
    Mistake("build_gap_filler", "always bidirectional", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(layers.SimpleRNN(units, return_sequences=True)), layers.Dense(1)])
''', says="bidirectional=False.*depends on later steps"),
    Mistake("build_gap_filler", "never bidirectional", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.SimpleRNN(units, return_sequences=True), layers.Dense(1)])
''', says="bidirectional=True.*does not change the output at step.*Bidirectional"),
    Mistake("build_gap_filler", "go_backwards instead of Bidirectional", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units, return_sequences=True, go_backwards=bidirectional)
    return keras.Sequential([keras.Input((timesteps, n_features)), rnn, layers.Dense(1)])
''', says="bidirectional=True.*does not change the output at step 2.*go_backwards"),
    Mistake("build_gap_filler", "forgot return_sequences", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1)])
''', says="return_sequences=True"),
    Mistake("build_gap_filler", "tanh read-out", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.SimpleRNN(units, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1, activation="tanh")])
''', says="not a linear read-out.*tanh"),
    Mistake("build_gap_filler", "units ignored", '''
def build_gap_filler(timesteps, n_features, units, bidirectional):
    rnn = layers.GRU(16, return_sequences=True)
    return keras.Sequential([keras.Input((timesteps, n_features)),
                             layers.Bidirectional(rnn) if bidirectional else rnn, layers.Dense(1)])
''', says="no recurrent layer has units=5"),
]
