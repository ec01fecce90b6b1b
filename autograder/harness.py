"""The lesson harness: mechanical proof that every assignment's tests mean something.

For each assignment (``python -m autograder check`` and ``tests/test_lessons.py`` both run this):

1. the solution, graded as a submission, gets full points on every autograded test cell;
2. the blank release, graded as a submission, gets zero on every autograded test cell;
3. a memorising "hard-coded" answer (``replay.py``) fails every test cell with hidden tests that
   call student code;
4. the answer corpus (``corpus.py``): valid alternative answers keep full points, common mistakes
   lose them with a message that names the mistake;
5. notebooks are clean (``notebooks.problems``) and ``lessons/`` equals a fresh build.
"""
from __future__ import annotations

import ast
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import build, corpus, course, grade
from autograder import notebooks as nbtools
from autograder.results import Options

HIDDEN_BEGIN = re.compile(r"^(\s*)### BEGIN HIDDEN TESTS\s*$", re.M)
HIDDEN_END = re.compile(r"^(\s*)### END HIDDEN TESTS\s*$", re.M)


@dataclass
class AssignmentCheck:
    assignment: str
    test_cells: dict = field(default_factory=dict)     # notebook -> {grade_id: points}
    solution: dict = field(default_factory=dict)       # notebook -> {grade_id: score}
    blank: dict = field(default_factory=dict)
    replay: dict = field(default_factory=dict)         # notebook -> {grade_id: outcome}
    hygiene: list = field(default_factory=list)
    corpus: list = field(default_factory=list)         # failures of the answer corpus (corpus.py)
    seconds: dict = field(default_factory=dict)

    def failures(self) -> list[str]:
        out = list(self.hygiene) + [f"answer corpus: {f}" for f in self.corpus]
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


# --- the hard-coded replay ----------------------------------------------------------------

def _defined_functions(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def replay_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The solution notebook with its answers replaced by the memorising cheat of ``replay.py``."""
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    out.cells.append(nbformat.v4.new_code_cell(
        "from autograder.replay import Replay as _Replay\n__replay__ = _Replay(get_ipython())"))
    for cell in nb.cells:
        meta = nbtools.grade_meta(cell)
        new = nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code" else None
        if new is None:
            continue
        new.metadata = cell.metadata
        if meta.get("grade") and not meta.get("solution") and HIDDEN_BEGIN.search(cell.source):
            src = HIDDEN_BEGIN.sub(r"\1__replay__.freeze()", cell.source)
            src = HIDDEN_END.sub(r"\1__replay__.thaw()", src)
            new.source = src + f"\n__replay__.report({meta['grade_id']!r})\n"
        out.cells.append(new)
        if meta.get("solution"):
            names = _defined_functions(cell.source)
            if names:
                out.cells.append(nbformat.v4.new_code_cell(f"__replay__.wrap(globals(), {names!r})"))
    return out


def run_replay(assignment: str, name: str, timeout: int = 300) -> dict[str, str]:
    """{grade_id: 'rejected' | 'exempt' | 'passed'} for each test cell with hidden tests."""
    source = nbtools.read(course.SOLUTIONS / assignment / f"{name}.ipynb")
    nb = replay_notebook(source)
    with tempfile.TemporaryDirectory(prefix="rnncourse-replay-") as tmp:
        shutil.copytree(course.SOLUTIONS / assignment, tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.ipynb"))
        nbtools.execute_plain(nb, Path(tmp), timeout=timeout)
    outcomes = {}
    for cell in nb.cells:
        meta = nbtools.grade_meta(cell)
        if "__replay__.report(" not in cell.source:
            continue
        gid = meta["grade_id"]
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        if any(o.get("output_type") == "error" for o in cell.outputs):
            outcomes[gid] = "rejected"
        else:
            match = re.search(rf"REPLAY-PASSED {re.escape(gid)} frozen_calls=(\d+)", text)
            outcomes[gid] = "exempt" if match and match.group(1) == "0" else "passed"
    return outcomes


# --- the whole check -------------------------------------------------------------------------

def check(assignment: str, workers: int = 2, progress: bool = False) -> AssignmentCheck:
    result = AssignmentCheck(assignment)
    t0 = time.monotonic()
    result.hygiene = hygiene(assignment)
    result.seconds["hygiene"] = time.monotonic() - t0
    names = course.notebooks(assignment)
    with tempfile.TemporaryDirectory(prefix="rnncourse-check-") as tmp:
        tmp = Path(tmp)
        subs = tmp / "submissions"
        for student, folder in (("solution", course.SOLUTIONS), ("blank", course.LESSONS)):
            (subs / student).mkdir(parents=True)
            for name in names:
                shutil.copyfile(folder / assignment / f"{name}.ipynb", subs / student / f"{name}.ipynb")
        state = course.State.from_env(tmp / "state")
        t0 = time.monotonic()
        grade.grade_batch(assignment, subs, tmp / "out", Options(state, cell_timeout=300, notebook_timeout=900),
                          workers=workers, progress=progress)
        result.seconds["grade solution + blank"] = time.monotonic() - t0
        result.solution = cell_scores(state, assignment, "solution")
        result.blank = cell_scores(state, assignment, "blank")
    for name in names:
        result.test_cells[name] = autograded_test_cells(nbtools.read(course.SOLUTIONS / assignment / f"{name}.ipynb"))
        t0 = time.monotonic()
        result.replay[name] = run_replay(assignment, name)
        result.seconds[f"replay {name}"] = time.monotonic() - t0
        t0 = time.monotonic()
        result.corpus += corpus.run(assignment, name)
        result.seconds[f"answer corpus {name}"] = time.monotonic() - t0
    return result
