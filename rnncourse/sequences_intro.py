"""Synthetic data for lesson 01 (sequences): sentences whose label only their word order decides.

``order_sentences`` writes short movie-review sentences such as "the plot was good and not dull"
(positive) and its mirror image "the plot was dull and not good" (negative). Both sentences hold
exactly the same words, so any model that only sees which words occur (a bag of words) gets at
most one sentence of each pair right: on a set made of whole pairs it sits at 50 % accuracy by
construction. A model that reads the words in order can learn the rule "the adjective after *not*
is negated".

The 300 possible pairs (template, subject, positive adjective, negative adjective) are split once and
for all into a training part (225) and a validation part (75), so validation sentences are word
combinations a model has never seen, made of words it has seen.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

__all__ = ["POSITIVE", "NEGATIVE", "SUBJECTS", "TEMPLATES", "order_sentences", "same_bag_of_words"]

POSITIVE = ("good", "great", "fine", "funny", "clever")
NEGATIVE = ("bad", "dull", "awful", "boring", "silly")
SUBJECTS = ("film", "plot", "cast", "story", "ending", "music")
# {x} is the adjective that counts, {y} the negated one; every template has seven words.
TEMPLATES = (
    "the {s} was {x} and not {y}",
    "not {y} but {x} was the {s}",
)


def _pairs(part: str) -> list[tuple[int, int, int, int]]:
    """Index tuples (template, subject, positive, negative) of the pairs in ``part``."""
    if part not in ("train", "val", "all"):
        raise ValueError(f"part must be 'train', 'val' or 'all', got {part!r}")
    combos = [(t, s, p, n) for t in range(len(TEMPLATES)) for s in range(len(SUBJECTS))
              for p in range(len(POSITIVE)) for n in range(len(NEGATIVE))]
    if part == "all":
        return combos
    # A fixed quarter of the combinations, spread evenly over every word, is kept for validation.
    is_val = [(t + s + p + 2 * n) % 4 == 0 for t, s, p, n in combos]
    return [c for c, v in zip(combos, is_val) if v == (part == "val")]


def order_sentences(n_pairs: int, seed: int = 0, part: str = "all") -> tuple[list[str], np.ndarray]:
    """``2 * n_pairs`` sentences and their labels (1 = positive, 0 = negative), in mirror pairs.

    Sentences ``2k`` and ``2k + 1`` use the same template, subject and pair of adjectives, with
    the two adjectives swapped: the same bag of words with opposite labels. Which member of a pair
    comes first is random, so the labels do not alternate. Labels are int64. Pairs are drawn with
    replacement from ``part``: ``"train"`` or ``"val"`` (disjoint sets of word combinations) or
    ``"all"``.
    """
    rng = np.random.default_rng(seed)
    pool = _pairs(part)
    sentences: list[str] = []
    labels: list[int] = []
    for _ in range(n_pairs):
        t, s, p, n = pool[rng.integers(len(pool))]
        template, subject, pos, neg = TEMPLATES[t], SUBJECTS[s], POSITIVE[p], NEGATIVE[n]
        pair = [
            (template.format(s=subject, x=pos, y=neg), 1),
            (template.format(s=subject, x=neg, y=pos), 0),
        ]
        if rng.random() < 0.5:
            pair.reverse()
        for text, label in pair:
            sentences.append(text)
            labels.append(label)
    return sentences, np.asarray(labels, dtype="int64")


def same_bag_of_words(a: str, b: str) -> bool:
    """True when sentences ``a`` and ``b`` hold the same words the same number of times."""
    return Counter(a.split()) == Counter(b.split())
