"""Shared helpers for the RNN course lessons.

Every lesson starts with::

    import rnncourse
    rnncourse.setup(seed=0)

which quiets TensorFlow's C++ log lines (and keeps those it writes anyway out of the notebook,
see ``liblog.py``), seeds Python, NumPy and TensorFlow through
``keras.utils.set_random_seed``, shows a failed check as its message alone (no traceback through
this package) and prints the device the lesson runs on, so the same notebook is visibly fine on
CPU and on GPU.
"""
from __future__ import annotations

import os

__all__ = ["setup", "device_name", "show_check_failures_briefly"]

# Must be set before TensorFlow is imported for the C++ logger to honour them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def device_name() -> str:
    """'GPU (<name>)' when TensorFlow sees a GPU, otherwise 'CPU'."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    return f"GPU ({details.get('device_name', gpus[0].name)})"


def _brief_when_a_check_failed(shell, etype, value, tb, tb_offset=None):
    """Show IPython's traceback for ``value``, or only its message when a course check raised it:
    the check's message names the mistake, and the frames inside ``rnncourse`` say nothing more.
    (IPython leaves the showing to a custom handler; ``_showtraceback`` is what its own path calls,
    and makes the cell's error output and reply.)"""
    last = tb
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    raised_in = last.tb_frame.f_globals.get("__name__", "") if last is not None else ""
    if not raised_in.startswith("rnncourse."):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def show_check_failures_briefly() -> None:
    """In a notebook, a failed check (an ``AssertionError`` raised by ``rnncourse``'s checks) shows as
    its message without a traceback; every other error keeps its full traceback. It is still an
    error: the cell fails, and a test cell scores 0. Outside IPython this does nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((AssertionError,), _brief_when_a_check_failed)


def setup(seed: int = 0, verbose: bool = True) -> str:
    """Seed every random generator and report the device; returns the device name."""
    from rnncourse import liblog

    liblog.drop_from_notebook_stderr()       # first: importing TensorFlow below may log already
    import absl.logging
    import keras

    absl.logging.set_verbosity(absl.logging.ERROR)
    keras.utils.set_random_seed(seed)
    show_check_failures_briefly()
    device = device_name()
    if verbose:
        import tensorflow as tf

        print(f"Keras {keras.__version__} on TensorFlow {tf.__version__}, running on {device}; seed {seed}")
    return device
