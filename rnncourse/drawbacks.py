"""Helpers for lesson 06 (drawbacks of RNNs): the long-lag recall task and the cuDNN check.

``make_recall_task`` builds the synthetic "remember the marked symbol" data set used to compare
SimpleRNN, LSTM and GRU as the lag grows; ``cudnn_compatible`` says whether a Keras LSTM or GRU
layer is configured so that TensorFlow can run it with the fused cuDNN kernel on a GPU.
"""
from __future__ import annotations

import numpy as np

__all__ = ["make_recall_task", "sample_lags", "make_adding_problem", "cudnn_compatible"]


def sample_lags(n: int, max_lag: int, seed: int = 0) -> np.ndarray:
    """``n`` lags in 1..max_lag with P(lag) proportional to 1/lag (short lags are common).

    Mixing many short lags into training gives every model an easy signal to start from; the
    test sets then measure each lag on its own.
    """
    rng = np.random.default_rng(seed)
    lags = np.arange(1, max_lag + 1)
    p = 1.0 / lags
    return rng.choice(lags, size=n, p=p / p.sum())


def make_recall_task(n: int, timesteps: int, n_symbols: int, lags, seed: int = 0):
    """The long-lag recall task: remember one marked symbol among distractors.

    Every step holds one of ``n_symbols`` symbols, one-hot, plus a marker feature (the last
    one). Exactly one step is marked: it sits ``lag`` steps before the last step, and the label is
    its symbol. Every other step is a random distractor symbol, so a network must *keep* the
    marked symbol in its state for ``lag`` steps while new inputs keep arriving.

    ``lags`` is an int (the same lag for every sequence) or an array of ``n`` lags in
    1..timesteps-1. Returns ``x`` of shape (n, timesteps, n_symbols + 1), float32, and ``y`` of
    shape (n,), int. Chance accuracy is ``1 / n_symbols``.
    """
    rng = np.random.default_rng(seed)
    lags = np.broadcast_to(np.asarray(lags, dtype=int), (n,))
    if lags.min() < 0 or lags.max() > timesteps - 1:
        raise ValueError(f"lags must lie in 0..{timesteps - 1}")
    rows = np.arange(n)
    y = rng.integers(0, n_symbols, size=n)
    distractors = rng.integers(0, n_symbols, size=(n, timesteps))
    x = np.zeros((n, timesteps, n_symbols + 1), dtype=np.float32)
    x[rows[:, None], np.arange(timesteps)[None, :], distractors] = 1.0
    pos = timesteps - 1 - lags
    x[rows, pos, :] = 0.0
    x[rows, pos, y] = 1.0
    x[rows, pos, n_symbols] = 1.0  # the marker
    return x, y


def _name(fn) -> str:
    return getattr(fn, "__name__", str(fn))


def cudnn_compatible(layer) -> tuple[bool, list[str]]:
    """Whether a Keras ``LSTM``/``GRU`` layer's arguments allow TensorFlow's fused cuDNN kernel.

    Returns ``(ok, reasons)``: ``reasons`` lists every argument that silently sends the layer
    to the generic (much slower on GPU) loop. The rules are those of Keras 3 on the TensorFlow
    backend: tanh activation, sigmoid recurrent activation, no recurrent dropout, no unrolling,
    a bias, ``reset_after=True`` for GRU, and ``use_cudnn`` not set to False. (At run time cuDNN
    also needs a GPU and, with masking, right-padded sequences.)
    """
    import keras

    if not isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
        return False, [f"{type(layer).__name__} has no cuDNN kernel (only LSTM and GRU do)"]
    cell = layer.cell
    reasons = []
    if _name(cell.activation) != "tanh":
        reasons.append(f"activation={_name(cell.activation)!r} (cuDNN needs 'tanh')")
    if _name(cell.recurrent_activation) != "sigmoid":
        reasons.append(f"recurrent_activation={_name(cell.recurrent_activation)!r} (cuDNN needs 'sigmoid')")
    if cell.recurrent_dropout:
        reasons.append(f"recurrent_dropout={cell.recurrent_dropout} (cuDNN needs 0)")
    if layer.unroll:
        reasons.append("unroll=True (cuDNN needs the loop rolled)")
    if not cell.use_bias:
        reasons.append("use_bias=False (cuDNN needs a bias)")
    if isinstance(layer, keras.layers.GRU) and not cell.reset_after:
        reasons.append("reset_after=False (cuDNN's GRU applies the reset gate after the matmul)")
    if getattr(layer, "use_cudnn", "auto") is False:
        reasons.append("use_cudnn=False")
    return not reasons, reasons


def make_adding_problem(n: int, timesteps: int, seed: int = 0):
    """The adding problem (Hochreiter & Schmidhuber, 1997): sum the two marked numbers.

    ``x[:, :, 0]`` holds random numbers in [0, 1); ``x[:, :, 1]`` marks exactly two steps with 1.
    The target is the sum of the two marked numbers, shape (n, 1). Predicting the mean (1.0)
    gives a mean squared error of about 1/6.
    """
    rng = np.random.default_rng(seed)
    x = np.zeros((n, timesteps, 2), dtype=np.float32)
    x[:, :, 0] = rng.uniform(size=(n, timesteps))
    marked = np.argsort(rng.uniform(size=(n, timesteps)), axis=1)[:, :2]
    rows = np.arange(n)[:, None]
    x[rows, marked, 1] = 1.0
    y = (x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True).astype(np.float32)
    return x, y
