"""Each test's limit per call, end to end: measured on the model solution, then used when a batch is
graded. A student function that takes 25 s is stopped at its test's limit (10 s, the floor: the
model solution's calls take milliseconds), although the cell limit (60 s) would have let it finish;
only that test loses its points, and the message says why."""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder import calltimes, grade
from autograder.results import Options
from conftest import FIXTURES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"

SLOW = '''def count_params(units, features):
    """Parameters of a SimpleRNN layer."""
    import time
    time.sleep(25)
    return units * (units + features + 1)
'''


@pytest.mark.slow
def test_a_call_past_its_tests_measured_limit_fails_that_test_alone(tmp_path, fixture_state, read_grades):
    [measured] = calltimes.measure(ASSIGNMENT, fixture_state)
    assert measured.failed == [] and set(measured.calls) == {"rnn_step_test", "count_params_test"}
    assert all(0 < s < 2 for s in measured.calls.values()), measured.calls
    record = json.loads(calltimes.path(fixture_state, ASSIGNMENT, "plain").read_text())
    assert record["source_sha256"] == calltimes.checksum(SOURCE)

    solution = nbformat.read(str(SOURCE), as_version=4)
    slow = nbformat.from_dict(solution)
    [cell] = [c for c in slow.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "count_params_answer"]
    cell.source = SLOW
    for student, nb in (("ada", solution), ("slow", slow)):
        (tmp_path / "subs" / student).mkdir(parents=True)
        nbformat.write(nb, str(tmp_path / "subs" / student / "plain.ipynb"))
    grade.grade_batch(ASSIGNMENT, tmp_path / "subs", tmp_path / "out", Options(fixture_state, cell_timeout=60),
                      workers=1, progress=False)

    rows = read_grades(tmp_path / "out")
    assert (rows["ada"]["score"], rows["ada"]["status"]) == ("3.0", "graded")
    assert rows["slow"]["score"] == "2.0", rows["slow"]
    graded = nbformat.read(str(fixture_state.autograded / "slow" / ASSIGNMENT / "plain.ipynb"), as_version=4)
    [test] = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "count_params_test"]
    text = json.dumps(test.outputs)
    assert "did not return within 10.0 s, this test's limit for one call" in text, text[-2000:]
