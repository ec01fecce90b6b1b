"""Realistic answers to lesson 06's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: spectral_radius
    Valid("spectral_radius", "loop over the eigenvalues with abs() of a complex", '''
def spectral_radius(W):
    return max(abs(complex(e)) for e in np.linalg.eigvals(np.asarray(W)))
'''),
    Valid("spectral_radius", "np.linalg.eig, hypot of real and imaginary parts, .item()", '''
def spectral_radius(W):
    eigenvalues, _ = np.linalg.eig(np.array(W, dtype=np.float64))
    return np.hypot(eigenvalues.real, eigenvalues.imag).max().item()
'''),
    Mistake("spectral_radius", "largest real part instead of the modulus", '''
def spectral_radius(W):
    return float(np.max(np.abs(np.linalg.eigvals(W).real)))
''', says="modulus"),
    Mistake("spectral_radius", "forgot the absolute value", '''
def spectral_radius(W):
    return float(np.max(np.real(np.linalg.eigvals(W))))
''', says="absolute value"),
    Mistake("spectral_radius", "the matrix 2-norm", '''
def spectral_radius(W):
    return float(np.linalg.norm(W, 2))
''', says="2-norm|singular value"),
    Mistake("spectral_radius", "returns a one-element array", '''
def spectral_radius(W):
    return np.abs(np.linalg.eigvals(W)).max(keepdims=True)
''', says="float"),

    # Exercise 2: gradient_regime
    Valid("gradient_regime", "conditional expression, eigenvalues computed again", '''
def gradient_regime(W, tol=0.05):
    rho = max(abs(np.linalg.eigvals(np.asarray(W, dtype=float))))
    return "exploding" if rho > 1 + tol else "vanishing" if rho < 1 - tol else "neutral"
'''),
    Valid("gradient_regime", "distance from 1 first", '''
def gradient_regime(W, tol=0.05):
    rho = spectral_radius(W)
    if abs(rho - 1.0) <= tol:
        return "neutral"
    return "vanishing" if rho < 1.0 else "exploding"
'''),
    Mistake("gradient_regime", "decides from the matrix norm", '''
def gradient_regime(W, tol=0.05):
    size = np.linalg.norm(W, 2)
    if size < 1 - tol:
        return "vanishing"
    if size > 1 + tol:
        return "exploding"
    return "neutral"
''', says="spectral radius"),
    Mistake("gradient_regime", "ignores tol", '''
def gradient_regime(W, tol=0.05):
    rho = spectral_radius(W)
    if rho < 0.95:
        return "vanishing"
    if rho > 1.05:
        return "exploding"
    return "neutral"
''', says="tol"),
    Mistake("gradient_regime", "largest entry instead of the spectral radius", '''
def gradient_regime(W, tol=0.05):
    rho = np.abs(W).max()
    if rho < 1 - tol:
        return "vanishing"
    if rho > 1 + tol:
        return "exploding"
    return "neutral"
''', says="spectral radius"),
    Mistake("gradient_regime", "labels swapped", '''
def gradient_regime(W, tol=0.05):
    rho = spectral_radius(W)
    if rho < 1 - tol:
        return "exploding"
    if rho > 1 + tol:
        return "vanishing"
    return "neutral"
''', says="0.5 I"),

    # Exercise 3: lstm_gates
    Valid("lstm_gates", "one slice of the weights per gate, sigmoid through tanh", '''
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = recurrent_kernel.shape[0]
    def gate(k):
        cols = slice(k * u, (k + 1) * u)
        return x_t @ kernel[:, cols] + h_prev @ recurrent_kernel[:, cols] + bias[cols]
    sig = lambda z: 0.5 * (1.0 + np.tanh(0.5 * z))
    return sig(gate(0)), sig(gate(1)), np.tanh(gate(2)), sig(gate(3))
'''),
    Valid("lstm_gates", "scipy's expit, returns a list", '''
from scipy.special import expit
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = np.dot(x_t, kernel) + np.dot(h_prev, recurrent_kernel) + bias
    u = z.shape[-1] // 4
    return [expit(z[:, :u]), expit(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), expit(z[:, 3 * u:])]
'''),
    Mistake("lstm_gates", "blocks in the order i, f, o, c", '''
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, o, c = np.split(z, 4, axis=-1)
    return sigmoid(i), sigmoid(f), np.tanh(c), sigmoid(o)
''', says="orders the 4\\*units columns i, f, c, o"),
    Mistake("lstm_gates", "sigmoid for the candidate", '''
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, c, o = np.split(z, 4, axis=-1)
    return sigmoid(i), sigmoid(f), sigmoid(c), sigmoid(o)
''', says="candidate c_tilde uses tanh"),
    Mistake("lstm_gates", "forgot the recurrent term", '''
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + bias
    i, f, c, o = np.split(z, 4, axis=-1)
    return sigmoid(i), sigmoid(f), np.tanh(c), sigmoid(o)
''', says="h_prev @ recurrent_kernel"),
    Mistake("lstm_gates", "tanh for the output gate", '''
def lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, c, o = np.split(z, 4, axis=-1)
    return sigmoid(i), sigmoid(f), np.tanh(c), np.tanh(o)
''', says="o with only the bias"),

    # Exercise 4: lstm_cell_step
    Valid("lstm_cell_step", "gates computed inline, returns a list", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = c_prev.shape[-1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = 1 / (1 + np.exp(-z[:, :u]))
    f = 1 / (1 + np.exp(-z[:, u:2 * u]))
    g = np.tanh(z[:, 2 * u:3 * u])
    o = 1 / (1 + np.exp(-z[:, 3 * u:]))
    c = f * c_prev + i * g
    return [o * np.tanh(c), c]
'''),
    Valid("lstm_cell_step", "np.multiply and np.add on lstm_gates", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    gates = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_new = np.add(np.multiply(gates[1], c_prev), np.multiply(gates[0], gates[2]))
    return np.multiply(gates[3], np.tanh(c_new)), c_new
'''),
    Mistake("lstm_cell_step", "h_t without the tanh of c_t", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    return o * c_t, c_t
''', says="tanh\\(c_t\\)"),
    Mistake("lstm_cell_step", "no input gate on the candidate", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + c_tilde
    return o * np.tanh(c_t), c_t
''', says="input gate shut"),
    Mistake("lstm_cell_step", "no forget gate on the old memory", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = c_prev + i * c_tilde
    return o * np.tanh(c_t), c_t
''', says="forget gate"),
    Mistake("lstm_cell_step", "returns (c_t, h_t)", '''
def lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    return c_t, o * np.tanh(c_t)
''', says="h_t first"),

    # Exercise 5: lstm_step_backward
    Valid("lstm_step_backward", "gates inline, a loop over the batch with np.outer", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), sigmoid(z[:, 3 * u:])
    g = np.tanh(z[:, 2 * u:3 * u])
    c_t = f * c_prev + i * g
    dK, dR, db = np.zeros_like(kernel), np.zeros_like(recurrent_kernel), np.zeros_like(bias)
    dh_prev, dc_prev = np.zeros_like(h_prev), np.zeros_like(c_prev)
    for n in range(len(x_t)):
        dc = dc_t[n] + dh_t[n] * o[n] * (1 - np.tanh(c_t[n]) ** 2)
        dz = np.zeros(4 * u)
        dz[:u] = dc * g[n] * i[n] * (1 - i[n])
        dz[u:2 * u] = dc * c_prev[n] * f[n] * (1 - f[n])
        dz[2 * u:3 * u] = dc * i[n] * (1 - g[n] ** 2)
        dz[3 * u:] = dh_t[n] * np.tanh(c_t[n]) * o[n] * (1 - o[n])
        dK += np.outer(x_t[n], dz)
        dR += np.outer(h_prev[n], dz)
        db += dz
        dh_prev[n] = recurrent_kernel @ dz
        dc_prev[n] = dc * f[n]
    return dh_prev, dc_prev, dK, dR, db
'''),
    Valid("lstm_step_backward", "lstm_cell_step for c_t, np.hstack, einsum, returns a list", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    _, c_t = lstm_cell_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    d_i, d_f, d_c, d_o = dc * c_tilde, dc * c_prev, dc * i, dh_t * np.tanh(c_t)
    dz = np.hstack([d_i * i * (1 - i), d_f * f * (1 - f), d_c * (1 - c_tilde ** 2), d_o * o * (1 - o)])
    return [np.einsum("bk,uk->bu", dz, recurrent_kernel), np.multiply(dc, f),
            np.einsum("bd,bk->dk", x_t, dz), np.einsum("bu,bk->uk", h_prev, dz), np.sum(dz, axis=0)]
'''),
    Valid("lstm_step_backward", "sigmoid derivative from the pre-activation z, dh_prev block by block", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
    dsig = lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_c), sigmoid(z_o)
    c_t = f * c_prev + i * g
    dc = dc_t + dh_t * o / np.cosh(c_t) ** 2
    blocks = [dc * g * dsig(z_i), dc * c_prev * dsig(z_f), dc * i / np.cosh(z_c) ** 2, dh_t * np.tanh(c_t) * dsig(z_o)]
    R_blocks = np.split(recurrent_kernel, 4, axis=1)
    dh_prev = sum(d @ Rk.T for d, Rk in zip(blocks, R_blocks))
    dz = np.concatenate(blocks, axis=1)
    return dh_prev, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(0)
'''),
    Mistake("lstm_step_backward", "forgot dh_t's path into c_t (the tanh'(c_t) term)", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="dh_t reaches c_t through h_t"),
    Mistake("lstm_step_backward", "tanh' taken at c_t instead of tanh(c_t): 1 - c_t**2", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - c_t ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="1 - tanh\\(c_t\\)\\*\\*2"),
    Mistake("lstm_step_backward", "forgot the forget gate in dc_prev", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="forget gate is missing"),
    Mistake("lstm_step_backward", "tanh's derivative 1 - s**2 used for the sigmoid gates", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * (1 - i ** 2), dc * c_prev * (1 - f ** 2),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * (1 - o ** 2)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="sigmoid's derivative is sigma'\\(z\\) = s \\* \\(1 - s\\)"),
    Mistake("lstm_step_backward", "sigmoid applied again to the gate: sigmoid(i) * (1 - sigmoid(i))", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    ds = lambda s: sigmoid(s) * (1 - sigmoid(s))
    dz = np.concatenate([dc * c_tilde * ds(i), dc * c_prev * ds(f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * ds(o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="gate's own value"),
    Mistake("lstm_step_backward", "gradient blocks stacked in the order i, f, o, c", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dh_t * np.tanh(c_t) * o * (1 - o), dc * i * (1 - c_tilde ** 2)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="right four blocks, in the order i, f, o, c"),
    Mistake("lstm_step_backward", "the output gate's gradient taken from dc instead of dh_t", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dc * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="output gate only sees dh_t"),
    Mistake("lstm_step_backward", "dbias not summed over the batch", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz
''', says="sum dz over the batch"),
    Mistake("lstm_step_backward", "weight gradient as dz.T @ x_t (the course layout, not Keras's)", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dz @ recurrent_kernel.T, dc * f, dz.T @ x_t, dz.T @ h_prev, dz.sum(axis=0)
''', says="kernel is \\(input_dim, 4\\*units\\)"),
    Mistake("lstm_step_backward", "dh_prev through recurrent_kernel without the transpose (square case)", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    u = h_prev.shape[1]
    dh_prev = sum(dz[:, k * u:(k + 1) * u] @ recurrent_kernel[:, k * u:(k + 1) * u] for k in range(4))
    return dh_prev, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="dz @ recurrent_kernel.T"),
    Mistake("lstm_step_backward", "returns (dc_prev, dh_prev, ...)", '''
def lstm_step_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, c_tilde, o = lstm_gates(x_t, h_prev, kernel, recurrent_kernel, bias)
    c_t = f * c_prev + i * c_tilde
    dc = dc_t + dh_t * o * (1 - np.tanh(c_t) ** 2)
    dz = np.concatenate([dc * c_tilde * i * (1 - i), dc * c_prev * f * (1 - f),
                         dc * i * (1 - c_tilde ** 2), dh_t * np.tanh(c_t) * o * (1 - o)], axis=-1)
    return dc * f, dz @ recurrent_kernel.T, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', says="dh_prev first, then dc_prev"),

    # Exercise 6: gru_cell_step
    Valid("gru_cell_step", "explicit column slices", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    zx, zh = x_t @ kernel + bias[0], h_prev @ recurrent_kernel + bias[1]
    z = sigmoid(zx[:, :u] + zh[:, :u])
    r = sigmoid(zx[:, u:2 * u] + zh[:, u:2 * u])
    cand = np.tanh(zx[:, 2 * u:] + r * zh[:, 2 * u:])
    return z * h_prev + (1 - z) * cand
'''),
    Valid("gru_cell_step", "interpolation written as h_tilde + z (h_prev - h_tilde)", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    b_in, b_rec = bias
    x_z, x_r, x_h = np.split(np.matmul(x_t, kernel) + b_in, 3, axis=1)
    h_z, h_r, h_h = np.split(np.matmul(h_prev, recurrent_kernel) + b_rec, 3, axis=1)
    z = 1.0 / (1.0 + np.exp(-(x_z + h_z)))
    r = 1.0 / (1.0 + np.exp(-(x_r + h_r)))
    h_tilde = np.tanh(x_h + r * h_h)
    return h_tilde + z * (h_prev - h_tilde)
'''),
    Mistake("gru_cell_step", "reset gate before the matmul (reset_after=False)", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    xz, xr, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    hz, hr, _ = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    h_tilde = np.tanh(xh + (r * h_prev) @ recurrent_kernel[:, 2 * u:] + bias[1, 2 * u:])
    return z * h_prev + (1 - z) * h_tilde
''', says="r \\* \\(h_prev R_h"),
    Mistake("gru_cell_step", "z and 1 - z swapped", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    xz, xr, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    hz, hr, hh = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    return (1 - z) * h_prev + z * np.tanh(xh + r * hh)
''', says="u ~ 1 keeps h_prev"),
    Mistake("gru_cell_step", "the input bias used twice", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    xz, xr, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    hz, hr, hh = np.split(h_prev @ recurrent_kernel + bias[0], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    return z * h_prev + (1 - z) * np.tanh(xh + r * hh)
''', says="bias\\[1\\] the recurrent"),
    Mistake("gru_cell_step", "blocks in the order r, z, h", '''
def gru_cell_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    xr, xz, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    hr, hz, hh = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    return z * h_prev + (1 - z) * np.tanh(xh + r * hh)
''', says="u is the first block"),
]
