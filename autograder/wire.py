"""Plain values across the kernel boundary: how a value leaves one kernel and is rebuilt in the other.

Both grading kernels run this module's source (``twokernel.py`` sends it; neither sees the
``autograder`` package). A value becomes JSON with binary parts in base64:

* ``None``, ``bool``, ``int``, ``float``, ``str`` as JSON; ``bytes`` and ``complex`` tagged;
* ``list``, ``tuple``, ``dict``, ``set``, ``frozenset`` tagged, element by element;
* NumPy arrays and scalars of a plain dtype (bool, int, uint, float, complex, str) as ``.npy``
  bytes, read back with ``allow_pickle=False``; TensorFlow tensors and variables as their array;
* a Keras model as a ``.keras`` archive, loaded with ``safe_mode=True`` (a ``Lambda`` layer or a
  custom class does not load: the receiver gets ``Unreadable``, never the sender's code);
* a Keras layer as its config and weights, rebuilt the same way;
* a NumPy ``Generator`` as its bit generator's name and state;
* a ``tf.data.Dataset`` of numeric tensors as its element spec and its elements (read once, at
  most ``MAX_DATASET_ELEMENTS``), rebuilt as a dataset that yields those elements;
* from the checker to the student only, an instance of a course helper class (``rnncourse``) as
  a pickle (the student side may unpickle what the checker sends; the checker never unpickles);
* anything else stays where it is: the receiver gets a *handle* (``{"t": "handle", "id": n}``)
  that it turns into a proxy; a proxy sent back is a ``ref`` to the receiver's own object.

Decoding rebuilds only real built-in objects (exact ``int``, ``list``, ``numpy.ndarray``, ...), so no
method of the sender's objects ever runs on the receiving side. Sizes and depth are bounded.
"""
from __future__ import annotations

import base64
import io
import json
import math

MAX_BYTES = 256 << 20           # one encoded message
MAX_ITEMS = 2_000_000           # elements in all containers of one value
MAX_DEPTH = 64
PLAIN_KINDS = "biufcU"          # NumPy dtype kinds that cross by value
GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
MAX_DATASET_ELEMENTS = 100_000
DATASET_DTYPES = ("bool", "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
                  "uint8", "uint16", "uint32", "uint64")


class Unreadable(ValueError):
    """A value that cannot cross as plain data (too large, too deep, or not loadable)."""


def _np():
    import numpy
    return numpy


def _npy(arr) -> str:
    np = _np()
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _from_npy(text: str):
    np = _np()
    arr = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    if type(arr) is not np.ndarray or arr.dtype.kind not in PLAIN_KINDS or arr.dtype.fields:
        raise Unreadable("not a plain array")
    return arr


def _is_keras_model(value) -> bool:
    module = type(value).__module__ or ""
    if not module.startswith(("keras", "tf_keras", "tensorflow")):
        return False
    import keras
    return isinstance(value, keras.Model)


def _is_keras_layer(value) -> bool:
    module = type(value).__module__ or ""
    if not module.startswith(("keras", "tensorflow")):
        return False
    import keras
    return isinstance(value, keras.layers.Layer)


def _layer_data(layer, encode) -> dict:
    import keras

    config = keras.saving.serialize_keras_object(layer)
    build = layer.get_build_config() if layer.built else None
    return {"t": "layer", "v": json.dumps(config), "build": json.dumps(build),
            "weights": [encode(w) for w in layer.get_weights()] if layer.built else []}


def _keras_layer(data, decode):
    import keras

    try:
        layer = keras.saving.deserialize_keras_object(json.loads(data["v"]), safe_mode=True)
        if not isinstance(layer, keras.layers.Layer):
            raise TypeError("not a layer")
        build = json.loads(data.get("build") or "null")
        if build:
            layer.build_from_config(build)
            layer.set_weights([decode(w) for w in data.get("weights", [])])
        return layer
    except Exception as exc:
        raise Unreadable(f"the Keras layer could not be rebuilt from Keras' own layers "
                         f"({type(exc).__name__}: {str(exc)[:200]})") from None


def _keras_bytes(model) -> str:
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="wire-") as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as fh:
            return base64.b64encode(fh.read()).decode("ascii")


