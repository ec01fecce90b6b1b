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

    # Exercise 5: gru_cell_step
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
