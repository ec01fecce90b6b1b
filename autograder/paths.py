"""Where the course lives on disk: the repository, its nbgrader source and its release.

A leaf: it imports only the standard library, so any module (the sandbox, a worker, the
coordinator) can find the repository without importing the grader.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"     # nbgrader's source: the lessons with answers and hidden tests
LESSONS = REPO / "lessons"         # nbgrader's release: what students get
TEMPLATES = REPO / "autograder" / "templates"   # the HTML pages the grader writes (Jinja2)

#: modules of ``rnncourse`` that only hidden tests import (references): never in the student kit,
#: never visible to the student's kernel while grading
GRADING_ONLY = ("grading.py",)


def grading_only_files() -> list[Path]:
    """The grading-only modules of ``rnncourse`` and any bytecode compiled from them."""
    package = REPO / "rnncourse"
    found = [package / name for name in GRADING_ONLY]
    found += [pyc for name in GRADING_ONLY for pyc in sorted((package / "__pycache__").glob(f"{Path(name).stem}.*.pyc"))]
    return [f for f in found if f.is_file()]
