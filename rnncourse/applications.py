"""Helpers for lesson 07 (applications): text generation, forecasting and sorting.

Only code that the notebooks reuse or that is not the point of the exercise lives here; what the
student is asked to write stays in the notebook.
"""
from __future__ import annotations

import re

import numpy as np

__all__ = [
    "CharVocabulary",
    "ngram_perplexity",
    "known_word_fraction",
    "mae",
    "autocorrelation",
    "greedy_decoder",
]


# --------------------------------------------------------------------------- text generation
class CharVocabulary:
    """Character <-> integer id mapping for a text (ids follow sorted character order)."""

    def __init__(self, text: str):
        self.chars = sorted(set(text))
        self.char_to_id = {c: i for i, c in enumerate(self.chars)}
        self.id_to_char = dict(enumerate(self.chars))

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.char_to_id[c] for c in text], dtype=np.int32)

    def decode(self, ids) -> str:
        return "".join(self.id_to_char[int(i)] for i in ids)


def ngram_perplexity(train_ids, val_ids, vocab_size: int, order: int, alpha: float = 0.1) -> float:
    """Perplexity on ``val_ids`` of a character unigram (order 1) or bigram (order 2) model.

    Counts come from ``train_ids`` with add-``alpha`` smoothing, so no validation character has
    probability zero. Perplexity = exp(mean negative log-likelihood per predicted character).
    """
    train_ids = np.asarray(train_ids)
    val_ids = np.asarray(val_ids)
    if order == 1:
        counts = np.bincount(train_ids, minlength=vocab_size) + alpha
        probs = counts / counts.sum()
        nll = -np.log(probs[val_ids[1:]])  # same predicted positions as the bigram model
    elif order == 2:
        counts = np.full((vocab_size, vocab_size), alpha)
        np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
        probs = counts / counts.sum(axis=1, keepdims=True)
        nll = -np.log(probs[val_ids[:-1], val_ids[1:]])
    else:
        raise ValueError("order must be 1 (unigram) or 2 (bigram)")
    return float(np.exp(nll.mean()))


def known_word_fraction(text: str, vocabulary: set[str]) -> float:
    """Fraction of the lower-cased words in ``text`` that appear in ``vocabulary``."""
    words = re.findall(r"[a-z']+", text.lower())
    if not words:
        return 0.0
    return float(np.mean([w in vocabulary for w in words]))


# --------------------------------------------------------------------------- forecasting
def mae(prediction, target) -> float:
    """Mean absolute error."""
    return float(np.mean(np.abs(np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float))))


def autocorrelation(series, lag: int = 1) -> float:
    """Pearson correlation between a series and itself ``lag`` steps later."""
    series = np.asarray(series, dtype=float)
    return float(np.corrcoef(series[:-lag], series[lag:])[0, 1])


# --------------------------------------------------------------------------- sorting
def greedy_decoder(model, go_token: int):
    """Greedy decoding for an encoder-decoder ``model([encoder_in, decoder_in]) -> logits``.

    Returns ``decode(x, steps=None)``: starting from ``go_token``, it feeds the decoder its own
    previous predictions, one step at a time, and returns the predicted tokens (batch, steps).
    The decoder is causal, so re-running the whole model on the growing decoder input is exact;
    the model call is wrapped in one ``tf.function`` so that any length reuses the same graph.
    """
    import tensorflow as tf

    spec = tf.TensorSpec((None, None), tf.int32)
    step = tf.function(lambda enc, dec: model([enc, dec], training=False), input_signature=[spec, spec])

    def decode(x, steps: int | None = None) -> np.ndarray:
        x = np.asarray(x, dtype=np.int32)
        steps = x.shape[1] if steps is None else steps
        dec = np.full((len(x), 1), go_token, dtype=np.int32)
        for _ in range(steps):
            logits = step(x, dec).numpy()
            dec = np.concatenate([dec, logits[:, -1].argmax(-1)[:, None].astype(np.int32)], axis=1)
        return dec[:, 1:]

    return decode

