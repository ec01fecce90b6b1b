"""Grading a batch end to end on the fixture course: statuses, timeouts, restored tests, noise."""
import json

import nbformat
import pytest

from autograder import build, grade, grades_csv, report
from autograder import notebooks as nbtools
from autograder.results import Options
from conftest import FIXTURES

ASSIGNMENT = "00_noise"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "noise.ipynb"


@pytest.fixture
def release(fixture_state, tmp_path):
    build.generate(ASSIGNMENT, fixture_state, tmp_path / "release")
    return tmp_path / "release" / ASSIGNMENT / "noise.ipynb"


def submit(folder, student, nb_or_bytes):
    (folder / student).mkdir(parents=True)
    path = folder / student / "noise.ipynb"
    if isinstance(nb_or_bytes, bytes):
        path.write_bytes(nb_or_bytes)
    else:
        nbformat.write(nb_or_bytes, str(path))
    return path


def with_answer(nb, source):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if nbtools.grade_meta(cell).get("solution") and cell.cell_type == "code":
            cell.source = source
    return nb


@pytest.mark.slow
def test_a_class_with_good_bad_and_hostile_submissions(fixture_state, release, tmp_path, read_grades, checksums):
    subs, out = tmp_path / "subs", tmp_path / "out"
    solution = nbtools.read(SOURCE)
    blank = nbtools.read(release)
    submit(subs, "correct", solution)
    submit(subs, "blank", blank)
    tampered = with_answer(blank, blank.cells[2].source)
    for cell in tampered.cells:
        if nbtools.grade_meta(cell).get("grade"):
            cell.source = "assert True  # a test I like better"
    submit(subs, "tampered", tampered)
    submit(subs, "looping", with_answer(blank, "def make_layer(units):\n    while True:\n        pass"))
    submit(subs, "notjson", b"this is not a notebook")
    (subs / "correct" / "<img src=x onerror=alert(1)>.ipynb").write_bytes(b"{}")   # hostile extra file name
    originals = checksums(subs)

    opts = Options(fixture_state, cell_timeout=45, notebook_timeout=400)  # headroom for a loaded CI machine
    grade.grade_batch(ASSIGNMENT, subs, out, opts, workers=2, progress=False)
    r = read_grades(out)

    assert (r["correct"]["score"], r["correct"]["max_score"], r["correct"]["status"]) == ("2.0", "2.0", "graded"), r
    assert (r["blank"]["score"], r["blank"]["status"]) == ("0.0", "graded")
    assert r["tampered"]["score"] == "0.0" and "restored" in r["tampered"]["message"]
    assert r["looping"]["status"] == "timeout" and r["looping"]["score"] == "0.0"
    assert r["notjson"]["status"] == "invalid" and "not a Jupyter notebook" in r["notjson"]["message"]
    # feedback exists for graded students and never shows hidden tests
    feedback = (out / "feedback" / "correct" / "noise.html").read_text()
    assert "make_layer(5)" not in feedback and "BEGIN HIDDEN TESTS" not in feedback
    # ... and runs no script and loads nothing: a strict Content-Security-Policy comes first in <head>
    from test_feedback_unit import has_policy_first
    pages = list((out / "feedback").rglob("*.html"))
    assert pages
    for page in pages:
        assert has_policy_first(page.read_text()), page
    # the originals are byte-for-byte untouched
    assert checksums(subs) == originals
    # formgrader's Manage Assignments counts the submissions its Manage Submissions lists (nbgrader
    # counts its submitted folder, where the grader files what it graded from a folder or a zip)
    from traitlets.config import Config

    from autograder import config
    api = config.api(config.configure(Config(), fixture_state, nbgrader_cli=True))
    listed = sorted(s["student"] for s in api.get_submissions(ASSIGNMENT))
    assert api.get_assignment(ASSIGNMENT)["num_submissions"] == len(listed), listed
    assert {"correct", "blank", "tampered", "looping"} <= set(listed), listed

    # the class report: item analysis from the gradebook, flags, an LMS file, nothing executable
    paths = report.class_report(fixture_state, ASSIGNMENT, grades_csv.read(out / "grades.csv"), tmp_path / "report",
                                id_column="SIS User ID", score_column="Lesson 00")
    items = report.item_analysis(fixture_state, ASSIGNMENT)
    assert [(i["check"], i["passed"], i["n"]) for i in items] == [("make_layer_test", 1, 4)]
    page = paths["html"].read_text()
    assert "Content-Security-Policy" in page and "<img src=x" not in page and "&lt;img src=x" in page
    assert all(name in page for name in ("looping", "timeout", "notjson", "invalid", "make_layer_test"))
    assert paths["lms"].read_text().splitlines()[:2] == ["SIS User ID,Lesson 00", "blank,0"]


@pytest.mark.slow
def test_library_warnings_in_a_test_cell_do_not_cost_points(fixture_state, tmp_path, read_grades):
    """nbgrader zeroes a test cell with stderr; TF/Keras warnings there must not cost points."""
    from nbclient import NotebookClient

    plain = nbtools.read(SOURCE)
    NotebookClient(plain, allow_errors=True, kernel_name="python3").execute()
    test_cell = next(c for c in plain.cells if nbtools.grade_meta(c).get("grade"))
    stderr = [o for o in test_cell.outputs if o.get("name") == "stderr"]
    assert stderr and "UserWarning" in stderr[0]["text"], "the fixture no longer triggers a Keras warning"

    subs, out = tmp_path / "subs", tmp_path / "out"
    submit(subs, "correct", nbtools.read(SOURCE))
    grade.grade_batch(ASSIGNMENT, subs, out, Options(fixture_state), progress=False)
    assert read_grades(out)["correct"]["score"] == "2.0"
