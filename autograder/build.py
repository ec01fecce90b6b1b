"""Build step: generate the student notebooks (nbgrader's release) from solutions/.

``lessons/`` is never edited by hand: ``python -m autograder build`` regenerates it with
``nbgrader generate_assignment`` and writes each notebook in the normal form of ``notebooks.py``.
Building also records the assignment, its notebooks and its source cells in a gradebook, which is
what autograding restores read-only and test cells from.
"""
from __future__ import annotations

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
            raise BuildError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
        built = Path(tmp) / assignment
        target = Path(release_dir) / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(built, target)
    written = sorted(target.glob("*.ipynb"))
    for path in written:
        notebooks.write(notebooks.normalise(notebooks.read(path)), path)
    return written


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
