"""Behaviour checks for lesson 04's design tasks (``app_checks.py``, for lesson 7's builders, uses
its perturbation primitives too): any model that meets the task passes, whatever its layers (GRU,
LSTM or SimpleRNN, ``keras.layers.RNN(cell)``, stacked or not, Sequential or functional).

A model is judged by what it does: the shape of its output on new inputs, whether its outputs are
probabilities, and which input steps each output step depends on, found by perturbing one input
step and seeing which outputs move. A causal model's outputs before step k do not move when step k
changes (they are computed from the same numbers, so they stay equal to float precision); a model
that reads step k moves by far more than rounding. Short sequences keep that signal clear: a freshly
initialised RNN forgets a step after a few dozen steps, so the tests perturb sequences of at most
about ten steps.

They live in a module, not in a notebook cell: the grader restores module code before every test
cell, so an answer cell cannot redefine a check. Steps are counted from 1 in the messages, as in
the lesson's prose.
"""
import numpy as np
from keras import layers

from rnncourse import checks
from rnncourse.model_checks import (model_layers, outputs_on, readout_activations, recurrent_layers,
                                    with_scaled_readout)

__all__ = ["check_output_shape", "check_output_length", "check_sums_to_one", "check_probabilities_per_step",
           "check_causal", "check_reads_steps", "check_sees_both_sides", "check_units", "check_embedding",
           "check_varies_in_time", "check_linear_readout", "state_sizes", "perturb", "responses", "check_moved"]

SAME = 1e-6        # an output that moved less than this did not depend on the perturbed step
MOVED = 1e-5       # an output that moved more than this did


def check_output_shape(out, expected, what, hint=None, per_step_hint=None, one_step_hint=None):
    # The output's shape; an output with one axis more than expected (one row per step) gets
    # per_step_hint, one with an axis fewer (no time axis) one_step_hint.
    got = tuple(np.shape(out))
    if len(got) == len(expected) + 1 and per_step_hint:
        hint = per_step_hint
    elif len(got) == len(expected) - 1 and one_step_hint:
        hint = one_step_hint
    checks.check_shape(out, tuple(expected), what, hint=hint)


def check_output_length(out, out_len, in_len, what, hint):
    # A sequence output (batch, steps, ...) whose number of steps is the input's, not out_len.
    got = tuple(np.shape(out))
    checks.check_true(not (len(got) == 3 and got[1] == in_len != out_len),
                      f"{what}: the output has {in_len} steps, the length of the input, instead of "
                      f"out_len={out_len}: its length is tied to the input length", hint=hint)


def check_sums_to_one(probs, what, hint):
    # Non-negative values that sum to 1 over the last axis.
    values = np.asarray(probs, dtype=np.float64)
    checks.check_true(values.min() >= -1e-6, f"{what}: some probabilities are negative (min {values.min():.3g})",
                      hint=hint)
    checks.check_close(values.sum(axis=-1), np.ones(values.shape[:-1]), f"{what}: sum over the last axis",
                       hint=hint, atol=1e-4)


def check_probabilities_per_step(model, x, hint, out=None):
    # Outputs in [0, 1] (out: the model's output on x, if the test has it already), also when the input
    # of the last Dense layer's activation is scaled up ten times: a relu or tanh read-out then leaves [0, 1].
    out = outputs_on(model, x) if out is None else np.asarray(out, dtype=np.float64)
    checks.check_true(not np.allclose(out, 1.0), "every output is exactly 1: a softmax over a single unit "
                      "always outputs 1", hint="one probability per step needs activation='sigmoid'")
    scaled = ""
    for factor in (1.0, 10.0):
        if factor != 1.0:
            if not any(isinstance(layer, layers.Dense) for layer in model_layers(model)):
                return
            out = with_scaled_readout(model, x, factor)
            scaled = f" (with the last Dense layer's weights times {factor:g})"
        checks.check_true(out.min() >= 0 and out.max() <= 1, f"outputs should be probabilities in [0, 1]; "
                          f"got values from {out.min():.3g} to {out.max():.3g}{scaled}", hint=hint)


def check_linear_readout(model, x, hint, out=None):
    # A linear read-out: multiplying the last Dense layer's weights (kernel and bias) by -2 multiplies
    # the output by -2, which no squashing activation (tanh, sigmoid, relu) after it does.
    out = with_scaled_readout(model, x, 1.0) if out is None else np.asarray(out, dtype=np.float64)
    scaled = with_scaled_readout(model, x, -2.0)
    checks.check_true(np.allclose(scaled, -2.0 * out, atol=1e-4, rtol=1e-3),
                      f"the output is not a linear read-out of the states: multiplying the last Dense layer's "
                      f"weights by -2 does not multiply the output by -2 (activations after the RNN: "
                      f"{readout_activations(model)})", hint=hint)


def perturb(x, step, seed, vocab=None):
    # A copy of the batch x with input step `step` (from 0) of every sequence changed: plus or minus 2
    # for real inputs, another id in 1 .. vocab - 1 for integer ids.
    rng = np.random.default_rng(seed)
    x2 = np.array(x, copy=True)
    if vocab is None:
        x2[:, step] = x2[:, step] + rng.choice([-2.0, 2.0], size=x2[:, step].shape)
    else:
        x2[:, step] = 1 + (x2[:, step] - 1 + rng.integers(1, vocab - 1, size=x2[:, step].shape)) % (vocab - 1)
    return x2


