"""Checks used by the lessons' test cells.

Each check raises ``AssertionError`` with a message that names the quantity being checked and,
where one is given, the most likely mistake (``hint``), in the spirit of "output ignores the
recurrent term W_R a_{t-1}?" rather than "assert failed".
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "check_type",
    "check_shape",
    "check_close",
    "check_equal",
    "check_true",
    "check_callable",
]


def _fail(message: str, hint: str | None) -> None:
    raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


def check_callable(obj: Any, name: str) -> None:
    """The student defined ``name`` as a function (and did not leave the stub)."""
    if not callable(obj):
        _fail(f"`{name}` should be a function, got {type(obj).__name__}.", None)


def check_type(value: Any, expected: type | tuple[type, ...], name: str, hint: str | None = None) -> None:
    if not isinstance(value, expected):
        names = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
        _fail(f"`{name}` should be {names}, got {type(value).__name__}.", hint)


def check_shape(value: Any, expected: tuple, name: str, hint: str | None = None) -> None:
    """``value`` is array-like with exactly the shape ``expected``."""
    shape = tuple(np.shape(value))
    if shape != tuple(expected):
        _fail(f"`{name}` has shape {shape}, expected {tuple(expected)}.", hint)


def check_close(actual: Any, expected: Any, name: str, hint: str | None = None,
                atol: float = 1e-5, rtol: float = 1e-5) -> None:
    """``actual`` matches ``expected`` element-wise (shape first, then values)."""
    expected_arr = np.asarray(expected, dtype=np.float64)
    try:
        actual_arr = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"`{name}` should be numeric (array-like), got {type(actual).__name__}.", hint)
    check_shape(actual_arr, expected_arr.shape, name, hint)
    if not np.all(np.isfinite(actual_arr)):
        _fail(f"`{name}` contains NaN or infinite values.", hint)
    diff = np.abs(actual_arr - expected_arr)
    bound = atol + rtol * np.abs(expected_arr)
    if np.any(diff > bound):
        worst = np.unravel_index(int(np.argmax(diff - bound)), diff.shape) if diff.ndim else ()
        _fail(
            f"`{name}` differs from the expected values: largest error {float(diff.max()):.3g} "
            f"at index {tuple(int(i) for i in worst)} (tolerance {atol:g}).",
            hint,
        )


def check_equal(actual: Any, expected: Any, name: str, hint: str | None = None) -> None:
    """Exact equality for plain values (ints, strings, tuples of them)."""
    if type(actual) is not type(expected) and not (
        isinstance(actual, (int, np.integer)) and isinstance(expected, (int, np.integer))
    ):
        _fail(f"`{name}` should be {type(expected).__name__}, got {type(actual).__name__}.", hint)
    if actual != expected:
        _fail(f"`{name}` is {actual!r}, which is not right.", hint)


def check_true(condition: bool, message: str, hint: str | None = None) -> None:
    """A named condition holds (for invariants such as 'targets are inputs shifted by one')."""
    if not bool(condition):
        _fail(message, hint)
