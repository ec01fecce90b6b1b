"""The stderr noise filter: real library lines go, everything else stays (no execution needed)."""
import pytest

from autograder.noise import StripLibraryNoise

REAL_NOISE = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
    "E0000 00:00:1795309856.791515       2 util.cc:131] oneDNN supports DT_BOOL only on platforms with AVX-512. "
    "Falling back to the default Eigen-based implementation if present.\n",
    "I0000 00:00:1795308348.802173   17974 port.cc:153] oneDNN custom operations are on.\n",
    "W1122 00:29:39.123456  4346 gpu_device.cc:2341] Cannot dlopen some GPU libraries.\n",
    "2026-11-22 00:29:39.123456: W tensorflow/core/framework/op_kernel.cc:1857] OP_REQUIRES failed\n",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow.\n",
    "/venv/lib/python3.11/site-packages/keras/src/layers/rnn/rnn.py:199: UserWarning: Do not pass an "
    "`input_shape`/`input_dim` argument to a layer.\n  super().__init__(**kwargs)\n",
    "WARNING:tensorflow:5 out of the last 5 calls to <function> triggered tf.function retracing.\n",
]


def strip(text):
    return StripLibraryNoise().strip(text)


@pytest.mark.parametrize("line", REAL_NOISE)
def test_library_noise_is_removed(line):
    assert strip(line) == ""


def test_everything_else_is_kept():
    student = "my debug print to stderr\nTraceback (most recent call last):\nValueError: bad shape\n"
    assert strip(REAL_NOISE[1] + student + REAL_NOISE[6]) == student
