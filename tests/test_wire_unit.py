"""Values across the kernel boundary (autograder/wire.py): what arrives is rebuilt from bytes as real
built-in objects, and nothing of the sender's objects runs on the receiving side. Fast: NumPy only."""
from __future__ import annotations

import json

import numpy as np
import pytest

from autograder import wire


class Side:
    """A minimal pair of tables, as kernelside.Side keeps them."""

    def __init__(self):
        self.kept = {}

    def keep(self, obj):
        self.kept[len(self.kept) + 1] = obj
        return len(self.kept)


def cross(value, unpickle=False):
    sender = Side()
    data = wire.loads(wire.dumps(wire.Encoder(sender.keep).encode(value)))
    proxies = []
    got = wire.Decoder(lambda h, c, k: proxies.append((h, c, k)) or ("proxy", h, c, k),
                       lambda h: ("mine", h), unpickle=unpickle).decode(data)
    return got, sender


def test_plain_values_cross_as_exact_builtin_types():
    value = {"a": [1, 2.5, None, True, "s", b"\x00"], (1, 2): {3, 4}, "big": 2 ** 80, "c": 1 + 2j,
             "nan": float("nan"), "f": frozenset({1})}
    got, _ = cross(value)
    assert got["a"] == [1, 2.5, None, True, "s", b"\x00"] and got[(1, 2)] == {3, 4}
    assert got["big"] == 2 ** 80 and got["c"] == 1 + 2j and np.isnan(got["nan"]) and got["f"] == frozenset({1})


def test_arrays_and_numpy_scalars_keep_dtype_and_shape():
    arr = np.arange(12, dtype="float32").reshape(3, 4)
    got, _ = cross([arr, np.int16(7), np.array(["ab", "c"])])
    assert type(got[0]) is np.ndarray and got[0].dtype == np.float32 and np.array_equal(got[0], arr)
    assert type(got[1]) is np.int16 and got[1] == 7
    assert got[2].tolist() == ["ab", "c"]


def test_a_generator_crosses_with_its_state():
    rng = np.random.default_rng(3)
    rng.normal()
    got, _ = cross(rng)
    assert isinstance(got, np.random.Generator) and got.normal() == rng.normal()


def test_lying_objects_stay_behind_as_handles():
    class Oracle(np.ndarray):
        def __eq__(self, other):
            return True

    class Liar(int):
        def __eq__(self, other):
            return True

    class Fake:
        shape = (3,)

        def __array__(self, *a, **k):
            return np.zeros(3)

    oracle = np.zeros(3).view(Oracle)
    got, sender = cross([oracle, Liar(5), Fake(), len])
    assert [g[0] for g in got] == ["proxy"] * 4
    assert [g[2] for g in got] == [False, False, False, True]      # callable or not
    assert sender.kept[1] is oracle


def test_object_arrays_and_structured_arrays_are_refused():
    for arr in (np.array([object()], dtype=object), np.zeros(2, dtype=[("a", "i4")])):
        got, _ = cross(arr)
        assert got[0] == "proxy"
    bad = {"t": "nd", "v": wire._npy(np.zeros(2))[:-16]}           # cut short
    with pytest.raises(Exception):
        wire.Decoder(None, None).decode(bad)


def test_pickles_are_read_only_where_allowed():
    import base64
    import pickle

    data = {"t": "pickle", "v": base64.b64encode(pickle.dumps([1, 2])).decode()}
    with pytest.raises(wire.Unreadable):
        wire.Decoder(None, None).decode(data)
    assert wire.Decoder(None, None, unpickle=True).decode(data) == [1, 2]


def test_malformed_and_oversized_messages_are_refused():
    for data in ({"t": "nope"}, {"t": "list", "v": "x"}, {"t": "dict", "v": [[1]]}, {"x": 1},
                 {"t": "rng", "bit": "os.system", "v": {}}, {"t": "bigint", "v": "9" * 6000}):
        with pytest.raises(wire.Unreadable):
            wire.Decoder(None, None).decode(data)
    deep = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.Unreadable):
        wire.Encoder(Side().keep).encode(deep)
    nested = json.loads(json.dumps({"t": "list", "v": [1]}))
    for _ in range(wire.MAX_DEPTH + 5):
        nested = {"t": "list", "v": [nested]}
    with pytest.raises(wire.Unreadable):
        wire.Decoder(None, None).decode(nested)


def test_a_huge_array_is_refused_before_a_byte_is_written():
    huge = np.broadcast_to(np.float64(0), (10 ** 9,))        # 8 GB if serialised; no memory as a view
    with pytest.raises(wire.Unreadable, match="elements"):
        wire.Encoder(Side().keep).encode(huge)
    with pytest.raises(wire.Unreadable):
        wire.Encoder(Side().keep).encode([np.zeros(wire.MAX_ITEMS // 2 + 1, dtype=bool)] * 2)


@pytest.mark.slow
def test_a_dataset_crosses_as_its_elements_and_spec(monkeypatch):
    import tensorflow as tf

    x = np.arange(30, dtype="float32").reshape(15, 2)
    ds = tf.data.Dataset.from_tensor_slices((x, x[:, 0] * 10)).batch(4)
    got, _ = cross(ds)
    assert isinstance(got, tf.data.Dataset) and got.element_spec == ds.element_spec
    for (a, b), (c, d) in zip(got, ds, strict=True):
        assert np.array_equal(a.numpy(), c.numpy()) and np.array_equal(b.numpy(), d.numpy())
    by_name = tf.data.Dataset.from_tensor_slices({"x": x}).batch(8)
    got, _ = cross(by_name)
    assert got.element_spec == by_name.element_spec and [e["x"].shape[0] for e in got] == [8, 7]
    monkeypatch.setattr(wire, "MAX_DATASET_ELEMENTS", 100)
    endless = tf.data.Dataset.from_tensor_slices(x).repeat()
    with pytest.raises(wire.Unreadable, match="more than"):
        wire.Encoder(Side().keep).encode(endless)
    words = tf.data.Dataset.from_tensor_slices(["a", "b"])
    with pytest.raises(wire.Unreadable, match="numeric"):
        wire.Encoder(Side().keep).encode(words)
