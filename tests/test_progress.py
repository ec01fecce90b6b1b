"""The per-epoch progress line of the lessons' training cells (rnncourse/progress.py)."""
import io

import pytest

from rnncourse.progress import epoch_text


def test_the_line_names_the_run_the_epoch_every_metric_and_the_time():
    text = epoch_text("many-to-one", 3, 6, {"loss": 0.51234, "val_accuracy": 0.875, "note": "x"}, 2.46)
    assert text == "many-to-one · epoch 3/6 · loss 0.5123 · val_accuracy 0.8750 · 2.5 s"
    assert epoch_text("", 1, None, None, 0.0) == "epoch 1 · 0.0 s"


@pytest.mark.slow
def test_a_keras_fit_leaves_one_line_rewritten_each_epoch():
    import keras
    import numpy as np

    from rnncourse.progress import epoch_progress

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    out = io.StringIO()
    model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=3, verbose=0, callbacks=[epoch_progress("tiny", out)])
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1 and text.count("\r") == 2, repr(text)
    assert text.rsplit("\r", 1)[-1].startswith("tiny · epoch 3/3 · loss 0.0000 · "), repr(text)
