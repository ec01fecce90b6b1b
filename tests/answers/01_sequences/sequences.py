"""Realistic answers to lesson 01's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    Valid("make_windows", "explicit loop with lists", '''
def make_windows(series, window, horizon=1):
    X, y = [], []
    for i in range(len(series) - window - horizon + 1):
        X.append(series[i:i + window])
        y.append(series[i + window + horizon - 1])
    X = np.array(X, dtype="float32").reshape(-1, window, 1)
    return X, np.array(y, dtype="float32")
'''),
    Valid("make_windows", "sliding_window_view", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype=np.float32)
    X = np.lib.stride_tricks.sliding_window_view(s[:len(s) - horizon], window)
    return X[:, :, None], s[window + horizon - 1:]
'''),
    Mistake("make_windows", "no feature axis", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype="float32")
    n = len(s) - window - horizon + 1
    return np.stack([s[i:i + window] for i in range(n)]), s[window + horizon - 1:]
''', says="feature axis"),
    Mistake("time_split", "shuffles before splitting", '''
def time_split(X, y, train_frac=0.8):
    order = np.random.default_rng(0).permutation(len(X))
    X, y = X[order], y[order]
    n = int(len(X) * train_frac)
    return X[:n], y[:n], X[n:], y[n:]
''', says="shuffle|order"),
    Valid("time_split", "slicing with an explicit index", '''
def time_split(X, y, train_frac=0.8):
    cut = int(train_frac * len(X))
    X_train, X_val = X[:cut], X[cut:]
    y_train, y_val = y[:cut], y[cut:]
    return X_train, y_train, X_val, y_val
'''),
    Valid("make_windows", "pre-allocated arrays filled in a loop", '''
def make_windows(series, window, horizon=1):
    series = list(series)
    n = len(series) - window - horizon + 1
    X = np.zeros((n, window, 1), dtype=np.float32)
    y = np.zeros(n, dtype=np.float32)
    for i in range(n):
        X[i, :, 0] = series[i:i + window]
        y[i] = series[i + window + horizon - 1]
    return X, y
'''),
    Mistake("make_windows", "one window too few (off by one)", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype="float32")
    n = len(s) - window - horizon
    X = np.stack([s[i:i + window] for i in range(n)])[..., None]
    return X, s[window + horizon - 1:window + horizon - 1 + n]
''', says=r"n = len\(series\) - window - horizon \+ 1"),
    Mistake("make_windows", "target is the last value of the window", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype="float32")
    n = len(s) - window - horizon + 1
    X = np.stack([s[i:i + window] for i in range(n)])[..., None]
    return X, s[window - 1:window - 1 + n]
''', says="value right after the window"),
    Mistake("make_windows", "horizon ignored", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype="float32")
    n = len(s) - window
    X = np.stack([s[i:i + window] for i in range(n)])[..., None]
    return X, s[window:]
''', says="n = len\\(series\\) - window - horizon \\+ 1"),
    Mistake("make_windows", "float64 left as it is", '''
def make_windows(series, window, horizon=1):
    s = np.asarray(series, dtype=float)
    n = len(s) - window - horizon + 1
    return np.stack([s[i:i + window] for i in range(n)])[..., None], s[window + horizon - 1:]
''', says="float32"),
    Valid("time_split", "returns a list, as the instructions allow", '''
def time_split(X, y, train_frac=0.8):
    n_train = int(len(X) * train_frac)
    return [X[:n_train], y[:n_train], X[n_train:], y[n_train:]]
'''),
    Valid("time_split", "np.split at the cut", '''
def time_split(X, y, train_frac=0.8):
    cut = int(len(X) * train_frac)
    X_train, X_val = np.split(X, [cut])
    y_train, y_val = np.split(y, [cut])
    return X_train, y_train, X_val, y_val
'''),
    Mistake("time_split", "rounds the cut instead of int()", '''
def time_split(X, y, train_frac=0.8):
    n = round(len(X) * train_frac + 0.5)
    return X[:n], y[:n], X[n:], y[n:]
''', says="rounded up; round it down"),
    Mistake("time_split", "validation taken from the start", '''
def time_split(X, y, train_frac=0.8):
    n_val = len(X) - int(len(X) * train_frac)
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]
''', says="validation was taken from the start"),
    Mistake("time_split", "returns a dict", '''
def time_split(X, y, train_frac=0.8):
    n = int(len(X) * train_frac)
    return {"X_train": X[:n], "y_train": y[:n], "X_val": X[n:], "y_val": y[n:]}
''', says="four arrays"),
    Mistake("time_split", "round() to the nearest whole number", '''
def time_split(X, y, train_frac=0.8):
    n = round(len(X) * train_frac)
    return X[:n], y[:n], X[n:], y[n:]
''', says="rounded up; round it down"),
    Mistake("time_split", "math.ceil", '''
import math


def time_split(X, y, train_frac=0.8):
    n = math.ceil(len(X) * train_frac)
    return X[:n], y[:n], X[n:], y[n:]
''', says="rounded up; round it down"),
    Mistake("time_split", "validation part returned first", '''
def time_split(X, y, train_frac=0.8):
    n = int(len(X) * train_frac)
    return X[n:], y[n:], X[:n], y[:n]
''', says="size of the validation part"),
    Valid("time_split", "math.floor on the product", '''
import math


def time_split(X, y, train_frac=0.8):
    n_train = math.floor(train_frac * len(X))
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]
'''),
    Valid("time_split", "floor division and index arrays", '''
def time_split(X, y, train_frac=0.8):
    n_train = int(len(X) * train_frac // 1)
    train, val = np.arange(n_train), np.arange(n_train, len(X))
    return X[train], y[train], X[val], y[val]
'''),
]
