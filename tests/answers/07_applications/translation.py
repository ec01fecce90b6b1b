"""Realistic answers to lesson 7.4's exercises (see autograder/corpus.py)."""
from autograder.corpus import Mistake, Valid

ANSWERS = [
    # Exercise 1: shift_right
    Valid("shift_right", "np.concatenate with a start column of the same dtype", '''
def shift_right(targets, start_token):
    targets = np.asarray(targets)
    start = np.full((targets.shape[0], 1), start_token, dtype=targets.dtype)
    return np.concatenate([start, targets[:, :-1]], axis=1)
'''),
    Valid("shift_right", "np.roll on a copy", '''
def shift_right(targets, start_token):
    out = np.roll(np.array(targets, copy=True), 1, axis=1)
    out[:, 0] = start_token
    return out
'''),
    Valid("shift_right", "np.pad", '''
def shift_right(targets, start_token):
    return np.pad(targets[:, :-1], ((0, 0), (1, 0)), constant_values=start_token)
'''),
    # (shifting in place and returning the input is caught by the visible test in the student's own
    # notebook; at grading the test's arrays are copies in her kernel, out of reach of the call)
    Mistake("shift_right", "shifts left", '''
def shift_right(targets, start_token):
    out = np.empty_like(targets)
    out[:, 0] = start_token
    out[:, 1:] = targets[:, 1:]
    return out
''', says="shift RIGHT"),
    Mistake("shift_right", "keeps the last column (one step too many)", '''
def shift_right(targets, start_token):
    start = np.full((len(targets), 1), start_token, dtype=targets.dtype)
    return np.concatenate([start, targets], axis=1)
''', says="drop the last target column"),
    Mistake("shift_right", "start token hard-coded", '''
def shift_right(targets, start_token):
    out = np.empty_like(targets)
    out[:, 0] = START
    out[:, 1:] = targets[:, :-1]
    return out
''', says="start_token argument"),

    # Exercise 2: greedy_decode
    Valid("greedy_decode", "rows as lists, padded at the end", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state = encoder(sources)
    tokens = np.full(len(sources), start_token)
    rows = [[] for _ in range(len(sources))]
    finished = [False] * len(sources)
    for _ in range(max_len):
        scores, state = decoder_step(tokens, state)
        tokens = np.asarray(scores).argmax(axis=1)
        for i, tok in enumerate(tokens):
            if not finished[i]:
                rows[i].append(int(tok))
                finished[i] = int(tok) == end_token
    return np.array([row + [0] * (max_len - len(row)) for row in rows], dtype=np.int32)
'''),
    Valid("greedy_decode", "collect every step, then zero after the first end token", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state, tokens, steps = encoder(sources), np.full(len(sources), start_token), []
    for _ in range(max_len):
        scores, state = decoder_step(tokens, state)
        tokens = np.argmax(scores, axis=-1)
        steps.append(tokens)
    out = np.stack(steps, axis=1).astype(int)
    ended = np.cumsum(out == end_token, axis=1)
    after_end = (ended - (out == end_token)) > 0
    out[after_end] = 0
    return out
'''),
    Mistake("greedy_decode", "feeds the start token at every step", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state = encoder(sources)
    start = np.full(len(sources), start_token)
    out = np.zeros((len(sources), max_len), dtype=int)
    done = np.zeros(len(sources), dtype=bool)
    for k in range(max_len):
        scores, state = decoder_step(start, state)
        tokens = np.argmax(scores, axis=-1)
        out[:, k] = np.where(done, 0, tokens)
        done |= tokens == end_token
    return out
''', says="feed each step's argmax back"),
    Mistake("greedy_decode", "keeps the encoder's state", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state = encoder(sources)
    tokens = np.full(len(sources), start_token)
    out = np.zeros((len(sources), max_len), dtype=int)
    done = np.zeros(len(sources), dtype=bool)
    for k in range(max_len):
        scores, _ = decoder_step(tokens, state)
        tokens = np.argmax(scores, axis=-1)
        out[:, k] = np.where(done, 0, tokens)
        done |= tokens == end_token
    return out
''', says="state returned by decoder_step"),
    Mistake("greedy_decode", "no padding after the end token", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state = encoder(sources)
    tokens = np.full(len(sources), start_token)
    out = np.zeros((len(sources), max_len), dtype=int)
    for k in range(max_len):
        scores, state = decoder_step(tokens, state)
        tokens = np.argmax(scores, axis=-1)
        out[:, k] = tokens
    return out
''', says="pad with 0"),
    Mistake("greedy_decode", "drops the end token itself", '''
def greedy_decode(encoder, decoder_step, sources, start_token, end_token, max_len):
    state = encoder(sources)
    tokens = np.full(len(sources), start_token)
    out = np.zeros((len(sources), max_len), dtype=int)
    done = np.zeros(len(sources), dtype=bool)
    for k in range(max_len):
        scores, state = decoder_step(tokens, state)
        tokens = np.argmax(scores, axis=-1)
        done |= tokens == end_token
        out[:, k] = np.where(done, 0, tokens)
    return out
''', says="keep the end token"),
]
