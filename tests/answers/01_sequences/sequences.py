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
]
