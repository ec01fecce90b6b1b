"""Realistic answers to lesson 03's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

SOLUTION_SHAPES = {
    "W_F": (7, 3), "W_R": (7, 7), "b": (7, 1), "x_t": (3, 1), "a_t": (7, 1), "W": (7, 10), "a_prev_x_t": (10, 1),
    "W_y": (1, 7), "b_y": (1, 1), "y": (1, 1), "kernel": (3, 7), "recurrent_kernel": (7, 7), "bias": (7,),
    "X": (64, 10, 3), "X_t": (64, 3), "A_t": (64, 7), "rnn_out_sequences": (64, 10, 7), "rnn_out_last": (64, 7),
    "dense_kernel": (7, 1), "dense_bias": (1,), "model_out": (64, 1), "model_out_sequences": (64, 10, 1),
}


def shapes_with(**changes) -> str:
    """An answer cell that fills the dictionary with the right shapes except ``changes``."""
    return f"shapes.update({ {**SOLUTION_SHAPES, **changes}!r})"


ANSWERS = [
    # --- Exercise 1: the shapes ---------------------------------------------------------------------
    Valid("shapes_answer", "written with the named sizes", '''
I, U, O, B, T = N_INPUTS, UNITS, N_OUTPUTS, BATCH, STEPS
shapes["W_F"], shapes["W_R"], shapes["b"] = (U, I), (U, U), (U, 1)
shapes["x_t"], shapes["a_t"] = (I, 1), (U, 1)
shapes["W"], shapes["a_prev_x_t"] = (U, I + U), (I + U, 1)
shapes["W_y"], shapes["b_y"], shapes["y"] = (O, U), (O, 1), (O, 1)
shapes["kernel"], shapes["recurrent_kernel"], shapes["bias"] = (I, U), (U, U), (U,)
shapes["X"], shapes["X_t"], shapes["A_t"] = (B, T, I), (B, I), (B, U)
shapes["rnn_out_sequences"], shapes["rnn_out_last"] = (B, T, U), (B, U)
shapes["dense_kernel"], shapes["dense_bias"] = (U, O), (O,)
shapes["model_out"], shapes["model_out_sequences"] = (B, O), (B, T, O)
'''),
    Valid("shapes_answer", "NumPy ints from array shapes", '''
W_F = np.zeros((UNITS, N_INPUTS)); W_R = np.zeros((UNITS, UNITS))
W = np.concatenate([W_F, W_R], axis=1)
shapes.update({key: tuple(np.int64(d) for d in value) for key, value in ''' + repr(SOLUTION_SHAPES) + '''.items()})
shapes["W"] = tuple(np.int64(d) for d in W.shape)
shapes["kernel"] = tuple(np.int64(d) for d in W_F.T.shape)
'''),
    Mistake("shapes_answer", "W_F written (inputs x units)", shapes_with(W_F=(3, 7)), says="rows = outputs"),
    Mistake("shapes_answer", "bias as a 1-D vector in the course notation", shapes_with(b=(7,)),
            says="number of dimensions"),
    Mistake("shapes_answer", "a None left in the dictionary", shapes_with(W_R=None), says="replace every None"),
    Mistake("shapes_answer", "kernel written in the course orientation", shapes_with(kernel=(7, 3)),
            says="transposed", test="shapes_keras_weights"),
    Mistake("shapes_answer", "last output keeps the time axis", shapes_with(rnn_out_last=(64, 10, 7)),
            says="number of dimensions", test="shapes_rnn_outputs"),
    Mistake("shapes_answer", "W given as (inputs + units) x units", shapes_with(W=(10, 7)),
            says="one row per unit", test="shapes_concatenated"),
    Mistake("shapes_answer", "x_t with the batch axis", shapes_with(x_t=(64, 3)),
            says="no batch", test="shapes_course_vectors"),
    Mistake("shapes_answer", "W_R counted from the inputs to the units", shapes_with(W_R=(7, 3)),
            says=r"axis 1 holds the inputs \(3\) where the units \(7\) belong"),
    Mistake("shapes_answer", "batch and time swapped in X", shapes_with(X=(10, 64, 3)),
            says="batch .*time steps.* swapped", test="shapes_keras_batch"),
    Mistake("shapes_answer", "time-major output of the SimpleRNN", shapes_with(rnn_out_sequences=(10, 64, 7)),
            says="batch .*time steps.* swapped", test="shapes_rnn_outputs"),
    Mistake("shapes_answer", "a_t written as a row", shapes_with(a_t=(1, 7)),
            says="a_t.*transposed", test="shapes_course_vectors"),
    Mistake("shapes_answer", "stacked vector holds only a_{t-1}", shapes_with(a_prev_x_t=(7, 1)),
            says=r"units \(7\) where the inputs \+ units \(10\) belong", test="shapes_concatenated"),
    Mistake("shapes_answer", "W_y written (units x outputs), Keras's way", shapes_with(W_y=(7, 1)),
            says="W_y.*transposed", test="shapes_course_output"),
    Mistake("shapes_answer", "A_t with the time steps instead of the units", shapes_with(A_t=(64, 10)),
            says=r"time steps \(10\) where the units \(7\) belong", test="shapes_keras_batch"),
    Mistake("shapes_answer", "Dense kernel in the course orientation", shapes_with(dense_kernel=(1, 7)),
            says="dense_kernel.*transposed", test="shapes_keras_output"),
    Mistake("shapes_answer", "recurrent_kernel from the inputs", shapes_with(recurrent_kernel=(3, 7)),
            says=r"axis 0 holds the inputs \(3\) where the units \(7\) belong", test="shapes_keras_weights"),
    # --- Exercise 2: parameter counts ---------------------------------------------------------------
    Valid("params_answer", "factored formulas and a sum over pairs of sizes", '''
def simple_rnn_params(input_dim, units):
    return units * (input_dim + units + 1)


def lstm_params(input_dim, units):
    return 4 * units * (input_dim + units + 1)


def gru_params(input_dim, units):
    return 3 * units * (input_dim + units + 2)


def stacked_params(input_dim, layer_units, kind, output_units=1):
    count = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    fan_ins = [input_dim] + list(layer_units[:-1])
    return sum(count(i, u) for i, u in zip(fan_ins, layer_units)) + layer_units[-1] * output_units + output_units
'''),
    Valid("params_answer", "shapes listed per block, NumPy sizes, if/elif dispatch", '''
def _block(input_dim, units, biases=1):
    return int(np.prod((units, input_dim)) + np.prod((units, units)) + biases * units)


def simple_rnn_params(input_dim, units):
    return _block(input_dim, units)


def lstm_params(input_dim, units):
    return sum(_block(input_dim, units) for gate in "ifco")


def gru_params(input_dim, units):
    return sum(_block(input_dim, units, biases=2) for gate in "zrh")


def stacked_params(input_dim, layer_units, kind, output_units=1):
    total, previous = 0, input_dim
    for units in layer_units:
        if kind == "simple_rnn":
            total += simple_rnn_params(previous, units)
        elif kind == "lstm":
            total += lstm_params(previous, units)
        else:
            total += gru_params(previous, units)
        previous = units
    return total + (previous + 1) * output_units
'''),
    Mistake("params_answer", "bias forgotten", '''
def simple_rnn_params(input_dim, units):
    return units * input_dim + units * units
''', says="bias"),
    Mistake("params_answer", "Keras class imported into the cell (bypasses the public names)", '''
from keras.layers import LSTM


def lstm_params(input_dim, units):
    layer = LSTM(units)
    layer.build((None, None, input_dim))
    return int(layer.count_params())
''', says="arithmetic", test="lstm_params_count"),
    Mistake("params_answer", "keras.src path", '''
import keras


def gru_params(input_dim, units):
    layer = keras.src.layers.GRU(units)
    layer.build((None, None, input_dim))
    return int(layer.count_params())
''', says="arithmetic", test="gru_params_count"),
    Mistake("params_answer", "tf.keras inside the function", '''
def simple_rnn_params(input_dim, units):
    import tensorflow as tf
    layer = tf.keras.layers.SimpleRNN(units)
    layer.build((None, None, input_dim))
    return int(layer.count_params())
''', says="arithmetic"),
    # the grading reference exists only where the tests run: the name is not defined for the student
    Mistake("params_answer", "the course's reference helper", '''
def simple_rnn_params(input_dim, units):
    return keras_param_count(input_dim, [units], "simple_rnn")
''', says="keras_param_count"),
    Mistake("params_answer", "GRU with one bias per block", '''
def gru_params(input_dim, units):
    return 3 * (units * input_dim + units * units + units)
''', says="two bias vectors", test="gru_params_count"),
    Mistake("params_answer", "every stacked layer reads the input", '''
def stacked_params(input_dim, layer_units, kind, output_units=1):
    count = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    return sum(count(input_dim, u) for u in layer_units) + layer_units[-1] * output_units + output_units
''', says="outputs of the layer below", test="stacked_params_count"),
    Mistake("params_answer", "Dense output layer left out", '''
def stacked_params(input_dim, layer_units, kind, output_units=1):
    count = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    total, fan_in = 0, input_dim
    for u in layer_units:
        total, fan_in = total + count(fan_in, u), u
    return total
''', says="Dense output layer is missing", test="stacked_params_count"),
    Mistake("params_answer", "LSTM counted with 3 blocks", '''
def lstm_params(input_dim, units):
    return 3 * (units * input_dim + units * units + units)
''', says="4 blocks", test="lstm_params_count"),
    Mistake("params_answer", "SimpleRNN bias counted twice", '''
def simple_rnn_params(input_dim, units):
    return units * input_dim + units * units + 2 * units
''', says="bias .*twice"),
    Mistake("params_answer", "SimpleRNN without the recurrent weights", '''
def simple_rnn_params(input_dim, units):
    return units * input_dim + units
''', says=r"W_R .*units x units.* missing"),
    Mistake("params_answer", "SimpleRNN without the feedforward weights", '''
def simple_rnn_params(input_dim, units):
    return units * units + units
''', says=r"W_F .*units x inputs.* missing"),
    Mistake("params_answer", "LSTM: four blocks of weights but one bias", '''
def lstm_params(input_dim, units):
    return 4 * (units * input_dim + units * units) + units
''', says="each of the 4 blocks has its own bias", test="lstm_params_count"),
    Mistake("params_answer", "LSTM without the gate multiplier", '''
def lstm_params(input_dim, units):
    return units * input_dim + units * units + units
''', says="4 blocks", test="lstm_params_count"),
    Mistake("params_answer", "LSTM given the GRU's two bias rows", '''
def lstm_params(input_dim, units):
    return 4 * (units * input_dim + units * units + 2 * units)
''', says="one bias per block", test="lstm_params_count"),
    Mistake("params_answer", "GRU counted with 4 blocks", '''
def gru_params(input_dim, units):
    return 4 * (units * input_dim + units * units + 2 * units)
''', says="3 blocks", test="gru_params_count"),
    Mistake("params_answer", "GRU without its biases", '''
def gru_params(input_dim, units):
    return 3 * (units * input_dim + units * units)
''', says="bias.* missing", test="gru_params_count"),
    Mistake("params_answer", "Dense bias forgotten in the stack", '''
def stacked_params(input_dim, layer_units, kind, output_units=1):
    count = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    total, fan_in = 0, input_dim
    for u in layer_units:
        total, fan_in = total + count(fan_in, u), u
    return total + fan_in * output_units
''', says="Dense layer's bias", test="stacked_params_count"),
    Mistake("params_answer", "kind ignored: every layer counted as a SimpleRNN", '''
def stacked_params(input_dim, layer_units, kind, output_units=1):
    total, fan_in = 0, input_dim
    for u in layer_units:
        total, fan_in = total + simple_rnn_params(fan_in, u), u
    return total + fan_in * output_units + output_units
''', says="counted as simple_rnn layers", test="stacked_params_count"),
    Mistake("params_answer", "the Dense layer reads the input instead of the last layer", '''
def stacked_params(input_dim, layer_units, kind, output_units=1):
    count = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    total, fan_in = 0, input_dim
    for u in layer_units:
        total, fan_in = total + count(fan_in, u), u
    return total + input_dim * output_units + output_units
''', says="Dense layer reads the last recurrent layer", test="stacked_params_count"),
    Valid("params_answer", "weights listed as shapes and counted with math.prod", '''
import math


def simple_rnn_params(input_dim, units):
    return sum(math.prod(shape) for shape in [(units, input_dim), (units, units), (units,)])


def lstm_params(input_dim, units):
    return sum(math.prod(shape) for shape in [(input_dim, 4 * units), (units, 4 * units), (4 * units,)])


def gru_params(input_dim, units):
    return sum(math.prod(shape) for shape in [(input_dim, 3 * units), (units, 3 * units), (2, 3 * units)])


def stacked_params(input_dim, layer_units, kind, output_units=1):
    per_layer = {"simple_rnn": simple_rnn_params, "lstm": lstm_params, "gru": gru_params}[kind]
    sizes = [input_dim, *layer_units]
    recurrent = sum(per_layer(sizes[k], sizes[k + 1]) for k in range(len(layer_units)))
    return recurrent + math.prod((sizes[-1], output_units)) + output_units
'''),
]
