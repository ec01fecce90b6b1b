"""Behaviour checks for lesson 7's model builders, which are design tasks: the character model of
7.1, the forecaster of 7.2 and the review classifier of 7.5. Any model that does the task passes,
whatever its layers (GRU, LSTM or SimpleRNN, ``keras.layers.RNN(cell)``, stacked or not, Sequential,
functional or with a model inside a model).

A model is judged by what it does: the shape of its output on new inputs, whether it is a
probability or a free (linear) read-out, whether padding changes it, and which input steps each
output step depends on, found by changing one input step and seeing which outputs move. Outputs
that do not depend on the changed step are computed from the same numbers and stay equal to float
precision; outputs that do move by far more. Only the arguments are read from the layers: ``units``
is the size of the recurrent state, ``embed_dim`` the size of the Embedding, ``cell`` the kind of
cell the recurrent layers run.

They live in a module, not in a notebook cell: the grader restores module code before every test
cell, so an answer cell cannot redefine a check. Steps are counted from 1 in the messages.
"""
import numpy as np
from keras import layers

from rnncourse import checks
from rnncourse.design_checks import SAME, check_moved, check_output_shape, responses, state_sizes
from rnncourse.model_checks import layer_kind, model_layers, outputs_on, recurrent_layers

__all__ = ["check_output_shape", "responses", "check_causal", "check_reads_steps", "check_reads_id_zero",
           "check_padding_invisible", "check_units", "check_embedding", "check_cell", "check_reads_backwards"]

def check_reads_steps(model, x, steps, what, hint, vocab=None):
    # Changing each input step in `steps` moves the output.
    for k, moved in responses(model, x, steps, vocab=vocab).items():
        check_moved(moved, k, what, hint)


def check_causal(model, x, what, hint, memory_hint, vocab=None):
    # For a middle step k and the last one: changing step k moves no output before step k (causal);
    # changing the middle step moves the outputs at k and k + 1 (it reads each step and remembers it).
    T = x.shape[1]
    middle = T // 2
    found = responses(model, x, (middle, T - 1), vocab=vocab)
    for k, moved in found.items():
        early = moved[:k]
        j = int(np.argmax(early))
        checks.check_true(early[j] <= SAME, f"{what}: changing character {k + 1} moved the output at step {j + 1} "
                          f"(by {early[j]:.2g}), before it: the prediction at step t depends on later characters",
                          hint=hint)
    check_moved(found[middle], middle, what, memory_hint, at=[middle, middle + 1])


def check_reads_id_zero(model, what, hint):
    # Id 0 is read like any other id: inserting it into a sequence changes the prediction after it
    # (a model that masks id 0 skips it, and predicts the same as without it).
    with_zero = outputs_on(model, np.array([[3, 0, 5]], dtype="int32"))[0, -1]
    without = outputs_on(model, np.array([[3, 5]], dtype="int32"))[0, -1]
    checks.check_true(not np.allclose(with_zero, without, atol=1e-6),
                      f"{what}: the model skips character id 0: after the ids [3, 0, 5] it predicts exactly what it "
                      f"predicts after [3, 5]", hint=hint)


def check_padding_invisible(model, ids, extra, what, hint):
    # The output for padded ids does not change when `extra` more padding steps (id 0) are appended.
    ids = np.asarray(ids)
    out = outputs_on(model, ids)
    longer = np.concatenate([ids, np.zeros((len(ids), extra), dtype=ids.dtype)], axis=1)
    checks.check_close(outputs_on(model, longer), out, f"{what}: output after adding {extra} padding steps",
                       atol=1e-5, hint=hint)
    return out


def check_units(model, units, what):
    # Every recurrent layer has `units` units: the argument sets the size of the recurrent state.
    sizes = state_sizes(model)
    checks.check_true(sizes, f"{what}: the model has no recurrent layer",
                      hint="read the sequence with a recurrent layer (SimpleRNN, GRU, LSTM or keras.layers.RNN(cell))")
    checks.check_true(all(s == units for s in sizes), f"{what}: the recurrent layers should have units={units} "
                      f"(their sizes: {sizes})", hint="`units` is the size of the recurrent state: pass the argument "
                      "to the recurrent layer(s) instead of a number")


def check_embedding(model, vocab_size, embed_dim, what):
    # The ids are embedded in vectors of embed_dim numbers, by an Embedding that knows every id.
    found = [layer for layer in model_layers(model) if isinstance(layer, layers.Embedding)]
    checks.check_true(found, f"{what}: the model has no Embedding layer",
                      hint="turn each id into a learned vector: keras.layers.Embedding(vocab_size, embed_dim)")
    dims = [layer.output_dim for layer in found]
    checks.check_true(embed_dim in dims, f"{what}: no Embedding of size embed_dim={embed_dim} (sizes: {dims})",
                      hint="pass the embed_dim argument to the Embedding instead of a number")
    checks.check_true(found[0].input_dim >= vocab_size, f"{what}: the Embedding knows {found[0].input_dim} ids, "
                      f"fewer than vocab_size={vocab_size}", hint="keras.layers.Embedding(vocab_size, embed_dim)")


def check_cell(model, cell, what):
    # Every recurrent layer runs the cell that `cell` names ("gru" or "lstm").
    want = {"gru": "GRU", "lstm": "LSTM"}[cell]
    kinds = [layer_kind(layer.forward_layer if isinstance(layer, layers.Bidirectional) else layer)
             for layer in recurrent_layers(model)]
    checks.check_true(kinds and all(k == want for k in kinds),
                      f"{what}: cell={cell!r} should give {want} recurrent layers, found {kinds}",
                      hint=f"use the cell argument: keras.layers.{want} for cell={cell!r}")


def check_reads_backwards(model, what, hint):
    # Some recurrent layer reads the sequence from the end: a Bidirectional wrapper, or an RNN with
    # go_backwards=True beside a forward one.
    found = recurrent_layers(model)
    both = any(isinstance(layer, layers.Bidirectional) for layer in found) or (
        any(getattr(layer, "go_backwards", False) for layer in found)
        and any(not getattr(layer, "go_backwards", False) for layer in found))
    checks.check_true(both, f"{what}: no recurrent layer reads the review from the end as well as from the start "
                      f"(recurrent layers: {[type(layer).__name__ for layer in found]})", hint=hint)
