"""Realistic answers to lesson 02's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # --- Exercise 1: rnn_cell_step -----------------------------------------------------------------
    Valid("rnn_cell_step_answer", "column form per sequence, as in the course notation", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    rows = [np.tanh(W_F @ x + W_R @ a + b) for x, a in zip(x_t, a_prev)]
    return np.stack(rows)
'''),
    Valid("rnn_cell_step_answer", "einsum", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(np.einsum("bi,ui->bu", x_t, W_F) + np.einsum("bv,uv->bu", a_prev, W_R) + b)
'''),
    Valid("rnn_cell_step_answer", "transpose the whole column equation", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(W_F @ x_t.T + W_R @ a_prev.T + b.reshape(-1, 1)).T
'''),
    Mistake("rnn_cell_step_answer", "W_F not transposed in row layout", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t @ W_F + a_prev @ W_R.T + b)
''', says=r"x_t @ W_F\.T"),
    Mistake("rnn_cell_step_answer", "W_R not transposed (square, so no error)", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t @ W_F.T + a_prev @ W_R + b)
''', says=r"W_R\.T", test="rnn_cell_step_terms"),
    Mistake("rnn_cell_step_answer", "no activation", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return x_t @ W_F.T + a_prev @ W_R.T + b
''', says="tanh", test="rnn_cell_step_terms"),
    Mistake("rnn_cell_step_answer", "bias forgotten", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t @ W_F.T + a_prev @ W_R.T)
''', says="bias", test="rnn_cell_step_terms"),
    Mistake("rnn_cell_step_answer", "sigmoid instead of tanh", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return 1 / (1 + np.exp(-(x_t @ W_F.T + a_prev @ W_R.T + b)))
''', says="sigmoid", test="rnn_cell_step_terms"),
    Mistake("rnn_cell_step_answer", "neither matrix transposed", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t @ W_F + a_prev @ W_R + b)
''', says="both matrices are transposed"),
    Mistake("rnn_cell_step_answer", "W_F and W_R swapped", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(x_t @ W_R.T + a_prev @ W_F.T + b)
''', says="W_F and W_R are swapped"),
    Mistake("rnn_cell_step_answer", "keras.ops with W_F not transposed (TensorFlow's InvalidArgumentError)", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    ops = keras.ops
    return ops.convert_to_numpy(ops.tanh(ops.matmul(x_t, W_F) + ops.matmul(a_prev, ops.transpose(W_R)) + b))
''', says=r"raised .*Hint: x_t @ W_F: W_F is \(units, inputs\)"),
    Mistake("rnn_cell_step_answer", "column layout returned", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    return np.tanh(W_F @ x_t.T + W_R @ a_prev.T + b.reshape(-1, 1))
''', says="column layout"),
    Valid("rnn_cell_step_answer", "np.dot and matrix transposes with np.transpose", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    z = np.dot(x_t, np.transpose(W_F)) + np.dot(a_prev, np.transpose(W_R)) + b[np.newaxis, :]
    return np.tanh(z)
'''),
    # --- Exercise 2: rnn_forward --------------------------------------------------------------------
    Mistake("rnn_cell_step_answer", "output preallocated with the visible test's sizes", '''
def rnn_cell_step(x_t, a_prev, W_F, W_R, b):
    a_t = np.zeros((4, 5))
    a_t[:] = np.tanh(x_t @ W_F.T + a_prev @ W_R.T + b)
    return a_t
''', says="never fixed sizes"),

    Mistake("rnn_forward_answer", "states preallocated with the visible test's sizes", '''
def rnn_forward(X, a0, W_F, W_R, b):
    A = np.zeros((4, 6, 5))
    a = a0
    for t in range(X.shape[1]):
        a = rnn_cell_step(X[:, t], a, W_F, W_R, b)
        A[:, t] = a
    return A
''', says="never fixed sizes"),
    Valid("rnn_forward_answer", "preallocated output array", '''
def rnn_forward(X, a0, W_F, W_R, b):
    batch, steps, _ = X.shape
    A = np.zeros((batch, steps, a0.shape[1]))
    a = a0
    for t in range(steps):
        a = rnn_cell_step(X[:, t, :], a, W_F, W_R, b)
        A[:, t, :] = a
    return A
'''),
    Valid("rnn_forward_answer", "time-major loop, then swap the axes", '''
def rnn_forward(X, a0, W_F, W_R, b):
    states, a = [], a0
    for x_t in np.swapaxes(X, 0, 1):
        a = rnn_cell_step(x_t, a, W_F, W_R, b)
        states.append(a)
    return np.swapaxes(np.array(states), 0, 1)
'''),
    Mistake("rnn_forward_answer", "includes the initial state", '''
def rnn_forward(X, a0, W_F, W_R, b):
    states = [a0]
    for t in range(X.shape[1]):
        states.append(rnn_cell_step(X[:, t], states[-1], W_F, W_R, b))
    return np.stack(states, axis=1)
''', says="a0 should not be part"),
    Mistake("rnn_forward_answer", "stacks on axis 0", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a, states = a0, []
    for t in range(X.shape[1]):
        a = rnn_cell_step(X[:, t], a, W_F, W_R, b)
        states.append(a)
    return np.stack(states)
''', says="axis 1"),
    Mistake("rnn_forward_answer", "returns only the last state", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a = a0
    for t in range(X.shape[1]):
        a = rnn_cell_step(X[:, t], a, W_F, W_R, b)
    return a
''', says="every hidden state"),
    Mistake("rnn_forward_answer", "never carries the state", '''
def rnn_forward(X, a0, W_F, W_R, b):
    return np.stack([rnn_cell_step(X[:, t], a0, W_F, W_R, b) for t in range(X.shape[1])], axis=1)
''', says="previous state", test="rnn_forward_states"),
    Mistake("rnn_forward_answer", "starts from zeros instead of a0", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a, states = np.zeros_like(a0), []
    for t in range(X.shape[1]):
        a = rnn_cell_step(X[:, t], a, W_F, W_R, b)
        states.append(a)
    return np.stack(states, axis=1)
''', says="start from a0", test="rnn_forward_states"),
    Mistake("rnn_forward_answer", "written inline, W_F not transposed", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a, states = a0, []
    for t in range(X.shape[1]):
        a = np.tanh(X[:, t] @ W_F + a @ W_R.T + b)
        states.append(a)
    return np.stack(states, axis=1)
''', says=r"raised .*Hint: x_t @ W_F: W_F is \(units, inputs\)"),
    Mistake("rnn_forward_answer", "written inline, W_R not transposed (square, so no error)", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a, states = a0, []
    for t in range(X.shape[1]):
        a = np.tanh(X[:, t] @ W_F.T + a @ W_R + b)
        states.append(a)
    return np.stack(states, axis=1)
''', says=r"a_\{t-1\} @ W_R\.T", test="rnn_forward_states"),
    Mistake("rnn_forward_answer", "loops over axis 0 (the sequences)", '''
def rnn_forward(X, a0, W_F, W_R, b):
    a, states = a0, []
    for x_t in X:
        a = rnn_cell_step(x_t, a, W_F, W_R, b)
        states.append(a)
    return np.stack(states, axis=1)
''', says="axis 1"),
    Valid("rnn_forward_answer", "list comprehension over the time axis with a running state", '''
def rnn_forward(X, a0, W_F, W_R, b):
    A = np.empty(X.shape[:2] + (W_R.shape[0],), dtype=np.result_type(X, W_F))
    a = a0
    for t, x_t in enumerate(np.moveaxis(X, 1, 0)):
        A[:, t] = a = rnn_cell_step(x_t, a, W_F, W_R, b)
    return A
'''),
    # --- Exercise 3: course_weights -----------------------------------------------------------------
    Valid("course_weights_answer", "layer.weights, converted one by one", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in layer.weights)
    return kernel.T, recurrent_kernel.T, bias
'''),
    Valid("course_weights_answer", "named attributes and np.transpose", '''
def course_weights(layer):
    W_F = np.transpose(layer.cell.kernel.numpy())
    W_R = np.transpose(layer.cell.recurrent_kernel.numpy())
    return W_F, W_R, layer.cell.bias.numpy().copy()
'''),
    Mistake("course_weights_answer", "recurrent kernel not transposed", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = layer.get_weights()
    return kernel.T, recurrent_kernel, bias
''', says=r"recurrent_kernel\.T"),
    Mistake("course_weights_answer", "Keras's weights as they are", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = layer.get_weights()
    return kernel, recurrent_kernel, bias
''', says=r"W_F = kernel\.T"),
    Mistake("course_weights_answer", "W_F and W_R swapped", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = layer.get_weights()
    return recurrent_kernel.T, kernel.T, bias
''', says="W_F and W_R are swapped"),
    Mistake("course_weights_answer", "kernel kept as it is, recurrent kernel transposed", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = layer.get_weights()
    return kernel, recurrent_kernel.T, bias
''', says=r"W_F = kernel\.T"),
    Mistake("course_weights_answer", "kernel kept as it is (the forward test names it too)", '''
def course_weights(layer):
    kernel, recurrent_kernel, bias = layer.get_weights()
    return kernel, recurrent_kernel.T, bias
''', says=r"W_F = kernel\.T", test="rnn_forward_matches_keras"),
    Valid("course_weights_answer", "get_weights by index, .T.copy()", '''
def course_weights(layer):
    w = layer.get_weights()
    return w[0].T.copy(), w[1].T.copy(), w[2]
'''),
    # --- Exercise 4: build_stacked_rnn and stacked_rnn_forward --------------------------------------
    Valid("stacked_answer", "functional API", '''
def build_stacked_rnn(n_inputs, layer_units):
    inputs = keras.Input(shape=(None, n_inputs))
    x = inputs
    for units in layer_units:
        x = keras.layers.SimpleRNN(units, return_sequences=True)(x)
    return keras.Model(inputs, x)
'''),
    Valid("stacked_answer", "keras.layers.RNN wrapping a SimpleRNNCell per layer", '''
def build_stacked_rnn(n_inputs, layer_units):
    return keras.Sequential([keras.Input(shape=(None, n_inputs))] +
                            [keras.layers.RNN(keras.layers.SimpleRNNCell(u), return_sequences=True) for u in layer_units])
'''),
    Valid("stacked_answer", "Sequential with add(), and a cell-by-cell forward pass", '''
def build_stacked_rnn(n_inputs, layer_units):
    model = keras.Sequential()
    model.add(keras.Input(shape=(None, n_inputs)))
    for units in layer_units:
        model.add(keras.layers.SimpleRNN(units, return_sequences=True))
    return model


def stacked_rnn_forward(X, params):
    A = np.asarray(X)
    for W_F, W_R, b in params:
        a = np.zeros((A.shape[0], W_R.shape[0]))
        out = []
        for t in range(A.shape[1]):
            a = rnn_cell_step(A[:, t], a, W_F, W_R, b)
            out.append(a)
        A = np.stack(out, axis=1)
    return A
'''),
    Mistake("stacked_answer", "last layer returns only its last state", '''
def build_stacked_rnn(n_inputs, layer_units):
    layers = [keras.Input(shape=(None, n_inputs))]
    layers += [keras.layers.SimpleRNN(u, return_sequences=i < len(layer_units) - 1) for i, u in enumerate(layer_units)]
    return keras.Sequential(layers)
''', says="returns only its last state"),
    Mistake("stacked_answer", "input without a time axis", '''
def build_stacked_rnn(n_inputs, layer_units):
    layers = [keras.Input(shape=(n_inputs,))]
    layers += [keras.layers.SimpleRNN(u, return_sequences=True) for u in layer_units]
    return keras.Sequential(layers)
''', says=r"Input\(shape=\(None, n_inputs\)\)"),
    Mistake("stacked_answer", "a Dense read-out added", '''
def build_stacked_rnn(n_inputs, layer_units):
    layers = [keras.Input(shape=(None, n_inputs))]
    layers += [keras.layers.SimpleRNN(u, return_sequences=True) for u in layer_units]
    return keras.Sequential(layers + [keras.layers.Dense(1)])
''', says="only SimpleRNN layers"),
    Mistake("stacked_answer", "every layer reads X", '''
def stacked_rnn_forward(X, params):
    for W_F, W_R, b in params:
        A = rnn_forward(X, np.zeros((X.shape[0], W_R.shape[0])), W_F, W_R, b)
    return A
''', says="layer below", test="stacked_rnn_agree"),
    # --- Exercise 5: concat_weights and rnn_cell_step_concat ----------------------------------------
    Valid("concat_answer", "Coursera's convention [W_R | W_F] on [a_{t-1}; x_t]", '''
def concat_weights(W_F, W_R):
    return np.hstack([W_R, W_F])


def rnn_cell_step_concat(x_t, a_prev, W, b):
    return np.tanh(np.hstack([a_prev, x_t]) @ W.T + b)
'''),
    Valid("concat_answer", "np.block and the column form", '''
def concat_weights(W_F, W_R):
    return np.block([W_F, W_R])


def rnn_cell_step_concat(x_t, a_prev, W, b):
    stacked = np.vstack([x_t.T, a_prev.T])            # columns [x_t; a_{t-1}], one per sequence
    return np.tanh(W @ stacked + b[:, None]).T
'''),
    Valid("concat_answer", "filling an empty matrix block by block", '''
def concat_weights(W_F, W_R):
    units, inputs = W_F.shape
    W = np.empty((units, inputs + units))
    W[:, :inputs] = W_F
    W[:, inputs:] = W_R
    return W


def rnn_cell_step_concat(x_t, a_prev, W, b):
    return np.tanh(np.concatenate((x_t, a_prev), axis=-1).dot(W.T) + b)
'''),
    Mistake("concat_answer", "vector stacked in the other order than W", '''
def rnn_cell_step_concat(x_t, a_prev, W, b):
    return np.tanh(np.concatenate([a_prev, x_t], axis=1) @ W.T + b)
''', says="order of W's blocks", test="rnn_cell_step_concat_equal"),
    Mistake("concat_answer", "stacked on top of each other", '''
def concat_weights(W_F, W_R):
    return np.concatenate([W_F, W_R])
''', says="side by side"),
    Mistake("concat_answer", "Keras's transposed layout", '''
def concat_weights(W_F, W_R):
    return np.vstack([W_F.T, W_R.T])
''', says="transposed"),
    Mistake("concat_answer", "W_R transposed", '''
def concat_weights(W_F, W_R):
    return np.hstack([W_F, W_R.T])
''', says="needs no transpose"),
    Mistake("concat_answer", "W not transposed in the product", '''
def rnn_cell_step_concat(x_t, a_prev, W, b):
    return np.tanh(np.concatenate([x_t, a_prev], axis=1) @ W + b)
''', says=r"W\.T", test="rnn_cell_step_concat_equal"),
    Mistake("concat_answer", "no activation", '''
def rnn_cell_step_concat(x_t, a_prev, W, b):
    return np.concatenate([x_t, a_prev], axis=1) @ W.T + b
''', says="tanh", test="rnn_cell_step_concat_equal"),
]
