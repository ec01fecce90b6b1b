"""Helpers for lessons 02 (RNN architecture) and 03 (dimensions).

* ``draw_unrolled`` draws a (stacked) recurrent network unrolled in time with matplotlib;
* ``random_rnn_case`` draws the inputs and weights of one SimpleRNN step in the course's
  orientation (``W_F`` is units x inputs, ``W_R`` is units x units, rows of ``x_t`` are sequences);
* ``named_mistake`` turns "wrong values" into a hint naming the mistake, by comparing a student's
  result with the results that common mistakes would give;
* ``call_student`` calls a student's function and turns an error raised inside it (NumPy's shape errors,
  TensorFlow's ``InvalidArgumentError``, a ``TypeError``...) into a check failure that names the call and,
  where a probe recognises it, the mistake (not a raw traceback);
* ``probe_mistake`` runs a student's function on a probe where the common mistakes do not raise (square
  matrices) and names the mistake its result matches;
* ``check_shape_format`` / ``check_shape_values`` check shape answers (format visibly, values hidden);
  ``shape_mistake`` says what a wrong shape is (transposed, axes swapped, one size where another belongs);
* ``forbid_keras`` makes "with arithmetic only" hold: it rejects a function that refers to Keras or
  TensorFlow and switches every Keras layer off while the function runs;
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

__all__ = ["draw_unrolled", "random_rnn_case", "named_mistake", "call_student", "probe_mistake", "check_shape_format",
           "check_shape_values", "shape_mistake", "forbid_keras"]


def random_rnn_case(seed: int, batch: int, inputs: int, units: int, steps: int | None = None,
                    scale: float = 0.5, dtype: Any = np.float64):
    """Random ``(x, a_prev, W_F, W_R, b)`` for one SimpleRNN layer.

    ``x`` is ``(batch, inputs)``, or ``(batch, steps, inputs)`` when ``steps`` is given;
    ``a_prev`` is ``(batch, units)``; ``W_F`` ``(units, inputs)``; ``W_R`` ``(units, units)``
    (not symmetric, so ``W_R`` and ``W_R.T`` give different results); ``b`` ``(units,)``.
    Weights are scaled by ``scale`` so that ``tanh`` is not saturated.
    """
    rng = np.random.default_rng(seed)
    x_shape = (batch, inputs) if steps is None else (batch, steps, inputs)
    x = rng.normal(size=x_shape)
    a_prev = rng.uniform(-0.9, 0.9, size=(batch, units))
    W_F = rng.normal(size=(units, inputs)) * scale / np.sqrt(max(inputs, 1))
    W_R = rng.normal(size=(units, units)) * scale / np.sqrt(units)
    b = rng.normal(size=units) * scale
    return tuple(np.asarray(v, dtype=dtype) for v in (x, a_prev, W_F, W_R, b))


def named_mistake(actual: Any, mistakes: Mapping[str, Any], atol: float = 1e-5) -> str | None:
    """The name of the first mistake whose result matches ``actual`` (same shape, close values)."""
    try:
        actual_arr = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    for hint, wrong in mistakes.items():
        try:
            wrong_arr = np.asarray(wrong, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        if wrong_arr.shape == actual_arr.shape and np.allclose(actual_arr, wrong_arr, atol=atol, rtol=atol):
            return hint
    return None


def call_student(func: Any, args: Sequence[Any], name: str, hint: str | None = None,
                 diagnose: Any = None) -> Any:
    """``func(*args)``; an exception raised inside it (a ``ValueError`` or ``IndexError`` from NumPy's shape
    rules, TensorFlow's ``InvalidArgumentError``, a ``TypeError``...) becomes an ``AssertionError`` that names
    the call ``name`` and gives a hint: what ``diagnose()`` returns when it names the mistake (a
    zero-argument callable, typically ``probe_mistake`` on a probe where the mistake does not raise),
    else ``hint``. The student's own ``AssertionError`` and a grading channel's failure pass unchanged."""
    from rnncourse import checks

    checks.check_callable(func, name.split("(")[0])
    try:
        return func(*args)
    except AssertionError:
        raise
    except Exception as exc:
        kind = type(exc).__name__
        if kind == "ChannelError":               # the student's kernel did not answer: its own message says so
            raise
        named = None
        if diagnose is not None:
            try:
                named = diagnose()
            except Exception:
                named = None
        text = str(exc).strip().splitlines()
        text = text[0][:300] if text else ""
        # at grading time an error of another library arrives as "TypeName: message" already
        said = text if kind == "StudentError" else f"{kind}: {text}"
        hint = named or hint
        raise AssertionError(f"`{name}` raised {said}" + (f"\nHint: {hint}" if hint else "")) from None


def probe_mistake(func: Any, args: Sequence[Any], mistakes: Mapping[str, Any]) -> str | None:
    """The mistake (a key of ``mistakes``) whose result ``func(*args)`` gives, or None (also when it raises).
    Used when the real call raised: on a probe where the mistake runs (square matrices, say) its result
    tells which mistake it is."""
    try:
        got = func(*args)
    except Exception:
        return None
    return named_mistake(got, mistakes)


def draw_unrolled(ax, steps: int = 4, layer_units: Sequence[int] | None = None, title: str | None = None):
    """Draw a recurrent network unrolled over ``steps`` time steps on the matplotlib axes ``ax``.

    Each column is one time step; each row above the inputs is one recurrent layer. All copies
    of a layer share one colour because they share one set of weights ``W_F^l, W_R^l, b^l``:
    vertical arrows are ``W_F^l`` (from the layer below at the same time step), horizontal arrows
    are ``W_R^l`` (from the same layer at the previous time step).
    """
    from matplotlib.patches import FancyBboxPatch

    layer_units = list(layer_units) if layer_units else [None]
    n_layers = len(layer_units)
    colours = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3"]
    box_w, box_h, dx, dy = 0.9, 0.55, 1.6, 1.15

    def box(x, y, text, face):
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.04", fc=face, ec="black", lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=9, color="white" if face != "white" else "black")

    def arrow(x0, y0, x1, y1, label=None, label_offset=(0.0, 0.0)):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", lw=1.2))
        if label:
            ax.text((x0 + x1) / 2 + label_offset[0], (y0 + y1) / 2 + label_offset[1], label,
                    fontsize=8, ha="center", va="center")

    for t in range(steps):
        x = t * dx
        box(x, 0, f"$x_{{{t + 1}}}$", "white")
        for l, units in enumerate(layer_units, start=1):
            y = l * dy
            sup = f"^{{{l}}}" if n_layers > 1 else ""          # layer 0 is the input, a_t^0 = x_t
            box(x, y, f"$a_{{{t + 1}}}{sup}$", colours[(l - 1) % len(colours)])
            arrow(x, y - dy + box_h / 2, x, y - box_h / 2, f"$W_F{sup}$", (-0.3, 0.0))
            wr = f"$W_R{sup}$"
            x_prev = x - dx
            if t == 0:
                box(x_prev, y, f"$a_0{sup}$", "white")
            arrow(x_prev + box_w / 2, y, x - box_w / 2, y, wr, (0.0, 0.18))
        if n_layers:
            top = n_layers * dy
            ax.annotate("", xy=(x, top + 0.75), xytext=(x, top + box_h / 2),
                        arrowprops=dict(arrowstyle="->", lw=1.0, ls="--"))
    for l, units in enumerate(layer_units, start=1):
        if units is not None:
            ax.text((steps - 1) * dx + 0.75, l * dy, f"{units} units", fontsize=8, va="center")
    ax.text(-dx, 0, "inputs", fontsize=8, ha="center", va="center")
    ax.set_xlim(-dx - box_w, (steps - 1) * dx + 1.6)
    ax.set_ylim(-0.6, n_layers * dy + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


# --------------------------------------------------------------------------------------------
# Lesson 03: shape answers and parameter counts
# --------------------------------------------------------------------------------------------

def check_shape_format(answers: Mapping[str, Any], ndims: Mapping[str, int], name: str = "shapes") -> None:
    """Each ``answers[key]`` is a tuple of ``ndims[key]`` positive ints (the format only, not the values)."""
    from rnncourse import checks

    checks.check_type(answers, dict, name, hint="keep the dictionary from the answer cell")
    for key, ndim in ndims.items():
        label = f'{name}["{key}"]'
        checks.check_true(key in answers, f"{label} is missing", hint="do not rename or delete the keys")
        value = answers[key]
        checks.check_type(value, tuple, label, hint="write each shape as a tuple of ints, e.g. (5, 2); replace every None")
        checks.check_true(all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in value),
                          f"{label} = {value!r} should contain positive ints only", hint="e.g. (5, 2), not (5.0, 2) or ('5', 2)")
        checks.check_equal(len(value), ndim, f"the number of dimensions of {label}",
                           hint=f"this array has {ndim} dimension(s)")


def shape_mistake(got: Any, want: Sequence[int], names: Sequence[str], sizes: Mapping[str, int],
                  key: str = "the array") -> str | None:
    """What the wrong shape ``got`` is, in words, for the right shape ``want`` whose axes are called ``names``
    (e.g. ``("units", "inputs")``); ``sizes`` names the sizes of the exercise (``{"inputs": 3, "units": 7}``)
    so that a number can be recognised. Says "transposed", which axes are swapped, or which size sits
    where another belongs; None when it recognises nothing."""
    if not isinstance(got, tuple) or len(got) != len(want):
        return None
    got, want = tuple(int(v) for v in got), tuple(int(v) for v in want)
    if got == want:
        return None

    def label(value, prefer=None):
        """the name of a size: the axis name ``prefer`` if it fits, else a name of this array, else the exercise's"""
        if prefer is not None and want[prefer] == value:
            return f"{names[prefer]} ({value})"
        for n, w in zip(names, want):
            if w == value:
                return f"{n} ({value})"
        for n, v in sizes.items():
            if v == value:
                return f"{n} ({value})"
        return str(value)

    if len(want) == 2 and got == want[::-1] and names[1] == "column":
        return f"{key} looks transposed: in the course notation a vector is a column, (n, 1), not a row (1, n)"
    if len(want) == 2 and got == want[::-1]:
        return (f"{key} looks transposed: its rows are the {names[0]} ({want[0]}) and its columns the "
                f"{names[1]} ({want[1]}), not the other way round")
    if sorted(got) == sorted(want):
        moved = [k for k in range(len(want)) if got[k] != want[k]]
        if len(moved) == 2:
            a, b = moved
            return (f"the {names[a]} ({want[a]}) and {names[b]} ({want[b]}) axes of {key} are swapped: "
                    f"axis {a} is the {names[a]}, axis {b} the {names[b]}")
        return f"the axes of {key} are in the wrong order: they are ({', '.join(names)})"
    wrong = [k for k in range(len(want)) if got[k] != want[k]]
    parts = [f"axis {k} holds the {label(got[k])} where "
             + ("the 1 of a column vector belongs" if names[k] == "column" else f"the {names[k]} ({want[k]}) belong")
             for k in wrong]
    return "; ".join(parts)


def check_shape_values(answers: Mapping[str, Any], expected: Mapping[str, tuple], hints: Mapping[str, str] | None = None,
                       name: str = "shapes", axes: Mapping[str, Sequence[str]] | None = None,
                       sizes: Mapping[str, int] | None = None) -> None:
    """Each ``answers[key]`` equals ``expected[key]`` (as a tuple of ints). When ``axes[key]`` names the axes of
    the right shape and ``sizes`` the sizes of the exercise, a wrong shape is described (``shape_mistake``)
    before the key's own hint."""
    from rnncourse import checks

    hints, axes, sizes = hints or {}, axes or {}, sizes or {}
    for key, want in expected.items():
        got = answers.get(key)
        got = tuple(int(v) for v in got) if isinstance(got, tuple) else got
        want = tuple(int(v) for v in want)
        said = shape_mistake(got, want, axes[key], sizes, f'{name}["{key}"]') if key in axes else None
        hint = "; ".join(h for h in (said, hints.get(key)) if h) or None
        checks.check_equal(got, want, f'{name}["{key}"]', hint=hint)


_FORBIDDEN_MODULES = ("keras", "tensorflow", "tf_keras", "rnncourse")


def _module_of(obj: Any) -> str:
    import types

    name = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
    return name if isinstance(name, str) else ""


def _cell_contents(cell) -> list:
    try:
        return [cell.cell_contents]
    except ValueError:                       # a closure variable not assigned yet
        return []


def keras_references(func: Any) -> list[str]:
    """Names the Python function ``func`` uses (directly, in nested functions, defaults and closures, or through
    other functions of the notebook it calls) that lead to Keras, TensorFlow or the course's helpers."""
    import types

    found: set[str] = set()
    seen: set[int] = set()

    def visit(f):
        if not isinstance(f, types.FunctionType) or id(f) in seen:
            return
        seen.add(id(f))
        used = [(f"a default argument {v!r:.40}", v) for v in (f.__defaults__ or ())]
        used += [(f"a default argument {v!r:.40}", v) for v in (f.__kwdefaults__ or {}).values()]
        used += [(f"a closure variable {v!r:.40}", v) for cell in (f.__closure__ or ()) for v in _cell_contents(cell)]
        codes = [f.__code__]
        while codes:
            code = codes.pop()
            codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
            for name in code.co_names:
                if name.split(".")[0] in _FORBIDDEN_MODULES or name in ("__import__", "eval", "exec"):   # import keras, ...
                    found.add(name)
                elif name in f.__globals__:
                    used.append((name, f.__globals__[name]))
        for label, obj in used:
            if _module_of(obj).split(".")[0] in _FORBIDDEN_MODULES:
                found.add(label)
            else:
                visit(obj)

    visit(func)
    return sorted(found)


class forbid_keras:
    """Context manager: "count with arithmetic" holds for the function under test.

    Parameter-count exercises must be solved with arithmetic; tests call the student's function
    inside ``with forbid_keras(func):`` and compare with ``count_params()`` computed outside it.
    On entry, a ``func`` that refers to Keras, TensorFlow or the course's helpers in any way
    (``from keras.layers import LSTM``, ``keras.src...``, ``tf.keras...``, an import inside the
    function) fails with a message naming what it uses. While active, constructing any Keras layer
    or model fails however its class was reached (the base ``Layer.__init__`` is switched off), and
    the public ``keras.layers`` / ``keras`` names raise too.
    """

    NAMES = ("SimpleRNN", "LSTM", "GRU", "Dense", "RNN", "SimpleRNNCell", "LSTMCell", "GRUCell", "Bidirectional")
    MESSAGE = "count the parameters with arithmetic: building Keras layers is switched off in this test"

    def __init__(self, func: Any = None, name: str | None = None):
        self.func, self.name, self._remote = func, name, False

    def _blocked(self, *args, **kwargs):
        raise AssertionError(self.MESSAGE)

    def for_function(self, func: Any) -> "forbid_keras":
        return forbid_keras(func, self.name)

    def __enter__(self):
        guard = getattr(type(self.func), "__guard__", None)
        if guard is not None:
            # grading: the function lives in the student's kernel, so the checks run there, on it
            guard(self.func, forbid_keras(None, self.name))
            self._remote = True
            return self
        import keras

        if self.func is not None:
            used = keras_references(self.func)
            if used:
                name = self.name or getattr(self.func, "__name__", "the function")
                raise AssertionError(f"count the parameters with arithmetic: `{name}` uses {', '.join(used)}"
                                     "\nHint: write the count from the shapes of W_F, W_R and b; no Keras inside")
        self._saved = []
        for owner, names in ((keras.layers, self.NAMES), (keras, ("Sequential", "Model"))):
            for attr in names:
                if hasattr(owner, attr):
                    self._saved.append((owner, attr, getattr(owner, attr)))
                    setattr(owner, attr, self._blocked)
        layer_class = keras.layers.Layer
        self._saved.append((layer_class, "__init__", layer_class.__dict__["__init__"]))
        blocked = self._blocked

        def init(layer, *args, **kwargs):
            blocked()

        layer_class.__init__ = init
        return self

    def __exit__(self, *exc):
        if self._remote:
            type(self.func).__unguard__(self.func)
            return False
        for owner, attr, value in self._saved:
            setattr(owner, attr, value)
        return False

