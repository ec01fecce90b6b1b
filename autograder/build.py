"""Build step: generate the student notebooks (nbgrader's release) from solutions/.

``lessons/`` is never edited by hand: ``python -m autograder build`` regenerates it with
``nbgrader generate_assignment`` and writes each notebook in the normal form of ``notebooks.py``.
Building also records the assignment, its notebooks and its source cells in a gradebook, which is
what autograding restores read-only and test cells from.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from autograder import config, course, notebooks


class BuildError(RuntimeError):
    pass


def generate(assignment: str, state: course.State, release_dir: Path) -> list[Path]:
    """Generate ``assignment`` into ``release_dir/<assignment>`` and record it in ``state``'s gradebook."""
    with tempfile.TemporaryDirectory(prefix="rnncourse-release-") as tmp:
        api = config.api_for(state, **{"CourseDirectory.release_directory": tmp})
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result.get("success"):
            raise BuildError(refusal(assignment, state, result.get("log") or "", result.get("error") or ""))
        built = Path(tmp) / assignment
        target = Path(release_dir) / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(built, target)
    written = sorted(target.glob("*.ipynb"))
    for path in written:
        notebooks.write(notebooks.normalise(notebooks.read(path)), path)
    return written


# an exception line of a traceback nbgrader logged: ``RuntimeError: Cannot add or remove cells ...``
_EXCEPTION = re.compile(r"^\s*(?:[\w.]+\.)?(\w*(?:Error|Exception)): (.+)$")
# what nbgrader adds around every failure, which says nothing of this one
_GENERIC = ("There was an error processing", "Please see the", "NbGraderException")
#: what to do, by the words of nbgrader's reason
ADVICE = {
    "because there are submissions": (
        "nbgrader does not add, remove or re-tag graded cells (or notebooks) of an assignment once the "
        "gradebook holds submissions of it. Change the cells' content but keep their grade_ids, or put "
        "the old cells back; to grade the changed assignment from scratch, remove its submissions from "
        "the gradebook first (`nbgrader db assignment remove {assignment} --force`, which deletes their "
        "grades) or build into a fresh state folder (--state, RNNCOURSE_STATE)."),
    "schema": "Run `nbgrader update solutions/` on a backed-up copy of the course, then build again.",
    "nbgrader database": "Back up the gradebook ({db}), run `nbgrader db upgrade`, then build again.",
}


def reason(log: str, error: str = "") -> str:
    """nbgrader's own reason for a failure, from its log and traceback: the exception lines that
    are not its generic wrapper, else its last error line."""
    lines = (log + "\n" + error).splitlines()
    found = [m.group(1) + ": " + m.group(2).strip() for m in map(_EXCEPTION.match, lines)
             if m and not any(g in m.group(0) for g in _GENERIC)]
    if not found:
        found = [line.split("] ", 1)[-1].strip() for line in lines
                 if "ERROR" in line and not any(g in line for g in _GENERIC) and "] " in line]
    found = list(dict.fromkeys(found))
    return "\n".join(found[-3:]) if found else "nbgrader gave no reason (run `nbgrader generate_assignment` to see its log)"


def refusal(assignment: str, state: course.State, log: str, error: str = "") -> str:
    """The message of a build nbgrader refused: its reason, and what to do about it."""
    why = reason(log, error)
    advice = next((text for words, text in ADVICE.items() if words in why), None)
    message = f"nbgrader could not generate {assignment}: {why}"
    if advice:
        message += "\n" + advice.format(assignment=assignment, db=state.db_url.split("@")[-1])
    return message


def build(assignments: list[str] | None = None, state: course.State | None = None) -> list[Path]:
    """Regenerate lessons/ for the given (default: all) assignments."""
    state = state or course.State.from_env()
    out = []
    for assignment in assignments or course.assignments():
        out += generate(assignment, state, course.LESSONS)
    return out


def format_sources(paths: list[Path] | None = None) -> list[Path]:
    """Normalise solutions/ notebooks in place; returns those that changed."""
    changed = []
    for path in paths or sorted(course.SOLUTIONS.glob("*/*.ipynb")):
        if notebooks.write(notebooks.normalise(notebooks.read(path)), path):
            changed.append(path)
    return changed
