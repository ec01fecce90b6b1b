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

    # Exercise 3: beam_decode (a batched model solution is in the notebook)
    Valid("beam_decode", "hypotheses in beam-major rows, scipy's log_softmax, np.argpartition (other tie-breaking), no early stop", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    from scipy.special import log_softmax
    n, k = len(sources), beam_width

    def take(state, rows):
        return [np.asarray(s)[rows] for s in state] if isinstance(state, (list, tuple)) else np.asarray(state)[rows]

    # beam-major rows: row i * n + b holds hypothesis i of source b
    state = take(encoder(sources), np.tile(np.arange(n), k))
    tokens = np.full(n * k, start_token)
    scores = np.zeros((k, n))
    scores[1:] = -np.inf
    seqs = np.zeros((k, n, 0), dtype=int)
    finished = np.zeros((k, n), dtype=bool)
    cols = np.arange(n)[None, :]
    for _ in range(max_len):
        logits, state = decoder_step(tokens, state)
        logp = log_softmax(np.asarray(logits, dtype=float), axis=-1).reshape(k, n, -1)
        vocab = logp.shape[-1]
        ext = scores[..., None] + logp
        ext[finished] = -np.inf
        ext[finished, 0] = scores[finished]          # a finished hypothesis: one candidate, padded, same score
        flat = ext.transpose(1, 0, 2).reshape(n, k * vocab)
        top = np.argpartition(-flat, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(flat, top, axis=1), axis=1), axis=1)
        scores = np.take_along_axis(flat, top, axis=1).T
        parent, tok = (top // vocab).T, (top % vocab).T
        seqs = np.concatenate([seqs[parent, cols], tok[..., None]], axis=2)
        finished = finished[parent, cols] | (tok == end_token)
        state = take(state, (parent * n + cols).ravel())
        tokens = tok.ravel()
    return seqs[np.argmax(scores, axis=0), np.arange(n)]
'''),
    Valid("beam_decode", "one source at a time, its hypotheses as Python lists in one batch", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    full_state = encoder(sources)
    is_list = isinstance(full_state, (list, tuple))

    def rows(st, idx):
        return [np.asarray(s)[idx] for s in st] if is_list else np.asarray(st)[idx]

    result = np.zeros((len(sources), max_len), dtype=np.int32)
    for b in range(len(sources)):        # one source at a time, its hypotheses in one batch
        hyps, scores, state = [[]], np.array([0.0]), rows(full_state, [b])
        for _ in range(max_len):
            done = [end_token in h for h in hyps]
            if all(done):
                break
            last = np.array([h[-1] if h else start_token for h in hyps])
            logits, new_state = decoder_step(last, state)
            z = np.asarray(logits, dtype=np.float64)
            z = z - z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            cands = []
            for i, h in enumerate(hyps):
                if done[i]:
                    cands.append((scores[i], i, None))
                else:
                    cands += [(scores[i] + logp[i, v], i, v) for v in range(z.shape[1])]
            kept = sorted(cands, key=lambda c: c[0], reverse=True)[:beam_width]
            hyps = [hyps[i] + ([] if v is None else [v]) for _, i, v in kept]
            scores = np.array([c[0] for c in kept])
            state = rows(new_state, [i for _, i, _ in kept])
        best = hyps[int(np.argmax(scores))]
        result[b, :len(best)] = best
    return result
'''),
    Mistake("beam_decode", "starts from beam_width copies of the start hypothesis", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, :] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="ONE hypothesis"),
    Mistake("beam_decode", "adds the raw logits (no log-softmax)", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits.reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="log-softmax"),
    Mistake("beam_decode", "multiplies probabilities instead of adding log-probabilities", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), 0.0)
    score[:, 0] = 1.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] * np.exp(logp)).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="underflows"),
    Mistake("beam_decode", "keeps the states in their old rows when the hypotheses are reordered", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="its own state"),
    Mistake("beam_decode", "keeps the encoder's state", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, _ = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="state returned by decoder_step"),
    Mistake("beam_decode", "drops the end token", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = np.where(tok == end_token, 0, tok)
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="keep the end token"),
    Mistake("beam_decode", "goes on extending finished hypotheses", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="finished: it keeps its score"),
    Mistake("beam_decode", "picks the best hypothesis by its mean log-probability (length-normalised)", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (score[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    length = (out != 0).sum(axis=2)
    return out[np.arange(batch), np.argmax(score / np.maximum(length, 1), axis=1)]
''', says="SUM of its log-probabilities"),
    Mistake("beam_decode", "ranks candidates by the last step's log-probability only", '''
def beam_decode(encoder, decoder_step, sources, start_token, end_token, max_len, beam_width):
    sources = np.asarray(sources)
    batch, width = len(sources), beam_width

    def pick(state, rows):
        if isinstance(state, (list, tuple)):
            return [np.asarray(s)[rows] for s in state]
        return np.asarray(state)[rows]

    state = pick(encoder(sources), np.repeat(np.arange(batch), width))
    tokens = np.full(batch * width, start_token)
    score = np.full((batch, width), -np.inf)
    score[:, 0] = 0.0
    out = np.zeros((batch, width, max_len), dtype=np.int64)
    done = np.zeros((batch, width), dtype=bool)
    for j in range(max_len):
        logits, state = decoder_step(tokens, state)
        logits = np.asarray(logits, dtype=np.float64)
        vocab = logits.shape[-1]
        logp = logits - logits.max(axis=-1, keepdims=True)
        logp = (logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))).reshape(batch, width, vocab)
        pad_only = np.where(np.arange(vocab) == 0, 0.0, -np.inf)
        logp = np.where(done[..., None], pad_only, logp)
        cand = (np.where(np.isfinite(score), 0.0, -np.inf)[..., None] + logp).reshape(batch, width * vocab)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :width]
        parent, tok = best // vocab, best % vocab
        score = np.take_along_axis(cand, best, axis=1)
        out = np.take_along_axis(out, parent[..., None], axis=1)
        out[:, :, j] = tok
        done = np.take_along_axis(done, parent, axis=1) | (tok == end_token)
        state = pick(state, (np.arange(batch)[:, None] * width + parent).ravel())
        tokens = tok.ravel()
        if done.all():
            break
    return out[np.arange(batch), np.argmax(score, axis=1)]
''', says="SUM of its log-probabilities"),
]
