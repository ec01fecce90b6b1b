"""A memorising cheat, used by the harness to prove hidden tests reject hard-coded answers.

Every function defined in an answer cell is wrapped: outside hidden tests it runs normally and
remembers each result by its arguments; inside hidden tests (between ``freeze()`` and ``thaw()``)
it only returns remembered results and raises ``HardCodedAnswer`` for any new arguments. Between
``pause()`` and ``resume()`` it runs normally and remembers nothing (the proof then grades the model
solution's own hidden tests without teaching the recorder their answers). That is
the best any hard-coded answer can do, so a hidden test that still passes only re-asks questions
whose answers the student has already seen.
"""
from __future__ import annotations

import functools
import hashlib
import pickle

import numpy as np


class HardCodedAnswer(AssertionError):
    pass


def key(value):
    """A hashable fingerprint of an argument (arrays by content, other objects by value or identity)."""
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return ("ndarray", data.shape, data.dtype.str, hashlib.sha1(data.tobytes()).hexdigest())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), key(v)) for k, v in value.items())))
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return ("value", type(value).__name__, repr(value))
    if hasattr(value, "numpy") and hasattr(value, "shape"):
        return key(np.asarray(value))
    try:
        return ("pickle", type(value).__name__, hashlib.sha1(pickle.dumps(value)).hexdigest())
    except Exception:
        return ("object", type(value).__name__, id(value))


class Replay:
    def __init__(self):
        self.frozen = False
        self.paused = False
        self.frozen_calls = 0
        self.memo: dict = {}

    def wrap(self, namespace: dict, names: list[str]) -> None:
        for name in names:
            fn = namespace.get(name)
            if callable(fn) and not getattr(fn, "__replay_wrapped__", False):
                namespace[name] = self._wrapped(name, fn)

    def _wrapped(self, name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            k = (name, key(args), key(kwargs))
            if self.frozen:
                self.frozen_calls += 1
                if k not in self.memo:
                    raise HardCodedAnswer(f"hard-coded {name} has no answer for these arguments")
                return self.memo[k]
            result = fn(*args, **kwargs)
            if not self.paused:
                self.memo[k] = result
            return result

        wrapper.__replay_wrapped__ = True
        return wrapper

    def freeze(self):
        """Hidden tests begin: from now on only remembered calls are answered (and counted)."""
        self.frozen, self.frozen_calls = True, 0

    def thaw(self):
        self.frozen = False

    def pause(self):
        """Calls run and are not remembered until ``resume()``."""
        self.paused = True

    def resume(self):
        self.paused = False
