"""The lesson harness: mechanical proof that every assignment's tests mean something.

For each assignment (``python -m autograder check`` and ``tests/test_lessons.py`` both run this):

1. the solution, graded as a submission, gets full points on every autograded test cell;
2. the blank release, graded as a submission, gets zero on every autograded test cell;
3. a memorising "hard-coded" answer (``replay.py``) fails every test cell with hidden tests that
   call student code;
4. the answer corpus (``corpus.py``): valid alternative answers keep full points, common mistakes
   lose them with a message that names the mistake;
5. notebooks are clean (``notebooks.problems``) and ``lessons/`` equals a fresh build;
6. skipping the demonstration cells tagged ``plan.SKIP_TAG`` changes no score: (1)-(4) run as the
   class is graded, with skipping, and a notebook that has such cells is graded and proved again in
   full; the per-cell scores of the solution and the blank release, the replay's outcomes and each
   corpus answer's passed/failed tests must be identical (``plan.skip_problems`` proves the tags
   safe statically, before any of this runs). So must a hostile student's, whose notebook is the
   blank release with a cheat after every answer cell (``HOSTILE_CELL``: patched NumPy checks,
   every function so far rebound to return an object equal to anything, forged "passed" output);
   she must also score zero on every test cell, both ways.

(1) and (2) grade the notebooks as a class would be graded (``grade.grade_batch``); (3) and (4)
run on the same two-kernel session grading uses, one per notebook (``proof.py``). In full, the
solution's scores come from the proof, which then also runs each hidden test on the model solution
(``grade_solution``): the solution is not executed in full a second time.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import build, corpus, course, grade, plan, proof
from autograder import notebooks as nbtools
from autograder.results import Options

#: what the hostile student of a notebook with skipped demonstrations puts after every answer cell
HOSTILE_CELL = """\
# a cheat: lie to every check this kernel can reach, and claim success
import sys as _sys
class _Equal:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __float__(self): return 1.0
    def __len__(self): return 1
_np = _sys.modules.get("numpy")
if _np is not None:
    _np.allclose = lambda *a, **k: True
    _np.array_equal = lambda *a, **k: True
    _np.testing.assert_allclose = lambda *a, **k: None
for _name, _value in list(globals().items()):
    if callable(_value) and getattr(_value, "__module__", "") == "__main__" and not _name.startswith("_"):
        globals()[_name] = lambda *a, **k: _Equal()
print("All tests passed! 10/10")
"""


def hostile(blank: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The blank release with ``HOSTILE_CELL`` after every answer cell."""
    nb = nbformat.from_dict(blank)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if nbtools.grade_meta(cell).get("solution") and cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(HOSTILE_CELL))
    nb.cells = cells
    return nb


@dataclass
class AssignmentCheck:
    assignment: str
    test_cells: dict = field(default_factory=dict)     # notebook -> {grade_id: points}
    solution: dict = field(default_factory=dict)       # notebook -> {grade_id: score}
    blank: dict = field(default_factory=dict)
    replay: dict = field(default_factory=dict)         # notebook -> {grade_id: outcome}
    hygiene: list = field(default_factory=list)
    corpus: list = field(default_factory=list)         # failures of the answer corpus (corpus.py)
    skipping: list = field(default_factory=list)       # what skipping the tagged cells changed
    seconds: dict = field(default_factory=dict)

    def failures(self) -> list[str]:
        out = list(self.hygiene) + [f"answer corpus: {f}" for f in self.corpus]
        out += [f"skipping demonstrations: {f}" for f in self.skipping]
        for nb, cells in self.test_cells.items():
            for gid, points in cells.items():
                got = self.solution.get(nb, {}).get(gid)
                if got is None or got < points:
                    out.append(f"{nb}/{gid}: solution scores {got} of {points}")
                blank = self.blank.get(nb, {}).get(gid)
                if blank is None or blank > 0:
                    out.append(f"{nb}/{gid}: blank release scores {blank} (must be 0)")
            for gid, outcome in self.replay.get(nb, {}).items():
                if outcome == "passed":
                    out.append(f"{nb}/{gid}: hidden tests accept a hard-coded answer (they only reuse earlier arguments)")
        return out


def _changed(student: str, notebook: str, skipped: dict, full: dict) -> list[str]:
    """The test cells whose score ``student`` got with skipping (``skipped``) differs from in full."""
    return [f"{notebook}/{gid}: the {student} scores {skipped.get(gid)} with skipping, {score} in full"
            for gid, score in full.items() if skipped.get(gid) != score]


def autograded_test_cells(nb: nbformat.NotebookNode) -> dict[str, float]:
    cells = {}
    for cell in nb.cells:
        meta = nbtools.grade_meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells[meta["grade_id"]] = float(meta.get("points", 0))
    return cells


def cell_scores(state: course.State, assignment: str, student: str) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        sub = gb.find_submission(assignment, student)
        for nb in sub.notebooks:
            scores[nb.name] = {g.name: float(g.score) for g in nb.grades if g.cell_type == "code" and g.auto_score is not None}
    return scores