def _keras_model(text: str):
    import os
    import tempfile

    import keras

    with tempfile.TemporaryDirectory(prefix="wire-") as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(text, validate=True))
        try:
            return keras.saving.load_model(path, safe_mode=True)
        except Exception as exc:
            raise Unreadable(f"the Keras model could not be loaded with only Keras' own layers "
                             f"({type(exc).__name__}: {str(exc)[:200]})") from None


def _is_dataset(value) -> bool:
    import sys

    tf = sys.modules.get("tensorflow")
    return tf is not None and isinstance(value, tf.data.Dataset)


def _dataset_data(ds, encode) -> dict:
    """A dataset's element spec (its structure, and each tensor's shape and dtype) and its elements."""
    import itertools

    import tensorflow as tf

    specs = tf.nest.flatten(ds.element_spec)
    if not all(type(s) is tf.TensorSpec and s.dtype.name in DATASET_DTYPES for s in specs):
        raise Unreadable("only a dataset of numeric tensors can cross")
    elements = list(itertools.islice(ds.as_numpy_iterator(), MAX_DATASET_ELEMENTS + 1))
    if len(elements) > MAX_DATASET_ELEMENTS:
        raise Unreadable(f"the dataset has more than {MAX_DATASET_ELEMENTS} elements")
    return {"t": "dataset",
            "structure": encode(tf.nest.map_structure(lambda s: 0, ds.element_spec)),
            "specs": [[s.shape.as_list() if s.shape.rank is not None else None, s.dtype.name] for s in specs],
            "v": [encode(tuple(tf.nest.flatten(e))) for e in elements]}


def _dataset(data, decode):
    import tensorflow as tf

    try:
        specs = []
        for shape, dtype in data["specs"]:
            if dtype not in DATASET_DTYPES or not (shape is None or (type(shape) is list and len(shape) <= 32 and all(
                    d is None or (type(d) is int and d >= 0) for d in shape))):
                raise TypeError("bad spec")
            specs.append(tf.TensorSpec(shape, dtype))
        structure = decode(data["structure"])
        spec = tf.nest.pack_sequence_as(structure, specs)
        elements = []
        for item in data["v"]:
            flat = decode(item)
            if type(flat) is not tuple or len(flat) != len(specs):
                raise TypeError("an element does not match the spec")
            elements.append(tf.nest.pack_sequence_as(structure, list(flat)))
        return tf.data.Dataset.from_generator(lambda: iter(elements), output_signature=spec)
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable(f"the dataset could not be rebuilt ({type(exc).__name__}: {str(exc)[:200]})") from None


