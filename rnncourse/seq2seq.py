"""Helpers for lesson 07's translation (spelling -> pronunciation) and sentiment notebooks.

Token-id convention used throughout: 0 is padding, 1 is the start token ``<s>``, 2 is the end token
``</s>``; real symbols start at 3. The exercises of the lesson (the teacher-forcing shift, greedy
decoding, text vectorisation, the bidirectional model) are *not* here: students write them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = [
    "PAD", "START", "END", "SPECIALS",
    "g2p_pairs", "build_vocab", "encode", "decode",
    "Seq2Seq", "build_seq2seq",
    "edit_distance", "exact_match", "phoneme_accuracy",
    "LetterBaseline",
    "top_words", "bag_of_words_baseline", "without_masking",
]

PAD, START, END = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")


# ----------------------------------------------------------------------------------------------
# Spelling -> pronunciation data

def g2p_pairs(frame, n: int, min_letters: int = 3, max_letters: int = 7, seed: int = 0):
    """``n`` (spelling, phonemes) pairs drawn from the CMU dictionary frame of ``load_cmudict``.

    Keeps the first pronunciation of words made of the letters a-z only, ``min_letters`` to
    ``max_letters`` long, and drops the stress digits (``AE1`` -> ``AE``: 39 phonemes).
    Returns two lists: spellings (strings) and pronunciations (lists of phoneme strings).
    """
    words = frame[(frame["variant"] == 1) & frame["word"].str.fullmatch(r"[a-z]+")]
    lengths = words["word"].str.len()
    words = words[(lengths >= min_letters) & (lengths <= max_letters)]
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(words), size=n, replace=False)
    chosen = words.iloc[np.sort(pick)]
    spellings = chosen["word"].tolist()
    phonemes = [re.sub(r"\d", "", p).split() for p in chosen["phonemes"]]
    order = rng.permutation(n)
    return [spellings[i] for i in order], [phonemes[i] for i in order]


def build_vocab(sequences: Sequence[Sequence[str]]) -> list[str]:
    """Sorted symbols of ``sequences`` after the three special tokens (so ids of symbols start at 3)."""
    symbols = sorted({s for seq in sequences for s in seq})
    return list(SPECIALS) + symbols


def encode(sequences: Sequence[Sequence[str]], vocab: Sequence[str], max_len: int,
           add_end: bool = False) -> np.ndarray:
    """Integer matrix (len(sequences), max_len): symbol ids, optionally ``</s>``, then padding 0."""
    index = {s: i for i, s in enumerate(vocab)}
    out = np.zeros((len(sequences), max_len), dtype=np.int32)
    for row, seq in enumerate(sequences):
        ids = [index[s] for s in seq] + ([END] if add_end else [])
        if len(ids) > max_len:
            raise ValueError(f"sequence {seq!r} needs {len(ids)} positions, max_len is {max_len}")
        out[row, : len(ids)] = ids
    return out


def decode(ids: Sequence[int], vocab: Sequence[str]) -> list[str]:
    """Symbols of one row of ids, stopping at ``</s>`` (or padding); ``<s>`` is skipped."""
    out = []
    for i in np.asarray(ids).tolist():
        if i in (END, PAD):
            break
        if i != START:
            out.append(vocab[i])
    return out


# ----------------------------------------------------------------------------------------------
# The encoder-decoder

@dataclass
class Seq2Seq:
    """An encoder-decoder in three views that share their layers.

    ``model([sources, decoder_inputs]) -> logits`` is the training model (teacher forcing);
    ``encoder(sources) -> state`` and ``decoder_step(tokens, state) -> (logits, state)`` run the
    decoder one step at a time, for inference. ``tokens`` has shape (batch,), ``logits``
    (batch, target vocabulary).
    """

    model: object
    encoder: Callable
    decoder_step: Callable


def build_seq2seq(src_vocab_size: int, tgt_vocab_size: int, units: int = 64, embed_dim: int = 16,
                  cell: str = "gru") -> Seq2Seq:
    """A character-level encoder-decoder: Embedding -> GRU/LSTM encoder, whose final state starts a
    GRU/LSTM decoder over the (shifted) target tokens, and a Dense layer giving logits."""
    import keras
    from keras import layers

    rnn = {"gru": layers.GRU, "lstm": layers.LSTM}[cell]
    n_states = 1 if cell == "gru" else 2

    src = keras.Input((None,), dtype="int32", name="source")
    enc_emb = layers.Embedding(src_vocab_size, embed_dim, mask_zero=True, name="source_embedding")
    enc_rnn = rnn(units, return_state=True, name="encoder")
    enc_states = enc_rnn(enc_emb(src))[1:]

    dec_in = keras.Input((None,), dtype="int32", name="decoder_input")
    dec_emb = layers.Embedding(tgt_vocab_size, embed_dim, mask_zero=True, name="target_embedding")
    dec_rnn = rnn(units, return_sequences=True, return_state=True, name="decoder")
    head = layers.Dense(tgt_vocab_size, name="logits")
    dec_seq = dec_rnn(dec_emb(dec_in), initial_state=list(enc_states))[0]
    model = keras.Model([src, dec_in], head(dec_seq), name=f"seq2seq_{cell}")

    encoder_model = keras.Model(src, list(enc_states), name="encoder_model")
    tok = keras.Input((1,), dtype="int32")
    state_in = [keras.Input((units,)) for _ in range(n_states)]
    step_out = dec_rnn(dec_emb(tok), initial_state=state_in)
    step_model = keras.Model([tok] + state_in, [head(step_out[0][:, 0])] + list(step_out[1:]),
                             name="decoder_step_model")

    def encoder(sources):
        states = encoder_model(np.asarray(sources, dtype=np.int32), training=False)
        states = states if isinstance(states, (list, tuple)) else [states]
        return [np.asarray(s) for s in states]

    def decoder_step(tokens, state):
        tokens = np.asarray(tokens, dtype=np.int32).reshape(-1, 1)
        outs = step_model([tokens] + list(state), training=False)
        return np.asarray(outs[0]), [np.asarray(s) for s in outs[1:]]

    return Seq2Seq(model=model, encoder=encoder, decoder_step=decoder_step)


# ----------------------------------------------------------------------------------------------
# Metrics and a baseline

def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance (insertions, deletions and substitutions cost 1)."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def exact_match(predictions: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    """Fraction of sequences predicted exactly right (word accuracy)."""
    return float(np.mean([list(p) == list(r) for p, r in zip(predictions, references)]))


def phoneme_accuracy(predictions: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    """1 - phoneme error rate: 1 - (total edit distance) / (total reference length).

    Edit distance, not position-by-position comparison, so that one missing phoneme costs one
    error rather than shifting every later phoneme out of place.
    """
    errors = sum(edit_distance(p, r) for p, r in zip(predictions, references))
    return 1.0 - errors / sum(len(r) for r in references)


class LetterBaseline:
    """The 'no sequence model' baseline: one phoneme per letter, the most frequent one.

    Letter-phoneme counts come from the training words whose spelling and pronunciation have the
    same length (the only ones where position i of one lines up with position i of the other).
    """

    def fit(self, spellings, phonemes):
        counts: dict[str, Counter] = {}
        for word, phones in zip(spellings, phonemes):
            if len(word) == len(phones):
                for letter, ph in zip(word, phones):
                    counts.setdefault(letter, Counter())[ph] += 1
        self.table = {letter: c.most_common(1)[0][0] for letter, c in counts.items()}
        return self

    def predict(self, spellings):
        return [[self.table[ch] for ch in word if ch in self.table] for word in spellings]


# ----------------------------------------------------------------------------------------------
# Sentiment helpers

def top_words(texts: Sequence[str], max_tokens: int) -> list[str]:
    """The ``max_tokens`` most frequent lower-cased whitespace tokens (ties broken alphabetically)."""
    counts = Counter(tok for text in texts for tok in text.lower().split())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:max_tokens]]


def bag_of_words_baseline(train_texts, y_train, test_texts, y_test, C: float = 1.0):
    """Logistic regression on binary bag-of-words vectors (which words occur, in any order).

    Tokens are lower-cased whitespace-separated words, as in the lesson's vectoriser. Returns the
    test accuracy and the fitted ``(vectorizer, classifier)``.
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(binary=True, token_pattern=r"\S+", lowercase=True)
    x_train = vec.fit_transform(train_texts)
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000).fit(x_train, y_train)
    acc = float(clf.score(vec.transform(test_texts), y_test))
    return acc, (vec, clf)


def without_masking(model):
    """A copy of ``model`` with the same weights whose Embedding layers do not mask padding.

    Any design: models inside the model are copied too (``recursive``), and in a functional model,
    which records each layer's mask as an argument of the next layer's call, the copy's layers are
    called without it.
    """
    import keras

    def clone(layer):
        config = layer.get_config()
        if isinstance(layer, keras.layers.Embedding):
            config["mask_zero"] = False
        return layer.__class__.from_config(config)

    def call_without_mask(layer, *args, **kwargs):
        kwargs.pop("mask", None)
        return layer(*args, **kwargs)

    calls = {} if isinstance(model, keras.Sequential) else {"call_function": call_without_mask}
    copy = keras.models.clone_model(model, clone_function=clone, recursive=True, **calls)
    copy.set_weights(model.get_weights())
    return copy
