"""Realistic answers to lesson 7.2's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: fit_standardiser
    Valid("fit_standardiser", "sums by hand", '''
def fit_standardiser(values, n_train):
    x = np.asarray(values, dtype=float)[:n_train]
    mean = x.sum(axis=0) / len(x)
    return mean, np.sqrt(((x - mean) ** 2).sum(axis=0) / len(x))
'''),
    Valid("fit_standardiser", "np.mean and the square root of np.var", '''
def fit_standardiser(values, n_train):
    train = values[:n_train]
    return np.mean(train, axis=0), np.sqrt(np.var(train, axis=0))
'''),
    Mistake("fit_standardiser", "statistics of the whole series", '''
def fit_standardiser(values, n_train):
    values = np.asarray(values, dtype=float)
    return values.mean(axis=0), values.std(axis=0)
''', says="first n_train rows"),
    Mistake("fit_standardiser", "sample standard deviation (ddof=1)", '''
def fit_standardiser(values, n_train):
    train = np.asarray(values, dtype=float)[:n_train]
    return train.mean(axis=0), train.std(axis=0, ddof=1)
''', says="ddof=0"),
    Mistake("fit_standardiser", "one number for all columns", '''
def fit_standardiser(values, n_train):
    train = np.asarray(values, dtype=float)[:n_train]
    return train.mean(), train.std()
''', says="axis 0"),
    Mistake("fit_standardiser", "statistics per row", '''
def fit_standardiser(values, n_train):
    train = np.asarray(values, dtype=float)[:n_train]
    return train.mean(axis=-1), train.std(axis=-1)
''', says="axis 0"),

    # Exercise 2: make_windows
    Valid("make_windows", "end_index instead of slicing the features", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    return keras.utils.timeseries_dataset_from_array(
        features, target[window + horizon - 1:], sequence_length=window, end_index=len(features) - horizon,
        batch_size=batch_size, shuffle=shuffle, seed=seed)
'''),
    Valid("make_windows", "NumPy windows in a tf.data pipeline", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    n = len(features) - window - horizon + 1
    X = np.stack([features[i:i + window] for i in range(n)])
    y = np.array([target[i + window + horizon - 1] for i in range(n)])
    ds = tf.data.Dataset.from_tensor_slices((X, y))
    if shuffle:
        ds = ds.shuffle(n, seed=seed)
    return ds.batch(batch_size)
'''),
    Mistake("make_windows", "targets not shifted", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    return keras.utils.timeseries_dataset_from_array(features, target, sequence_length=window,
                                                     batch_size=batch_size, shuffle=shuffle, seed=seed)
''', says="target\\[window \\+ horizon - 1:\\]"),
    Mistake("make_windows", "shifted by the window only (horizon forgotten)", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    n = len(features) - window - horizon + 1
    return keras.utils.timeseries_dataset_from_array(features[:n + window - 1], target[window:], sequence_length=window,
                                                     batch_size=batch_size, shuffle=shuffle, seed=seed)
''', says="window \\+ horizon - 1"),
    Mistake("make_windows", "shuffle not passed through", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    n = len(features) - window - horizon + 1
    return keras.utils.timeseries_dataset_from_array(features[:n + window - 1], target[window + horizon - 1:],
                                                     sequence_length=window, batch_size=batch_size)
''', says="shuffle"),

    Mistake("make_windows", "batch_size ignored (a fixed batch of 32)", '''
def make_windows(features, target, window, horizon, batch_size, shuffle=False, seed=0):
    return keras.utils.timeseries_dataset_from_array(features[:len(features) - horizon], target[window + horizon - 1:],
                                                     sequence_length=window, batch_size=32, shuffle=shuffle, seed=seed)
''', says="batch sizes"),

    # Exercise 3: build_forecaster, a design task: any forecaster that does the task gets full marks
    Valid("build_forecaster", "functional API", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    inputs = keras.Input(shape=(window, n_features))
    rnn = keras.layers.LSTM(units) if cell == "lstm" else keras.layers.GRU(units)
    return keras.Model(inputs, keras.layers.Dense(1)(rnn(inputs)))
'''),
    Valid("build_forecaster", "RNN wrapping a cell, explicit linear activation", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    rnn_cell = keras.layers.GRUCell(units) if cell == "gru" else keras.layers.LSTMCell(units)
    model = keras.Sequential()
    model.add(keras.Input(shape=(window, n_features)))
    model.add(keras.layers.RNN(rnn_cell))
    model.add(keras.layers.Dense(1, activation="linear"))
    return model
'''),
    Valid("build_forecaster", "two stacked layers and a hidden relu layer before a linear read-out", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), layer(units, return_sequences=True), layer(units),
                             keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
'''),
    Valid("build_forecaster", "a bidirectional layer over the (past) window", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(None, n_features)), keras.layers.Bidirectional(layer(units)),
                             keras.layers.Dense(1)])
'''),
    Valid("build_forecaster", "an encoder sub-model inside a functional model", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    encoder = keras.Sequential([keras.Input(shape=(window, n_features)), layer(units)], name="encoder")
    inputs = keras.Input(shape=(window, n_features))
    return keras.Model(inputs, keras.layers.Dense(1)(encoder(inputs)))
'''),
    Mistake("build_forecaster", "relu on the output", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), layer(units), keras.layers.Dense(1, activation="relu")])
''', says="not a linear read-out.*'relu'"),
    Mistake("build_forecaster", "a ReLU layer after the linear read-out", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), layer(units), keras.layers.Dense(1),
                             keras.layers.ReLU()])
''', says="not a linear read-out.*no ReLU"),
    Mistake("build_forecaster", "a sigmoid Activation layer after the read-out (functional)", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    inputs = keras.Input(shape=(window, n_features))
    layer = keras.layers.GRU(units) if cell == "gru" else keras.layers.LSTM(units)
    outputs = keras.layers.Activation("sigmoid")(keras.layers.Dense(1)(layer(inputs)))
    return keras.Model(inputs, outputs)
''', says="not a linear read-out.*'sigmoid'"),
    Mistake("build_forecaster", "return_sequences=True", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), layer(units, return_sequences=True), keras.layers.Dense(1)])
''', says="not one per day.*return_sequences=False"),
    Mistake("build_forecaster", "cell argument ignored", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    return keras.Sequential([keras.Input(shape=(window, n_features)), keras.layers.GRU(units), keras.layers.Dense(1)])
''', says="cell='lstm' should give LSTM"),
    Mistake("build_forecaster", "units hard-coded to the default (shows only on other sizes)", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), layer(16), keras.layers.Dense(1)])
''', says="units=5"),
    Mistake("build_forecaster", "reads only the last day of the window", '''
def build_forecaster(window, n_features, units=16, cell="gru"):
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    return keras.Sequential([keras.Input(shape=(window, n_features)), keras.layers.Cropping1D((window - 1, 0)),
                             layer(units), keras.layers.Dense(1)])
''', says="changing step 1 of the input does not change"),
]
