"""A check helper or reference defined in a read-only notebook cell cannot be redefined by an answer.

Test cells and the read-only cells they need run in the checker kernel (autograder/twokernel.py),
which never runs an answer cell: the reference there is the release's, whatever the answer defines.
"""
import csv
import shutil

import pytest

from autograder import grade
from autograder.results import Options
from conftest import FIXTURES

ASSIGNMENT = "00_helpers"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "helpers.ipynb"

CHEAT = '''def square(x):
    return 0.0


def reference_square(x):          # the test's reference, redefined to agree with the wrong answer
    return 0.0
'''


@pytest.mark.slow
def test_an_answer_cell_that_redefines_the_tests_reference_scores_zero(fixture_state, tmp_path):
    import nbformat

    subs = tmp_path / "subs"
    (subs / "honest").mkdir(parents=True)
    shutil.copyfile(SOURCE, subs / "honest" / "helpers.ipynb")
    nb = nbformat.read(str(SOURCE), as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "square_answer")
    answer.source = CHEAT
    (subs / "cheat").mkdir()
    nbformat.write(nb, str(subs / "cheat" / "helpers.ipynb"))

    grade.grade_batch(ASSIGNMENT, subs, tmp_path / "out", Options(fixture_state, cell_timeout=30),
                      workers=1, progress=False)
    with open(tmp_path / "out" / "grades.csv") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert (rows["honest"]["score"], rows["honest"]["max_score"]) == ("1.0", "1.0"), rows["honest"]
    assert rows["cheat"]["score"] == "0.0", rows["cheat"]