def hygiene(assignment: str) -> list[str]:
    """Clean JSON in solutions/ and lessons/, and lessons/ identical to a fresh build."""
    found = []
    for path in sorted((course.SOLUTIONS / assignment).glob("*.ipynb")):
        found += [f"solutions/{assignment}/{path.name}: {p}" for p in nbtools.problems(path)]
        lesson = course.LESSONS / assignment / path.name
        if not lesson.exists():
            found.append(f"lessons/{assignment}/{path.name} is missing: run `python -m autograder build {assignment}`")
        else:
            found += [f"lessons/{assignment}/{path.name}: {p}" for p in nbtools.problems(lesson)
                      if p != "no graded cells"]
    with tempfile.TemporaryDirectory(prefix="rnncourse-fresh-") as tmp:
        state = course.State.from_env(Path(tmp) / "state")
        build.generate(assignment, state, Path(tmp) / "release")
        for fresh in sorted((Path(tmp) / "release" / assignment).glob("*.ipynb")):
            committed = course.LESSONS / assignment / fresh.name
            if committed.exists() and committed.read_text() != fresh.read_text():
                found.append(f"lessons/{assignment}/{fresh.name} is out of date with solutions/: "
                             f"run `python -m autograder build {assignment}`")
    return found


# --- the whole check -------------------------------------------------------------------------

def check(assignment: str, workers: int = 2, progress: bool = False,
          notebooks: list[str] | None = None) -> AssignmentCheck:
    """The whole check of ``assignment``; with ``notebooks``, of those notebooks only (graded as a
    submission that lacks the others, proved one by one), and without the assignment's hygiene,
    which the caller checks once (the test suite checks lesson 07's five notebooks side by side)."""
    result = AssignmentCheck(assignment)
    if notebooks is None:
        t0 = time.monotonic()
        result.hygiene = hygiene(assignment)
        result.seconds["hygiene"] = time.monotonic() - t0
    names = notebooks or course.notebooks(assignment)
    with tempfile.TemporaryDirectory(prefix="rnncourse-check-") as tmp:
        tmp = Path(tmp)
        subs = tmp / "submissions"
        for student, folder in (("solution", course.SOLUTIONS), ("blank", course.LESSONS)):
            (subs / student).mkdir(parents=True)
            for name in names:
                shutil.copyfile(folder / assignment / f"{name}.ipynb", subs / student / f"{name}.ipynb")
        skips = [n for n in names if any(plan.tagged_skip(c) for c in
                                         nbtools.read(course.SOLUTIONS / assignment / f"{n}.ipynb").cells)]
        students = ["solution", "blank"]
        if skips:                   # a cheat must score the same with skipping and in full
            students.append("hostile")
            (subs / "hostile").mkdir()
            for name in names:
                nbtools.write(hostile(nbtools.read(course.LESSONS / assignment / f"{name}.ipynb")),
                              subs / "hostile" / f"{name}.ipynb")

        def graded(full: bool, who: list[str]) -> dict[str, dict]:
            """{student: cell scores} of the students ``who``, graded as a class is, or in full."""
            suffix = "-full" if full else ""
            batch = tmp / f"class{suffix}"
            for student in who:
                shutil.copytree(subs / student, batch / student)
            state = course.State.from_env(tmp / f"state{suffix}")
            t0 = time.monotonic()
            grade.grade_batch(assignment, batch, tmp / f"out{suffix}",
                              Options(state, cell_timeout=300, notebook_timeout=900, full=full),
                              workers=workers, progress=progress)
            result.seconds["grade the class" + (" in full" if full else "")] = time.monotonic() - t0
            return {student: cell_scores(state, assignment, student) for student in who}

        as_graded = graded(False, students)
        in_full = graded(True, ["blank", "hostile"]) if skips else {}
    result.solution, result.blank = as_graded["solution"], as_graded["blank"]
    if skips:
        hostile_scores = {nb: cells for nb, cells in as_graded["hostile"].items() if nb in skips}
        if not any(hostile_scores.values()):
            result.skipping.append("the hostile student was not graded (no cell scores): the comparison shows nothing")
        result.skipping += [f"{nb}/{gid}: the hostile student scores {score} (a cheat earned points)"
                            for nb, cells in hostile_scores.items() for gid, score in cells.items() if score]
    for student, by_notebook in in_full.items():
        for nb, cells in by_notebook.items():
            result.skipping += _changed(student, nb, as_graded[student].get(nb, {}), cells)
    for name in names:
        result.test_cells[name] = autograded_test_cells(nbtools.read(course.SOLUTIONS / assignment / f"{name}.ipynb"))
        t0 = time.monotonic()
        proved = proof.prove(assignment, name, course.SOLUTIONS)
        result.seconds[f"replay + answer corpus {name}"] = time.monotonic() - t0
        if name in skips:
            t0 = time.monotonic()
            full = proof.prove(assignment, name, course.SOLUTIONS, proof.proof_limits(full=True), grade_solution=True)
            result.seconds[f"replay + answer corpus {name} in full"] = time.monotonic() - t0
            result.skipping += [f"{name}/{d}" for d in proof.differences(proved, full)]
            solution_in_full = {gid: points if full.solution.get(gid) else 0.0
                                for gid, points in result.test_cells[name].items()}
            result.skipping += _changed("solution", name, result.solution.get(name, {}), solution_in_full)
        result.replay[name] = proved.replay
        result.corpus += [f"{name}/{m}" for m in corpus.coverage(proved.slots, proved.answers)]
        result.corpus += [f"{name}: a cell of the solution failed during the proof run: {e}" for e in proved.errors[:3]]
        result.corpus += [f"{name}/{f}" for f in corpus.judge(proved.answers, proved.slots, proved.corpus)]
    return result