class Encoder:
    """Turns values into JSON-able structures; ``keep(obj)`` registers an object that stays here and
    returns its handle id; ``local(obj)`` returns the id of a proxy of the *other* side, or None."""

    def __init__(self, keep, local=lambda obj: None, pickled=lambda obj: False):
        self.keep, self.local, self.pickled, self.items = keep, local, pickled, 0

    def encode(self, value, depth: int = 0):
        self.items += 1
        if self.items > MAX_ITEMS or depth > MAX_DEPTH:
            raise Unreadable("the value is too large or too deeply nested to cross")
        t = type(value)
        if value is None or t is bool or t is str:
            return value
        if t is int:
            return value if abs(value) < 2 ** 63 else {"t": "bigint", "v": str(value)}
        if t is float:
            return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
        ref = self.local(value)
        if ref is not None:
            return {"t": "ref", "id": ref}
        if t is complex:
            return {"t": "complex", "v": [repr(value.real), repr(value.imag)]}
        if t is bytes:
            return {"t": "bytes", "v": base64.b64encode(value).decode("ascii")}
        if t in (list, tuple, set, frozenset) or isinstance(value, tuple):   # named tuples as tuples
            name = "tuple" if isinstance(value, tuple) else t.__name__
            return {"t": name, "v": [self.encode(v, depth + 1) for v in value]}
        if t is dict:
            return {"t": "dict", "v": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        np = _np()
        if t is np.ndarray or isinstance(value, np.generic):
            arr = np.asarray(value)
            if arr.dtype.kind in PLAIN_KINDS and not arr.dtype.fields:
                self.items += arr.size
                if self.items > MAX_ITEMS:          # counted before any byte is written
                    raise Unreadable(f"the value has more than {MAX_ITEMS} elements in all")
                return {"t": "nd", "v": _npy(arr), "scalar": not isinstance(value, np.ndarray)}
        if isinstance(value, np.random.Generator):
            bit = value.bit_generator
            return {"t": "rng", "bit": type(bit).__name__, "v": self.encode(bit.state, depth + 1)}
        module = type(value).__module__ or ""
        if module.startswith("tensorflow") and hasattr(value, "numpy") and hasattr(value, "dtype"):
            try:
                return self.encode(np.asarray(value.numpy()), depth)
            except Exception:
                pass
        if module.startswith("tensorflow") and _is_dataset(value):
            return _dataset_data(value, lambda x: self.encode(x, depth + 1))
        if _is_keras_model(value):
            return {"t": "keras", "v": _keras_bytes(value)}
        if _is_keras_layer(value):
            return _layer_data(value, lambda w: self.encode(w, depth + 1))
        if self.pickled(value):
            import pickle
            return {"t": "pickle", "v": base64.b64encode(pickle.dumps(value)).decode("ascii")}
        return {"t": "handle", "id": self.keep(value), "callable": callable(value),
                "type": type(value).__name__[:80]}


class Decoder:
    """Rebuilds values; ``proxy(id, callable, type)`` makes the proxy of a handle of the other side,
    ``mine(id)`` returns this side's object for a ``ref``."""

    def __init__(self, proxy, mine, unpickle: bool = False):
        self.proxy, self.mine, self.unpickle, self.items = proxy, mine, unpickle, 0

    def decode(self, data, depth: int = 0):
        self.items += 1
        if self.items > MAX_ITEMS or depth > MAX_DEPTH:
            raise Unreadable("the value is too large or too deeply nested")
        t = type(data)
        if data is None or t is bool or t is str or t is int or t is float:
            return data
        if t is not dict or type(data.get("t")) is not str:
            raise Unreadable("malformed value")
        tag, v = data["t"], data.get("v")
        if tag in ("list", "tuple", "set", "frozenset"):
            if type(v) is not list:
                raise Unreadable("malformed container")
            items = [self.decode(x, depth + 1) for x in v]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        if tag == "dict":
            if type(v) is not list or any(type(p) is not list or len(p) != 2 for p in v):
                raise Unreadable("malformed dict")
            return {self.decode(k, depth + 1): self.decode(x, depth + 1) for k, x in v}
        if tag == "nd" and type(v) is str:
            arr = _from_npy(v)
            self.items += arr.size
            if self.items > MAX_ITEMS:
                raise Unreadable("the value is too large")
            return arr[()] if data.get("scalar") is True and arr.ndim == 0 else arr
        if tag == "bigint" and type(v) is str and len(v) < 5000:
            return int(v)
        if tag == "float" and v in ("nan", "inf", "-inf"):
            return float(v)
        if tag == "complex" and type(v) is list and len(v) == 2 and all(type(x) is str for x in v):
            return complex(float(v[0]), float(v[1]))
        if tag == "bytes" and type(v) is str:
            return base64.b64decode(v, validate=True)
        if tag == "rng" and data.get("bit") in GENERATORS:
            np = _np()
            bit = getattr(np.random, data["bit"])()
            bit.state = self.decode(v, depth + 1)
            return np.random.Generator(bit)
        if tag == "keras" and type(v) is str:
            return _keras_model(v)
        if tag == "dataset" and type(v) is list and type(data.get("specs")) is list and len(v) <= MAX_DATASET_ELEMENTS:
            return _dataset(data, lambda x: self.decode(x, depth + 1))
        if tag == "layer" and type(v) is str and type(data.get("weights")) is list:
            return _keras_layer(data, lambda w: self.decode(w, depth + 1))
        if tag == "pickle" and self.unpickle and type(v) is str:   # only ever from the checker
            import pickle
            return pickle.loads(base64.b64decode(v, validate=True))
        if tag == "handle" and type(data.get("id")) is int:
            kind = data.get("type") if type(data.get("type")) is str else "object"
            return self.proxy(data["id"], data.get("callable") is True, kind[:80])
        if tag == "ref" and type(data.get("id")) is int:
            return self.mine(data["id"])
        raise Unreadable(f"unknown value tag {tag[:40]!r}")


def dumps(obj) -> str:
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    if len(text) > MAX_BYTES:
        raise Unreadable(f"the value is larger than {MAX_BYTES >> 20} MiB")
    return text


def loads(text: str):
    if type(text) is not str or len(text) > MAX_BYTES:
        raise Unreadable("the message is too large")
    return json.loads(text)
