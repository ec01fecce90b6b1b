"""rnncourse.architecture.forbid_keras: "count the parameters with arithmetic" must really hold (lesson 03)."""
import pytest

from rnncourse.architecture import forbid_keras, keras_references

pytestmark = pytest.mark.slow      # imports Keras and TensorFlow


def _define(source: str):
    namespace: dict = {}
    exec(source, namespace)
    return namespace["count"]


ARITHMETIC = "def count(i, u):\n    return u * (i + u + 1)\n"
CHEATS = {
    "class imported into the cell": "from keras.layers import LSTM\n"
                                    "def count(i, u):\n    return LSTM(u).count_params()\n",
    "keras.src path": "import keras\ndef count(i, u):\n    return keras.src.layers.GRU(u).count_params()\n",
    "tf.keras": "import tensorflow as tf\ndef count(i, u):\n    return tf.keras.layers.SimpleRNN(u).count_params()\n",
    "import inside the function": "def count(i, u):\n    from keras import layers\n    return layers.LSTM(u).count_params()\n",
    "class as a default argument": "from keras.src.layers import LSTM\n"
                                   "def count(i, u, make=LSTM):\n    return make(u).count_params()\n",
    "through a helper function": "from keras.layers import GRU\ndef helper(u):\n    return GRU(u)\n"
                                 "def count(i, u):\n    return helper(u).count_params()\n",
}


def test_arithmetic_passes_and_refers_to_nothing():
    count = _define(ARITHMETIC)
    assert keras_references(count) == []
    with forbid_keras(count, "count"):
        assert count(3, 7) == 77


@pytest.mark.parametrize("how", sorted(CHEATS))
def test_a_function_that_reaches_keras_is_rejected_by_name(how):
    count = _define(CHEATS[how])
    with pytest.raises(AssertionError, match="arithmetic"):
        with forbid_keras(count, "count"):
            count(3, 7)


def test_any_keras_layer_is_switched_off_inside_and_restored_after():
    import keras
    from keras.src.layers import LSTM                          # not a public name that could be replaced

    with forbid_keras():
        with pytest.raises(AssertionError, match="arithmetic"):
            LSTM(4)
        with pytest.raises(AssertionError, match="arithmetic"):
            keras.layers.Dense(2)
    assert LSTM(4).units == 4 and keras.layers.Dense(2).units == 2
