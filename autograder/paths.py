"""Where the course lives on disk: the repository, its nbgrader source and its release.

A leaf: it imports only the standard library, so any module (the sandbox, a worker, the
coordinator) can find the repository without importing the grader.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"     # nbgrader's source: the lessons with answers and hidden tests
LESSONS = REPO / "lessons"         # nbgrader's release: what students get
