"""The end-to-end demo (``make demo``): build the lessons, grade a simulated class, report.

The class is made from lesson 01's own notebooks, so it is always in step with the lesson:

- ``ada``    answers every exercise correctly           → full marks
- ``blake``  submits the blank release                  → 0
- ``casey``  solves only the first exercise             → partial marks
- ``devon``  rewrites every test cell to ``assert True`` → tests restored, still 0
- ``emery``  leaves an infinite loop in an answer        → the cell times out, status ``timeout``
- ``finn``   uploads a file that is not a notebook       → status ``invalid``, batch goes on
"""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from autograder import build, calltimes, course
from autograder import notebooks as nbtools

ASSIGNMENT = "01_sequences"
CELL_TIMEOUT = 20


def _answer_ids(nb) -> list[str]:
    return [nbtools.grade_meta(c)["grade_id"] for c in nb.cells
            if c.cell_type == "code" and nbtools.grade_meta(c).get("solution")]


def _replace(nb, grade_id: str, source: str):
    for cell in nb.cells:
        if nbtools.grade_meta(cell).get("grade_id") == grade_id:
            cell.source = source
    return nb


def simulated_class(assignment: str, folder: Path) -> dict[str, str]:
    """Write the simulated submissions; returns {student: what they did}."""
    story = {}
    for name in course.notebooks(assignment):
        solution = nbtools.read(course.SOLUTIONS / assignment / f"{name}.ipynb")
        blank = nbtools.read(course.LESSONS / assignment / f"{name}.ipynb")
        answers = _answer_ids(blank)
        solved = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
                  if nbtools.grade_meta(c).get("solution")}

        correct = copy.deepcopy(blank)          # the release, with every answer (code and written) filled in
        for gid, source in solved.items():
            _replace(correct, gid, source)

        partial = copy.deepcopy(blank)
        _replace(partial, answers[0], solved[answers[0]])
        tampered = copy.deepcopy(blank)
        for cell in tampered.cells:
            if nbtools.grade_meta(cell).get("grade") and cell.cell_type == "code":
                cell.source = "assert True  # my own, friendlier test"
        looping = copy.deepcopy(blank)
        for gid in answers:
            _replace(looping, gid, solved[gid])
        _replace(looping, answers[0], "while True:  # forgot to stop\n    pass\n" + solved[answers[0]])

        for student, nb in (("ada", correct), ("blake", blank), ("casey", partial),
                            ("devon", tampered), ("emery", looping)):
            (folder / student).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(folder / student / f"{name}.ipynb"))
        (folder / "finn").mkdir(parents=True, exist_ok=True)
        (folder / "finn" / f"{name}.ipynb").write_text("My notebook crashed, so here are my answers: 42")
    story.update(ada="answers everything correctly", blake="submits the blank lesson", casey="solves the first exercise only",
                 devon="rewrites every test to `assert True`", emery="leaves an infinite loop in an answer",
                 finn="uploads a text file instead of the notebook")
    return story


def main(out: Path, workers: int = 2) -> int:
    started = time.monotonic()
    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    assignment = ASSIGNMENT if ASSIGNMENT in course.assignments() else course.assignments()[0]

    print("1. Building lessons/ from solutions/ with nbgrader generate_assignment", flush=True)
    state = course.State.from_env(out / "state")
    for path in build.build(state=state):
        print(f"   built {path.relative_to(course.REPO)}")
    print(f"   measuring the model solution's calls in {assignment} (each test's time limit per call)", flush=True)
    for measured in calltimes.measure(assignment, state):
        print(f"   {calltimes.summary(assignment, measured)}")

    print(f"\n2. Simulating a class for {assignment}", flush=True)
    story = simulated_class(assignment, out / "submissions")
    for student, what in story.items():
        print(f"   {student:<6} {what}")

    cmd = [sys.executable, "-m", "autograder", "grade", assignment, str(out / "submissions"),
           "--out", str(out / "graded"), "--state", str(state.root), "--workers", str(workers),
           "--cell-timeout", str(CELL_TIMEOUT)]
    print(f"\n3. Grading: python -m autograder grade {assignment} {out / 'submissions'} --out {out / 'graded'} "
          f"--workers {workers}", flush=True)
    code = subprocess.call(cmd)
    if code != 0:
        return code

    from autograder import grades_csv, report

    results = grades_csv.read(out / "graded" / "grades.csv")
    paths = report.class_report(state, assignment, results, out / "report")
    plot = paths["plot"]
    print("\n4. Outputs")
    print(f"   grades:        {out / 'graded' / 'grades.csv'}")
    print(f"   feedback:      {out / 'graded' / 'feedback'}/<student>/*.html (hidden tests removed)")
    print(f"   distribution:  {plot}")
    print(f"   class report:  {paths['html']} (item analysis, flags, timings); LMS import: {paths['lms']}")
    hardest = report.item_analysis(state, assignment)[:3]
    for item in hardest:
        print(f"   hardest check: {item['check']:<32} passed by {item['passed']}/{item['n']}")
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s.")
    return 0

