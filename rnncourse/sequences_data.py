"""Small, seeded synthetic sequence tasks for the lessons on RNN types (04) and training (05).

Every generator takes a ``seed`` and returns NumPy arrays (or plain strings), so a lesson gets the
same data on every run and on every machine. Nothing is downloaded: the date pairs come from
``faker`` (random dates) and ``babel`` (CLDR date formats in several languages), both on PyPI.

=========================  ===============================================  =====================
generator                   task                                             natural RNN type
=========================  ===============================================  =====================
``waveforms``               which shape is this noisy waveform?              many-to-one
``up_down_tags``            did the signal go up at this step?               many-to-many
``date_pairs``              "mercredi 11 octobre 2023" -> "2023-10-11"       encoder-decoder
``waveform_targets``        draw the waveform of this class and frequency    one-to-many
``gap_filling``             fill in the missing points of a smooth curve     bidirectional
=========================  ===============================================  =====================
"""
from __future__ import annotations

import datetime as _dt

import numpy as np

__all__ = [
    "WAVE_CLASSES",
    "wave",
    "waveforms",
    "waveform_targets",
    "up_down_tags",
    "gap_filling",
    "DATE_LOCALES",
    "DATE_FORMATS",
    "date_pairs",
    "CharVocab",
]

WAVE_CLASSES = ("sine", "square", "sawtooth")


def wave(kind: str, phase: np.ndarray) -> np.ndarray:
    """Waveform ``kind`` (one of ``WAVE_CLASSES``) at ``phase`` measured in cycles; values in [-1, 1]."""
    frac = np.mod(phase, 1.0)
    if kind == "sine":
        return np.sin(2 * np.pi * frac)
    if kind == "square":
        return np.where(frac < 0.5, 1.0, -1.0)
    if kind == "sawtooth":
        return 2.0 * frac - 1.0
    raise ValueError(f"unknown waveform {kind!r}; expected one of {WAVE_CLASSES}")


def waveforms(n: int, timesteps: int = 40, noise: float = 0.3, seed: int = 0):
    """Noisy waveforms of random class, frequency and phase.

    Returns ``x`` of shape (n, timesteps, 1) (float32) and ``y`` of shape (n,) with the class index
    into ``WAVE_CLASSES``. Frequencies are 2 to 4 cycles per sequence, phases uniform.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(WAVE_CLASSES), size=n)
    cycles = rng.uniform(2.0, 4.0, size=(n, 1))
    phase0 = rng.uniform(0.0, 1.0, size=(n, 1))
    phase = phase0 + cycles * np.arange(timesteps)[None, :] / timesteps
    x = np.stack([wave(WAVE_CLASSES[k], p) for k, p in zip(y, phase)])
    x = x + noise * rng.normal(size=x.shape)
    return x[..., None].astype("float32"), y.astype("int64")


def waveform_targets(n: int, timesteps: int = 30, seed: int = 0):
    """Conditioning vectors and the clean waveform each one describes (a one-to-many task).

    Returns ``cond`` of shape (n, len(WAVE_CLASSES) + 1): the one-hot class followed by the number
    of cycles divided by 4 (1 to 3 cycles, so 0.25 to 0.75), and ``y`` of shape (n, timesteps, 1):
    the waveform starting at phase 0.
    """
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(WAVE_CLASSES), size=n)
    cycles = rng.uniform(1.0, 3.0, size=n)
    cond = np.zeros((n, len(WAVE_CLASSES) + 1), dtype="float32")
    cond[np.arange(n), k] = 1.0
    cond[:, -1] = cycles / 4.0
    phase = cycles[:, None] * np.arange(timesteps)[None, :] / timesteps
    y = np.stack([wave(WAVE_CLASSES[c], p) for c, p in zip(k, phase)])
    return cond, y[..., None].astype("float32")


def up_down_tags(n: int, timesteps: int = 20, seed: int = 0):
    """Uniform random values and, for every step, the tag 1 if the value went up since the last step.

    Returns ``x`` (n, timesteps, 1) and ``tags`` (n, timesteps, 1), both float32; the first step is
    tagged 0. Looking at ``x_t`` alone gets about 75 % of the tags right; with one step of memory
    an RNN gets them all.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n, timesteps))
    tags = np.zeros_like(x)
    tags[:, 1:] = x[:, 1:] > x[:, :-1]
    return x[..., None].astype("float32"), tags[..., None].astype("float32")


