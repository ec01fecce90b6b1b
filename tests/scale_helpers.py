"""A tiny pure-Python course and class for the scaling tests (no TensorFlow: seconds per submission).

The scaling tests check *where* grading runs and *how* grades are recorded (local processes, Dask,
PostgreSQL); the TensorFlow path is the same code and is covered by test_grading.py and the
benchmark.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

from autograder import build, course
from autograder import notebooks as nbtools

ASSIGNMENT = "00_add"


def _cell(kind, gid, source, **meta):
    nb_meta = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False}
    nb_meta.update(meta)
    cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    cell.id = gid
    cell.metadata["nbgrader"] = nb_meta
    return cell


def make_course(root: Path) -> Path:
    """Write ``root/00_add/add.ipynb`` (an nbgrader source notebook worth 3 points); return root."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [
        _cell("markdown", "intro", "# Add two numbers", locked=True),
        _cell("code", "add_answer", "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
              solution=True),
        _cell("code", "add_small", "assert add(1, 2) == 3\n### BEGIN HIDDEN TESTS\nassert add(0, 0) == 0\n### END HIDDEN TESTS",
              grade=True, locked=True, points=1),
        _cell("code", "add_large", "assert add(10, 20) == 30\n### BEGIN HIDDEN TESTS\nassert add(-5, 7) == 2\n### END HIDDEN TESTS",
              grade=True, locked=True, points=2),
    ]
    (root / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(root / ASSIGNMENT / "add.ipynb"))
    return root


ANSWERS = {
    "s01_correct": "def add(a, b):\n    return a + b",
    "s02_blank": None,                                   # the released stub
    "s03_half": "def add(a, b):\n    return a + b if abs(a) < 5 and abs(b) < 5 else 0",
    "s04_syntax": "def add(a, b) return a + b",
    "s05_hardcoded": "def add(a, b):\n    return {(1, 2): 3, (10, 20): 30}[(a, b)]",
}


def make_class(state: course.State, tmp: Path, students=ANSWERS) -> Path:
    """One folder per student, plus one file that is not a notebook."""
    release = tmp / "release"
    build.generate(ASSIGNMENT, course.State(tmp / "gen", f"sqlite:///{tmp / 'gen.db'}", state.source), release)
    blank = nbtools.read(release / ASSIGNMENT / "add.ipynb")
    subs = tmp / "subs"
    for student, answer in students.items():
        nb = nbformat.from_dict(json.loads(json.dumps(blank)))
        if answer is not None:
            for cell in nb.cells:
                if nbtools.grade_meta(cell).get("solution"):
                    cell.source = answer
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, str(subs / student / "add.ipynb"))
    (subs / "s99_notjson").mkdir()
    (subs / "s99_notjson" / "add.ipynb").write_text("not a notebook")
    return subs


EXPECTED = {"s01_correct": 3.0, "s02_blank": 0.0, "s03_half": 1.0, "s04_syntax": 0.0,
            "s05_hardcoded": 0.0, "s99_notjson": 0.0}


def gradebook_scores(state: course.State) -> dict[str, tuple[float, int]]:
    """Score and number of submissions of every student in the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        out = {}
        for student in gb.students:
            subs = [s for s in student.submissions if s.assignment.name == ASSIGNMENT]
            out[student.id] = (float(subs[0].code_score) if subs else None, len(subs))
        return out
