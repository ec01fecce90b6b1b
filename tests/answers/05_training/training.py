"""Realistic answers to lesson 05's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # ---- Exercise 1: one step backwards
    Valid("rnn_step_backward", "broadcasting instead of np.outer, a list", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - a_t * a_t)
    return [dz[:, None] * x_t[None, :], dz[:, None] * a_prev[None, :], dz.copy(), dz @ W_R]
'''),
    Valid("rnn_step_backward", "einsum and an explicit tanh derivative", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    tanh_prime = 1.0 - np.square(a_t)
    dz = np.multiply(da, tanh_prime)
    dW_F = np.einsum("i,j->ij", dz, x_t)
    dW_R = np.einsum("i,j->ij", dz, a_prev)
    da_prev = np.dot(W_R.T, dz)
    return dW_F, dW_R, dz, da_prev
'''),
    Mistake("rnn_step_backward", "forgot the tanh derivative", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    return np.outer(da, x_t), np.outer(da, a_prev), da, W_R.T @ da
''', says=r"1 - a_t\*\*2"),
    Mistake("rnn_step_backward", "tanh derivative at the previous state", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - a_prev ** 2)
    return np.outer(dz, x_t), np.outer(dz, a_prev), dz, W_R.T @ dz
''', says="current state a_t.*not at a_prev"),
    Mistake("rnn_step_backward", "derivative applied twice: 1 - tanh(a_t)**2", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - np.tanh(a_t) ** 2)
    return np.outer(dz, x_t), np.outer(dz, a_prev), dz, W_R.T @ dz
''', says=r"not 1 - tanh\(a_t\)\*\*2"),
    Mistake("rnn_step_backward", "W_R instead of its transpose", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - a_t ** 2)
    return np.outer(dz, x_t), np.outer(dz, a_prev), dz, W_R @ dz
''', says="transpose"),
    Mistake("rnn_step_backward", "outer product the wrong way round", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - a_t ** 2)
    return np.outer(x_t, dz), np.outer(a_prev, dz), dz, W_R.T @ dz
''', says=r"outer\(dz, x_t\)"),
    Mistake("rnn_step_backward", "dW_R with the current state", '''
def rnn_step_backward(da, a_t, a_prev, x_t, W_R):
    dz = da * (1 - a_t ** 2)
    return np.outer(dz, x_t), np.outer(dz, a_t), dz, W_R.T @ dz
''', says="previous state"),

    # ---- Exercise 2: the whole sequence
    Valid("rnn_backward", "states with a0 prepended, index arithmetic", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    states = np.vstack([a0[None, :], sequence_states(x, a0, W_F, W_R, b)])   # states[t] = a_t
    dW_F, dW_R, db = np.zeros(W_F.shape), np.zeros(W_R.shape), np.zeros(b.shape)
    da_future = np.zeros(len(a0))
    for t in range(len(x), 0, -1):
        step = rnn_step_backward(dA[t - 1] + da_future, states[t], states[t - 1], x[t - 1], W_R)
        dW_F, dW_R, db = dW_F + step[0], dW_R + step[1], db + step[2]
        da_future = step[3]
    return dict(W_F=dW_F, W_R=dW_R, b=db, a0=da_future)
'''),
    Valid("rnn_backward", "collect the steps, then sum", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    A = sequence_states(x, a0, W_F, W_R, b)
    prev = [a0] + list(A[:-1])
    da = np.zeros_like(a0)
    parts = []
    for t in range(len(x) - 1, -1, -1):
        dW_F, dW_R, db, da = rnn_step_backward(dA[t] + da, A[t], prev[t], x[t], W_R)
        parts.append((dW_F, dW_R, db))
    dW_F, dW_R, db = (sum(p[i] for p in parts) for i in range(3))
    return {"W_F": dW_F, "W_R": dW_R, "b": db, "a0": da}
'''),
    Mistake("rnn_backward", "never adds the gradient from the future", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    A = sequence_states(x, a0, W_F, W_R, b)
    grads = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    for t in reversed(range(len(x))):
        a_prev = A[t - 1] if t > 0 else a0
        dW_F, dW_R, db, da_prev = rnn_step_backward(dA[t], A[t], a_prev, x[t], W_R)
        grads["W_F"] += dW_F; grads["W_R"] += dW_R; grads["b"] += db
    grads["a0"] = da_prev
    return grads
''', says="da_prev"),
    Mistake("rnn_backward", "loops forwards in time", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    A = sequence_states(x, a0, W_F, W_R, b)
    grads = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    da_next = np.zeros_like(a0)
    for t in range(len(x)):
        a_prev = A[t - 1] if t > 0 else a0
        dW_F, dW_R, db, da_next = rnn_step_backward(dA[t] + da_next, A[t], a_prev, x[t], W_R)
        grads["W_F"] += dW_F; grads["W_R"] += dW_R; grads["b"] += db
    grads["a0"] = da_next
    return grads
''', says="go backwards"),
    Mistake("rnn_backward", "overwrites instead of accumulating", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    A = sequence_states(x, a0, W_F, W_R, b)
    grads = {}
    da_next = np.zeros_like(a0)
    for t in reversed(range(len(x))):
        a_prev = A[t - 1] if t > 0 else a0
        grads["W_F"], grads["W_R"], grads["b"], da_next = rnn_step_backward(dA[t] + da_next, A[t], a_prev, x[t], W_R)
    grads["a0"] = da_next
    return grads
''', says="accumulate"),
    Mistake("rnn_backward", "A[t - 1] at the first step is the last state", '''
def rnn_backward(x, a0, W_F, W_R, b, dA):
    A = sequence_states(x, a0, W_F, W_R, b)
    grads = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    da_next = np.zeros_like(a0)
    for t in reversed(range(len(x))):
        dW_F, dW_R, db, da_next = rnn_step_backward(dA[t] + da_next, A[t], A[t - 1], x[t], W_R)
        grads["W_F"] += dW_F; grads["W_R"] += dW_R; grads["b"] += db
    grads["a0"] = da_next
    return grads
''', says=r"a0 at the first step"),

    # ---- Exercise 3: truncated BPTT
    Valid("truncated_bptt", "windows from a list of boundaries", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    A = sequence_states(x, a0, W_F, W_R, b)
    starts = list(range(0, len(x), k))
    result = None
    for start in starts:
        stop = min(start + k, len(x))
        g = rnn_backward(x[start:stop], a0 if start == 0 else A[start - 1], W_F, W_R, b, dA[start:stop])
        if result is None:
            result = {name: value.copy() for name, value in g.items()}
        else:
            for name in ("W_F", "W_R", "b"):
                result[name] = result[name] + g[name]
    return result
'''),
    Valid("truncated_bptt", "state carried by running each window forward", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    total = {"W_F": 0 * W_F, "W_R": 0 * W_R, "b": 0 * b}
    state, first = a0, True
    while len(x):
        g = rnn_backward(x[:k], state, W_F, W_R, b, dA[:k])
        for name in ("W_F", "W_R", "b"):
            total[name] = total[name] + g[name]
        if first:
            total["a0"], first = g["a0"], False
        state = sequence_states(x[:k], state, W_F, W_R, b)[-1]
        x, dA = x[k:], dA[k:]
    return total
'''),
    Mistake("truncated_bptt", "every window restarts from a0", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    total = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    for start in range(0, len(x), k):
        g = rnn_backward(x[start:start + k], a0, W_F, W_R, b, dA[start:start + k])
        for name in ("W_F", "W_R", "b"):
            total[name] += g[name]
        if start == 0:
            total["a0"] = g["a0"]
    return total
''', says="starts again from a0"),
    Mistake("truncated_bptt", "every window restarts from zeros", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    total = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    for start in range(0, len(x), k):
        g = rnn_backward(x[start:start + k], a0 if start == 0 else np.zeros_like(a0), W_F, W_R, b, dA[start:start + k])
        for name in ("W_F", "W_R", "b"):
            total[name] += g[name]
        if start == 0:
            total["a0"] = g["a0"]
    return total
''', says="starts from zeros"),
    Mistake("truncated_bptt", "drops the last, shorter window", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    A = sequence_states(x, a0, W_F, W_R, b)
    total = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    for w in range(len(x) // k):
        start = w * k
        g = rnn_backward(x[start:start + k], a0 if start == 0 else A[start - 1], W_F, W_R, b, dA[start:start + k])
        for name in ("W_F", "W_R", "b"):
            total[name] += g[name]
        if start == 0:
            total["a0"] = g["a0"]
    return total
''', says="last, shorter window"),
    Mistake("truncated_bptt", "keeps only the last window", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    A = sequence_states(x, a0, W_F, W_R, b)
    for start in range(0, len(x), k):
        g = rnn_backward(x[start:start + k], a0 if start == 0 else A[start - 1], W_F, W_R, b, dA[start:start + k])
        total = {"W_F": g["W_F"], "W_R": g["W_R"], "b": g["b"], "a0": g["a0"] if start == 0 else total["a0"]}
    return total
''', says="only the last window"),
    Mistake("truncated_bptt", "no truncation at all", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    return rnn_backward(x, a0, W_F, W_R, b, dA)
''', says="not truncated"),
    Mistake("truncated_bptt", "da0 from the last window", '''
def truncated_bptt(x, a0, W_F, W_R, b, dA, k):
    A = sequence_states(x, a0, W_F, W_R, b)
    total = {"W_F": np.zeros_like(W_F), "W_R": np.zeros_like(W_R), "b": np.zeros_like(b)}
    for start in range(0, len(x), k):
        g = rnn_backward(x[start:start + k], a0 if start == 0 else A[start - 1], W_F, W_R, b, dA[start:start + k])
        for name in ("W_F", "W_R", "b"):
            total[name] += g[name]
        total["a0"] = g["a0"]
    return total
''', says="first window"),

    # ---- Exercise 4: clip by the global norm
    Valid("clip_by_global_norm", "loop over the arrays, tf's formula for the factor", '''
def clip_by_global_norm(grads, max_norm):
    total = 0.0
    for name in grads:
        total += float((grads[name] * grads[name]).sum())
    norm = total ** 0.5
    factor = max_norm / max(norm, max_norm)
    clipped = {}
    for name in grads:
        clipped[name] = grads[name] * factor
    return clipped
'''),
    Valid("clip_by_global_norm", "np.linalg.norm of the concatenation, np.minimum", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    return {k: np.minimum(1.0, max_norm / norm) * v for k, v in grads.items()}
'''),
    Valid("clip_by_global_norm", "norms of the arrays combined, copies rescaled in place", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(np.sum([np.linalg.norm(g) ** 2 for g in grads.values()]))
    out = {k: np.array(v, dtype=float, copy=True) for k, v in grads.items()}
    if norm > max_norm:
        for v in out.values():
            v *= max_norm / norm
    return out
'''),
    Valid("clip_by_global_norm", "returns the input dict itself when nothing is clipped", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.vdot(g, g) for g in grads.values()))
    if norm <= max_norm:
        return grads
    return dict((k, v / norm * max_norm) for k, v in grads.items())
'''),
    Mistake("clip_by_global_norm", "clips each array separately", '''
def clip_by_global_norm(grads, max_norm):
    out = {}
    for k, g in grads.items():
        n = np.linalg.norm(g)
        out[k] = g * max_norm / n if n > max_norm else g.copy()
    return out
''', says="each array separately"),
    Mistake("clip_by_global_norm", "the largest norm of the arrays", '''
def clip_by_global_norm(grads, max_norm):
    norm = max(np.linalg.norm(g) for g in grads.values())
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="largest of the arrays' norms"),
    Mistake("clip_by_global_norm", "the sum of the arrays' norms", '''
def clip_by_global_norm(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads.values())
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="sum of the arrays' norms"),
    Mistake("clip_by_global_norm", "no square root", '''
def clip_by_global_norm(grads, max_norm):
    norm = sum(np.sum(g ** 2) for g in grads.values())
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="square root"),
    Mistake("clip_by_global_norm", "clips by value", '''
def clip_by_global_norm(grads, max_norm):
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
''', says="clipping by value"),
    Mistake("clip_by_global_norm", "the factor upside down", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = norm / max_norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="upside-down factor"),
    Mistake("clip_by_global_norm", "rescales to norm 1", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    return {k: g / norm if norm > max_norm else g for k, g in grads.items()}
''', says="norm 1 instead of max_norm"),
    Mistake("clip_by_global_norm", "always rescales to max_norm", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    return {k: g * max_norm / norm for k, g in grads.items()}
''', says="even when the norm is below max_norm"),
    Mistake("clip_by_global_norm", "the comparison the wrong way round", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = max_norm / norm if norm < max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="only when it exceeds max_norm"),
    Mistake("clip_by_global_norm", "returns (grads, norm) like tf.clip_by_global_norm", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}, norm
''', says="only the dict.*returns a list and the norm"),
    Mistake("clip_by_global_norm", "returns a list of arrays", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    return [g * scale for g in grads.values()]
''', says="should be dict"),
    Mistake("clip_by_global_norm", "spectral norm of the matrices (ord=2)", '''
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.linalg.norm(g, 2) ** 2 for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
''', says="global norm after clipping"),
]
