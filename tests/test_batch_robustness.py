"""No file stops a batch and no row is lost; points earned before the kernel died stay earned;
manual grades entered in formgrader survive a re-run (fixture course 00_plain, one batch)."""
import csv
import json
import os
from datetime import datetime

import nbformat
import pytest

from autograder import course, grade
from autograder import notebooks as nbtools
from autograder.results import Options, Result
from conftest import FIXTURES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"


def solution_with(extra_cells=(), answers=None):
    nb = nbtools.read(SOURCE)
    for cell in nb.cells:
        gid = nbtools.grade_meta(cell).get("grade_id")
        if answers and gid in answers:
            cell.source = answers[gid]
    nb.cells += [nbformat.from_dict(json.loads(json.dumps(c))) for c in extra_cells]
    return nb


def submit(folder, student, nb, name="plain.ipynb", files=None):
    (folder / student).mkdir(parents=True)
    with open(os.path.join(os.fsencode(folder / student), os.fsencode(name) if isinstance(name, str) else name),
              "w") as fh:
        fh.write(nbformat.writes(nb))
    for file, text in (files or {}).items():
        (folder / student / file).write_text(text)


def rows(out):
    with open(out / "grades.csv", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


@pytest.mark.slow
def test_bad_files_kernel_deaths_and_manual_grades_never_stop_a_batch(fixture_state, tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    bad_meta = [nbformat.v4.new_code_cell("y = 1", metadata={"nbgrader": "a string"}),
                nbformat.v4.new_code_cell("z = 2", metadata={"nbgrader": {"grade_id": ["a", "list"], "grade": True,
                                                                          "locked": True, "points": 5}})]
    submit(subs, "a_bad_stamp", solution_with(), files={"timestamp.txt": "not a date"})
    submit(subs, "b_bad_metadata", solution_with(bad_meta))
    submit(subs, "c_latin1_name", solution_with(), name=b"plain \xe9t\xe9.ipynb")
    submit(subs, "d_forged_stamp", solution_with(), files={"timestamp.txt": "2001-01-01 00:00:00.000000 UTC"})
    submit(subs, "e_exit_after_tests", solution_with([nbformat.v4.new_code_cell("import os\nos._exit(0)")]))
    submit(subs, "f_exit_between_tests",
           solution_with(answers={"count_params_answer": "import os\nos._exit(0)"}))
    opts = Options(fixture_state, cell_timeout=30, notebook_timeout=120, released_at=datetime(2026, 1, 1))
    grade.grade_batch(ASSIGNMENT, subs, out, opts, workers=2, progress=False)
    r = rows(out)
    report = "\n".join(f"{k:22} {v['score']:>4} {v['status']:8} {v['message']}" for k, v in sorted(r.items()))

    for student in ("a_bad_stamp", "b_bad_metadata", "c_latin1_name", "d_forged_stamp"):
        assert (r[student]["score"], r[student]["status"]) == ("3.0", "graded"), report
    assert "timestamp.txt is not a date" in r["a_bad_stamp"]["message"], report
    assert "raded renamed file plain \ufffdt\ufffd.ipynb as plain.ipynb" in r["c_latin1_name"]["message"], report
    assert "implausible submission time 2001-01-01 00:00 UTC" in r["d_forged_stamp"]["message"], report
    assert "before the assignment was released" in r["d_forged_stamp"]["message"], report
    # the kernel died: the test cells that completed before keep their points, the row says it died
    assert (r["e_exit_after_tests"]["score"], r["e_exit_after_tests"]["status"]) == ("3.0", "error"), report
    assert (r["f_exit_between_tests"]["score"], r["f_exit_between_tests"]["status"]) == ("2.0", "error"), report
    assert "kernel died" in r["f_exit_between_tests"]["message"], report
    assert "completed before keep their points" in r["f_exit_between_tests"]["message"], report

    # an instructor overrides an autograded score in formgrader, then a late student arrives and
    # the same command runs again: the late student is graded and the manual score survives
    from nbgrader.api import Gradebook

    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        gb.find_grade("rnn_step_test", "plain", ASSIGNMENT, "a_bad_stamp").manual_score = 0.5
        gb.db.commit()
    submit(subs, "g_late", solution_with())
    grade.grade_batch(ASSIGNMENT, subs, out, opts, workers=2, progress=False)
    r2 = rows(out)
    assert set(r2) == set(r) | {"g_late"}
    assert (r2["g_late"]["score"], r2["g_late"]["status"]) == ("3.0", "graded"), r2["g_late"]
    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        assert gb.find_grade("rnn_step_test", "plain", ASSIGNMENT, "a_bad_stamp").manual_score == 0.5


def test_the_report_flags_submission_times_that_are_not_usable():
    from autograder import report

    results = [Result("a", ASSIGNMENT, 3, 3, "graded", "Graded: all autograded tests pass."),
               Result("b", ASSIGNMENT, 3, 3, "graded", "Timestamp.txt is not a date, so the submission time "
                                                       "is unknown (no late penalty computed)."),
               Result("c", ASSIGNMENT, 3, 3, "graded", "Implausible submission time 2001-01-01 00:00 UTC in "
                                                       "timestamp.txt, before the assignment was released"),
               Result("d", ASSIGNMENT, 2, 3, "error", "The notebook's kernel died")]
    assert [r.student_id for r in report.needs_review(results)] == ["b", "c", "d"]
