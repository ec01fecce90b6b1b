"""Checks that look inside a Keras model the same way whether it was built with ``keras.Sequential``
or with the functional API (``keras.Model(inputs, outputs)``), used by lesson 04's test cells.

They live in a module, not in a notebook cell: the grader restores module code before every test
cell, so an answer cell cannot redefine a check.
"""
import keras
import numpy as np
from keras import layers

from rnncourse import checks

# SimpleRNN, GRU and LSTM are RNN layers too, as is keras.layers.RNN(GRUCell(...)) written out by hand
RECURRENT = (layers.RNN, layers.Bidirectional)
_CELL_KINDS = ((layers.SimpleRNNCell, "SimpleRNN"), (layers.GRUCell, "GRU"), (layers.LSTMCell, "LSTM"))


def model_layers(model):
    # The model's layers in order: InputLayers left out, nested models and TimeDistributed opened up.
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += model_layers(layer)
        elif isinstance(layer, layers.TimeDistributed):
            found.append(layer.layer)
        elif not isinstance(layer, layers.InputLayer):
            found.append(layer)
    return found


def recurrent_layers(model):
    return [layer for layer in model_layers(model) if isinstance(layer, RECURRENT)]


def layer_kind(layer):
    # "SimpleRNN", "GRU" or "LSTM" by the cell a recurrent layer runs (keras.layers.GRU and
    # keras.layers.RNN(keras.layers.GRUCell(...)) are the same layer), else the class name.
    cell = getattr(layer, "cell", None)
    return next((kind for cls, kind in _CELL_KINDS if isinstance(cell, cls)), type(layer).__name__)


def returns_sequences(layer):
    # A Bidirectional wrapper keeps the setting of the layer it wraps on its forward copy.
    return (layer.forward_layer if isinstance(layer, layers.Bidirectional) else layer).return_sequences


def build(builder, *args, hint=None, **kwargs):
    # The student's builder called on these sizes; a Keras error while connecting layers becomes a failed check.
    call = f"{getattr(builder, '__name__', 'the builder')}{args}"
    try:
        model = builder(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:
        checks.check_true(False, f"{call} raised {type(exc).__name__}: {str(exc)[:300]}",
                          hint=hint or "Keras could not connect the layers: check the shape each layer receives")
    checks.check_type(model, keras.Model, call,
                      hint="return the model: keras.Sequential([...]) or keras.Model(inputs, outputs)")
    return model


def outputs_on(model, x, hint=None):
    # The model's output on a batch x, as a NumPy array; an input it cannot take becomes a failed check.
    try:
        return np.asarray(model(x))
    except Exception as exc:
        checks.check_true(False, f"the model cannot read a batch of shape {x.shape}: {type(exc).__name__}: "
                                 f"{str(exc)[:200]}", hint=hint)


def check_input_shape(model, expected, hint=None):
    # The shape of keras.Input; None (any length) is accepted on the time axis.
    got = tuple(model.inputs[0].shape)
    allowed = {tuple(expected), tuple(expected[:1]) + (None,) + tuple(expected[2:])}
    checks.check_true(got in allowed, f"the model's input shape is {got}, expected {tuple(expected)}", hint=hint)


def check_probabilities(model, x, hint):
    # Outputs in [0, 1] that depend on the input, also when the read-out's input is scaled up or flipped.
    for factor in (1.0, 10.0, -10.0):
        out = with_scaled_readout(model, x, factor)
        checks.check_true(not np.allclose(out, 1.0), "every output is exactly 1: a softmax over a single unit "
                          "always outputs 1", hint="one probability per step needs activation='sigmoid'")
        scaled = f" (with the last Dense layer's weights times {factor:g})" if factor != 1 else ""
        checks.check_true(out.min() >= 0 and out.max() <= 1, f"outputs should be probabilities in [0, 1]; "
                          f"got values from {out.min():.3g} to {out.max():.3g}{scaled}", hint=hint)


def with_scaled_readout(model, x, factor):
    # The output on x when the weights of the last Dense layer are multiplied by factor (then restored):
    # this multiplies the read-out's input to its activation by factor, whatever that activation is.
    dense = [layer for layer in model_layers(model) if isinstance(layer, layers.Dense)]
    checks.check_true(dense, "the model has no Dense layer", hint="the output is read out by a layers.Dense")
    saved = dense[-1].get_weights()
    dense[-1].set_weights([w * factor for w in saved])
    try:
        return outputs_on(model, x)
    finally:
        dense[-1].set_weights(saved)


def readout_activations(model):
    # Names of the activations after the last recurrent layer, for the messages.
    found = model_layers(model)
    last = max([i for i, layer in enumerate(found) if isinstance(layer, RECURRENT)], default=-1)
    return [str(layer.get_config().get("activation")) for layer in found[last + 1:]
            if isinstance(layer, (layers.Dense, layers.Activation))]


def check_linear_readout(model, x, hint):
    # A linear read-out: multiplying the last Dense layer's weights by f multiplies the output by f.
    out = with_scaled_readout(model, x, 1.0)
    for factor in (3.0, -1.0):
        scaled = with_scaled_readout(model, x, factor)
        checks.check_true(np.allclose(scaled, factor * out, atol=1e-4, rtol=1e-3),
                          f"the output is not a linear read-out of the states: multiplying the last Dense layer's "
                          f"weights by {factor:g} does not multiply the output by {factor:g} "
                          f"(activations after the RNN: {readout_activations(model)})", hint=hint)