def gap_filling(n: int, timesteps: int = 24, n_missing: int = 3, seed: int = 0):
    """Smooth random curves with ``n_missing`` points blanked out, away from the two ends.

    Each curve is a sum of two sinusoids with random frequency (0.5 to 2 cycles), phase and
    amplitude. Returns ``x`` (n, timesteps, 2) with channel 0 the value (0 where missing) and
    channel 1 the flag "this point is missing", ``y`` (n, timesteps, 1) the full curve, and
    ``missing`` (n, timesteps) a boolean mask of the blanked points.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(timesteps)[None, :] / timesteps
    y = np.zeros((n, timesteps))
    for _ in range(2):
        freq = rng.uniform(0.5, 2.0, size=(n, 1))
        phase = rng.uniform(0.0, 2 * np.pi, size=(n, 1))
        amp = rng.uniform(0.3, 0.7, size=(n, 1))
        y += amp * np.sin(2 * np.pi * freq * t + phase)
    missing = np.zeros((n, timesteps), dtype=bool)
    for i in range(n):
        missing[i, rng.choice(np.arange(2, timesteps - 2), size=n_missing, replace=False)] = True
    x = np.stack([np.where(missing, 0.0, y), missing.astype(float)], axis=-1)
    return x.astype("float32"), y[..., None].astype("float32"), missing


# --- dates: human-written -> ISO ------------------------------------------------------------------
DATE_LOCALES = ("en_US", "fr_FR", "de_DE", "es_ES")
# CLDR patterns: 'yyyy' is the calendar year ('YYYY' would be the week-based year, wrong around
# New Year). The locale's 'short' format is left out (two-digit years), and so is 'full' (the
# weekday makes inputs longer, hence slower to train on, without teaching anything new).
DATE_FORMATS = ("medium", "long", "d MMM yyyy", "dd.MM.yyyy")


def date_pairs(n: int, seed: int = 0, start: _dt.date = _dt.date(1950, 1, 1),
               end: _dt.date = _dt.date(2049, 12, 31), locales=DATE_LOCALES, formats=DATE_FORMATS):
    """``n`` pairs (human-written date, ISO date), e.g. ("11. Oktober 2023", "2023-10-11").

    Dates are drawn uniformly between ``start`` and ``end`` by ``faker``; each is written by
    ``babel`` in a random locale from ``locales`` and a random pattern from ``formats``.
    """
    from babel.dates import format_date
    from faker import Faker

    fake = Faker()
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(n):
        date = fake.date_between(start_date=start, end_date=end)
        locale = locales[rng.integers(len(locales))]
        fmt = formats[rng.integers(len(formats))]
        pairs.append((format_date(date, fmt, locale=locale), date.isoformat()))
    return pairs


class CharVocab:
    """Character vocabulary: index 0 is padding, index 1 stands for unknown characters."""

    PAD, UNK = 0, 1

    def __init__(self, texts):
        chars = sorted(set("".join(texts)))
        self.chars = ["", "?"] + chars
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, texts, length: int, pad: str = "post") -> np.ndarray:
        """Integer array (len(texts), length), padded with 0 and cut at ``length``.

        ``pad="post"`` puts the padding after the text; ``pad="pre"`` before it, so that the last
        step an RNN reads is the last character (useful without masking).
        """
        out = np.zeros((len(texts), length), dtype="int32")
        for i, text in enumerate(texts):
            ids = [self.index.get(c, self.UNK) for c in text[:length]]
            if ids:
                if pad == "pre":
                    out[i, length - len(ids):] = ids
                else:
                    out[i, : len(ids)] = ids
        return out

    def decode(self, ids) -> list[str]:
        """Strings back from integer rows (padding dropped)."""
        return ["".join(self.chars[int(i)] for i in row if int(i) != self.PAD) for row in np.asarray(ids)]
