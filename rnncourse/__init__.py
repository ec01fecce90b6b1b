"""Shared helpers for the RNN course lessons.

Every lesson starts with::

    import rnncourse
    rnncourse.setup(seed=0)

which quiets TensorFlow's C++ log lines, seeds Python, NumPy and TensorFlow through
``keras.utils.set_random_seed`` and prints the device the lesson runs on, so the same
notebook is visibly fine on CPU and on GPU.
"""
from __future__ import annotations

import os

__all__ = ["setup", "device_name"]

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


def setup(seed: int = 0, verbose: bool = True) -> str:
    """Seed every random generator and report the device; returns the device name."""
    import absl.logging
    import keras

    absl.logging.set_verbosity(absl.logging.ERROR)
    keras.utils.set_random_seed(seed)
    device = device_name()
    if verbose:
        import tensorflow as tf

        print(f"Keras {keras.__version__} on TensorFlow {tf.__version__}, running on {device}; seed {seed}")
    return device
