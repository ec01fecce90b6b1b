"""Grading-only references for hidden tests. Never shipped to students.

``autograder.publish`` leaves this module out of the student kit, and ``tests/test_kit_leaks.py``
checks that no shipped module defines or computes what an exercise asks for. Hidden tests import
from here (``from rnncourse.grading import keras_param_count``); at grading time only the checker
kernel, which runs the tests and never the student's code, can read it: in the student's kernel
this file (and its bytecode) is empty, so an answer cannot call the reference.
"""
from __future__ import annotations

from typing import Sequence

__all__ = ["keras_param_count"]


def keras_param_count(input_dim: int, layer_units: Sequence[int], kind: str, output_units: int | None = None) -> int:
    """Lesson 03's reference: ``count_params()`` of stacked recurrent layers of ``kind`` ('simple_rnn',
    'lstm', 'gru'), Keras defaults, followed by ``Dense(output_units)`` when ``output_units`` is given."""
    import keras

    layer_class = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind]
    layers = [keras.Input(shape=(None, input_dim))]
    units = list(layer_units)
    for i, u in enumerate(units):
        layers.append(layer_class(u, return_sequences=i < len(units) - 1))
    if output_units is not None:
        layers.append(keras.layers.Dense(output_units))
    return int(keras.Sequential(layers).count_params())
