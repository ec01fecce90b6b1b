"""Checks used by the lessons' test cells.

Each check raises ``AssertionError`` with a message that names the quantity being checked and,
where one is given, the most likely mistake (``hint``), in the spirit of "output ignores the
recurrent term W_R a_{t-1}?" rather than "assert failed".

Student values are never trusted to compare themselves: an ``int`` subclass whose ``__eq__`` says
yes, an object with a ``shape`` attribute that is not an array, or a ``__class__`` that claims to be
``int`` would otherwise pass. Every check first turns the student's value into plain built-in
values (exact ``int``/``float``/``str``/``tuple``/``list``/... or a fresh float64 ``ndarray``),
using only the built-in types' own methods, and compares those. Honest values give exactly the
results they gave before.
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

__all__ = [
    "check_type",
    "check_shape",
    "check_close",
    "check_equal",
    "check_true",
    "check_callable",
    "repeated_calls",
]


def _fail(message: str, hint: str | None) -> None:
    raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


def check_callable(obj: Any, name: str) -> None:
    """The student defined ``name`` as a function (and did not leave the stub)."""
    if not callable(obj):
        _fail(f"`{name}` should be a function, got {type(obj).__name__}.", None)


def check_type(value: Any, expected: type | tuple[type, ...], name: str, hint: str | None = None) -> None:
    # the real type, not ``__class__`` (which any object can make claim to be anything)
    if not issubclass(type(value), expected):
        names = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
        _fail(f"`{name}` should be {names}, got {type(value).__name__}.", hint)


# --- plain, trusted values ------------------------------------------------------------------

def _numpy_types(kind: type) -> frozenset:
    return frozenset(t for t in set(np.sctypeDict.values()) if issubclass(t, kind))


_NP_INTS = _numpy_types(np.integer)
_NP_FLOATS = _numpy_types(np.floating)
_NP_COMPLEX = _numpy_types(np.complexfloating)
_NP_BOOLS = _numpy_types(np.bool_)
_INT_LIKE = (int, np.integer)
# libraries whose array types report their own shape honestly (TensorFlow tensors, KerasTensors, ...)
_SHAPE_LIBRARIES = ("numpy", "tensorflow", "keras", "jax", "jaxlib", "torch", "pandas", "scipy")


class _Opaque:
    """A value of a type that has no plain form: equal only to itself, or to a value of exactly the
    same type when that type's own ``__eq__`` says exactly ``True`` (the *expected* value's type,
    which comes from the test)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        if not isinstance(other, _Opaque):
            return False
        a, b = self.value, other.value
        if a is b:
            return True
        if type(a) is not type(b):
            return False
        try:
            return type(a).__eq__(a, b) is True
        except Exception:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):                      # consistent with __eq__: equal values share a type
        return hash(type(self.value))


class _Array:
    """An exact ndarray as shape and plain nested values."""

    __slots__ = ("shape", "values")

    def __init__(self, arr: np.ndarray):
        self.shape = tuple(int(d) for d in np.ndarray.__getattribute__(arr, "shape"))
        self.values = _plain(np.ndarray.tolist(arr))

    def __eq__(self, other):
        return isinstance(other, _Array) and self.shape == other.shape and self.values == other.values

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