def responses(model, x, steps, vocab=None):
    # {k: how much the output moves when input step k is perturbed}, for every k in steps, from one call
    # of the model on x and its perturbed copies stacked into one batch: the largest change over the
    # examples and the other axes, one number per output step (one number for a 2-D output).
    n = len(x)
    batch = np.concatenate([np.asarray(x)] + [perturb(x, k, seed=k + 1, vocab=vocab) for k in steps])
    out = outputs_on(model, batch).astype(np.float64)
    found = {}
    for i, k in enumerate(steps):
        moved = np.abs(out[n * (i + 1): n * (i + 2)] - out[:n])
        found[k] = moved.max(axis=0).reshape(moved.shape[1], -1).max(axis=1) if moved.ndim > 2 else moved.max()
    return found


def check_moved(moved, step, what, hint, at=None):
    # The output moved (at output steps `at`, or at every output step) when input step `step` was perturbed.
    if np.ndim(moved) == 0:
        checks.check_true(moved > MOVED, f"{what}: changing step {step + 1} of the input does not change the "
                          f"output (it moved by {moved:.2g})", hint=hint)
        return
    for j in (range(len(moved)) if at is None else at):
        checks.check_true(moved[j] > MOVED, f"{what}: changing step {step + 1} of the input does not change "
                          f"the output at step {j + 1} (it moved by {moved[j]:.2g})", hint=hint)


def _check_unmoved_before(moved, step, what, hint):
    # No output before step `step` moved when that step was perturbed.
    if step == 0:
        return
    early = moved[:step]
    j = int(np.argmax(early))
    checks.check_true(early[j] <= SAME, f"{what}: changing step {step + 1} moved the output at step {j + 1} "
                      f"(by {early[j]:.2g}), before step {step + 1}: the output at step t depends on later steps",
                      hint=hint)


def check_reads_steps(model, x, steps, what, hint, at=None, vocab=None):
    # Perturbing each input step in `steps` moves the output (at output steps `at`, or at every one).
    for k, moved in responses(model, x, steps, vocab=vocab).items():
        check_moved(moved, k, what, hint, at=at)


def check_causal(model, x, what, hint, memory_hint=None):
    # For a middle step k and the last one: perturbing step k moves no output before k. With
    # memory_hint, perturbing the middle step must also move the outputs at k and k + 1: the model
    # reads each step and carries it on to the next.
    T = x.shape[1]
    middle = T // 2
    found = responses(model, x, (middle, T - 1))
    for k, moved in found.items():
        _check_unmoved_before(moved, k, what, hint)
    if memory_hint:
        check_moved(found[middle], middle, what, memory_hint, at=[middle, middle + 1])


def check_sees_both_sides(model, x, what, hint):
    # Perturbing step k moves the outputs on both sides of it, at steps k - 1 and k + 1, for the
    # first, a middle and the last step (outputs (batch, T, ...)).
    T = x.shape[1]
    steps = (0, T // 2, T - 1)
    for k, moved in responses(model, x, steps).items():
        check_moved(moved, k, what, hint, at=[j for j in (k - 1, k + 1) if 0 <= j < T])


def check_varies_in_time(out, what, hint):
    # An output (batch, T, ...) that is not the same number at every step, for at least one example.
    out = np.asarray(out, dtype=np.float64)
    spread = float(np.max(out.max(axis=1) - out.min(axis=1)))
    checks.check_true(spread > MOVED, f"{what}: the output is the same at every step (spread over time "
                      f"{spread:.2g})", hint=hint)


def state_sizes(model):
    # The state size of every recurrent layer (a Bidirectional layer counts one direction; a
    # keras.layers.RNN over stacked cells gives each cell's size).
    sizes = []
    for layer in recurrent_layers(model):
        inner = layer.forward_layer if isinstance(layer, layers.Bidirectional) else layer
        cell = getattr(inner, "cell", None)
        for c in getattr(cell, "cells", [cell]):
            units = getattr(c, "units", None)
            if isinstance(units, int):
                sizes.append(units)
    return sizes


def check_units(model, units, what):
    # Some recurrent layer has `units` units: the argument sets the size of the recurrent state.
    sizes = state_sizes(model)
    checks.check_true(sizes, f"{what}: the model has no recurrent layer",
                      hint="this lesson's models read or write sequences with an RNN layer "
                           "(SimpleRNN, GRU, LSTM or keras.layers.RNN(cell))")
    checks.check_true(units in sizes, f"{what}: no recurrent layer has units={units} (their sizes: {sizes})",
                      hint="`units` is the size of the recurrent state: pass the argument to the recurrent "
                           "layer(s) instead of a number")


def check_embedding(model, embed_dim, what):
    # Character ids are embedded in vectors of embed_dim numbers.
    dims = [layer.output_dim for layer in model_layers(model) if isinstance(layer, layers.Embedding)]
    checks.check_true(embed_dim in dims, f"{what}: no Embedding layer of size embed_dim={embed_dim} "
                      f"(Embedding sizes: {dims})",
                      hint="embed each character id in a vector of embed_dim numbers: an Embedding layer whose "
                           "output size is the argument embed_dim, not a number")
