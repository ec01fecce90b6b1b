"""The lesson harness's own parts that need no kernel: the hostile student and the recorder's pause."""
import subprocess
import sys
import textwrap

import nbformat
import pytest

from autograder import harness, replay


def _blank():
    answer = nbformat.v4.new_code_cell("def area(w, h):\n    raise NotImplementedError()")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "area", "locked": False}
    test = nbformat.v4.new_code_cell("assert area(2, 3) == 6")
    test.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": "area_test", "points": 1,
                                 "locked": True}
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# a lesson"), answer, test])


def test_the_hostile_student_cheats_after_every_answer_cell():
    nb = harness.hostile(_blank())
    sources = [c.source for c in nb.cells]
    assert sources[2] == harness.HOSTILE_CELL and sources[3] == "assert area(2, 3) == 6"
    assert sources.count(harness.HOSTILE_CELL) == 1


def test_the_hostile_cell_rebinds_the_answers_and_patches_numpy():
    """Run as a kernel would (names in __main__), in a fresh interpreter: the stub now returns an
    object equal to anything, NumPy's comparisons lie, and the cell prints a forged success."""
    program = textwrap.dedent('''
        import numpy as np
        def area(w, h):
            raise NotImplementedError()
        exec(compile(CELL, "<hostile>", "exec"), globals())
        assert area(2, 3) == 6 and area(2, 3) == "anything" and not (area(1, 1) != 7)
        assert np.allclose([1], [2]) and np.array_equal([1], [2])
    ''')
    proc = subprocess.run([sys.executable, "-c", f"CELL = {harness.HOSTILE_CELL!r}\n" + program],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "All tests passed" in proc.stdout


def test_a_paused_recorder_answers_calls_without_remembering_them():
    calls = []

    def square(x):
        calls.append(x)
        return x * x

    namespace = {"square": square}
    recorder = replay.Replay()
    recorder.wrap(namespace, ["square"])
    assert namespace["square"](3) == 9                  # remembered
    recorder.pause()
    assert namespace["square"](4) == 16                 # runs, not remembered
    recorder.resume()
    recorder.freeze()
    assert namespace["square"](3) == 9 and calls == [3, 4]
    with pytest.raises(replay.HardCodedAnswer):
        namespace["square"](4)
