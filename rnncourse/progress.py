"""One line per training run that updates after every epoch, instead of silence (``verbose=0``)
or Keras' per-batch bars (``verbose=1``), which fill a notebook with hundreds of lines::

    model.fit(x, y, epochs=6, verbose=0, callbacks=[epoch_progress("many-to-one")])
    # prints, e.g.: many-to-one · epoch 6/6 · loss 0.3121 · accuracy 0.8750 · 4.2 s

The line is rewritten in place (a carriage return), so a finished run leaves one line.
"""
from __future__ import annotations

import sys
import time

__all__ = ["epoch_progress", "epoch_text"]


def epoch_text(label: str, epoch: int, epochs: int | None, logs: dict | None, seconds: float) -> str:
    """``label · epoch 3/6 · loss 0.5120 · val_loss 0.6021 · 2.5 s`` (the metrics Keras logged)."""
    parts = [label] if label else []
    parts.append(f"epoch {epoch}/{epochs}" if epochs else f"epoch {epoch}")
    for name, value in (logs or {}).items():
        try:
            parts.append(f"{name} {float(value):.4f}")
        except (TypeError, ValueError):
            continue
    parts.append(f"{seconds:.1f} s")
    return " · ".join(parts)


def epoch_progress(label: str = "", stream=None):
    """A Keras callback that prints ``epoch_text`` after each epoch, over the previous line."""
    import keras

    class EpochProgress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._start, self._shown, self._out = time.monotonic(), False, stream or sys.stdout

        def on_epoch_end(self, epoch, logs=None):
            text = epoch_text(label, epoch + 1, self.params.get("epochs"), logs, time.monotonic() - self._start)
            self._out.write(("\r" if self._shown else "") + text)
            self._out.flush()
            self._shown = True

        def on_train_end(self, logs=None):
            if self._shown:
                self._out.write("\n")

    return EpochProgress()