def _plain(x: Any, depth: int = 0) -> Any:
    """``x`` rebuilt from exact built-in types with the built-in types' own methods (never the
    value's own ``__eq__``, ``__iter__``, ``__int__``...); anything else becomes ``_Opaque``."""
    if depth > 100:
        return _Opaque(x)
    t = type(x)
    if x is None or t is bool or t is int or t is float or t is complex or t is str or t is bytes:
        return x
    if t in _NP_BOOLS:
        return bool(x)
    if t in _NP_INTS:
        return int(x)
    if t in _NP_FLOATS:
        return float(x)
    if t in _NP_COMPLEX:
        return complex(x)
    if t is np.ndarray:
        return _Array(x)
    if issubclass(t, tuple):                 # tuples, named tuples, and lying subclasses alike
        return tuple(_plain(v, depth + 1) for v in tuple.__iter__(x))
    if issubclass(t, list):
        return [_plain(v, depth + 1) for v in list.__iter__(x)]
    if issubclass(t, dict):
        return {_plain(k, depth + 1): _plain(v, depth + 1) for k, v in dict.items(x)}
    if issubclass(t, (set, frozenset)):
        items = set.__iter__(x) if issubclass(t, set) else frozenset.__iter__(x)
        return frozenset(_plain(v, depth + 1) for v in items)
    # subclasses of plain types (IntEnum, a str subclass, a lying int): their true value
    if issubclass(t, bool):
        return bool(int.__int__(x))
    if issubclass(t, int):
        return int.__int__(x)
    if issubclass(t, float):
        return float.__float__(x)
    if issubclass(t, str):
        return str.__str__(x)
    return _Opaque(x)


def _library_type(t: type) -> bool:
    """``t`` is a class of one of ``_SHAPE_LIBRARIES``, found where its module says it lives (a
    class written in the notebook cannot just claim ``__module__ = "numpy"``)."""
    module = type.__getattribute__(t, "__module__")
    if type(module) is not str or module.split(".", 1)[0] not in _SHAPE_LIBRARIES:
        return False
    found: Any = sys.modules.get(module)
    for part in str.split(type.__getattribute__(t, "__qualname__"), "."):
        found = getattr(found, part, None)
    return found is t


def _shape(value: Any) -> tuple:
    """The shape of ``value`` as a plain tuple, from a source that cannot lie about it."""
    t = type(value)
    if t is np.ndarray:
        shape = np.ndarray.__getattribute__(value, "shape")
    elif _library_type(t) and not issubclass(t, np.generic):
        shape = np.shape(value)               # e.g. a TensorFlow tensor or a symbolic KerasTensor
    else:                                     # lists, scalars, anything else: what NumPy makes of it
        shape = np.ndarray.__getattribute__(np.asarray(value), "shape")
    dims = _plain(tuple(shape))
    return dims if type(dims) is tuple else (dims,)


def check_shape(value: Any, expected: tuple, name: str, hint: str | None = None) -> None:
    """``value`` is array-like with exactly the shape ``expected``."""
    shape = _shape(value)
    if shape != _plain(tuple(expected)):
        _fail(f"`{name}` has shape {shape}, expected {tuple(expected)}.", hint)


def check_close(actual: Any, expected: Any, name: str, hint: str | None = None,
                atol: float = 1e-5, rtol: float = 1e-5) -> None:
    """``actual`` matches ``expected`` element-wise (shape first, then values)."""
    expected_arr = np.array(expected, dtype=np.float64, copy=True)
    try:
        # a fresh float64 ndarray (never a subclass, never a view the student still holds)
        actual_arr = np.array(actual, dtype=np.float64, copy=True)
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
    ta, te = type(actual), type(expected)
    if ta is not te and not (issubclass(ta, _INT_LIKE) and issubclass(te, _INT_LIKE)):
        _fail(f"`{name}` should be {te.__name__}, got {ta.__name__}.", hint)
    if not (_plain(actual) == _plain(expected)):
        _fail(f"`{name}` is {actual!r}, which is not right.", hint)


def check_true(condition: bool, message: str, hint: str | None = None) -> None:
    """A named condition holds (for invariants such as 'targets are inputs shifted by one')."""
    if not bool(condition):
        _fail(message, hint)


def repeated_calls(fn: Any, n: int, *args: Any, **kwargs: Any) -> list:
    """``[fn(*args, **kwargs) for _ in range(n)]``: a test that draws many samples from a student's
    function calls it through here. The same argument objects are passed every time (a NumPy
    ``Generator`` moves on from call to call). When the notebook is graded, ``fn`` lives in the
    student's kernel and the ``n`` calls travel as one request instead of ``n``."""
    many = getattr(type(fn), "__call_many__", None)
    if many is not None:
        return many(fn, n, args, kwargs)
    return [fn(*args, **kwargs) for _ in range(n)]
