"""Where things live: the repository layout mapped onto nbgrader's course directory.

Instructors see ``solutions/`` (nbgrader's *source*) and ``lessons/`` (its *release*); everything
nbgrader writes while grading (collected and staged submissions, autograded and feedback copies,
the gradebook, the exchange) lives in one git-ignored state folder, ``.grading/`` by default, or
the folder named by ``RNNCOURSE_STATE``. The gradebook is SQLite in that folder unless
``RNNCOURSE_DB_URL`` gives any SQLAlchemy URL (PostgreSQL for several graders).

Only names and paths: importing this module changes nothing and imports nothing of nbgrader. The
nbgrader configuration made from a ``State`` is ``config.py``'s.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from autograder.paths import LESSONS, REPO, SOLUTIONS

__all__ = ["COURSE_ID", "LESSONS", "REPO", "SOLUTIONS", "State", "assignments", "notebooks", "sqlalchemy_url"]

COURSE_ID = "rnn-course"


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` as people write it, made to use the PostgreSQL driver that is installed.

    SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3; the course pins psycopg2-binary
    (requirements.txt), so without this a plain ``--db postgresql://…`` fails with "No module named
    'psycopg'". An explicit driver (``postgresql+psycopg://``) is left alone.
    """
    import importlib.util

    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2") is not None:
                return "postgresql+psycopg2://" + url[len(prefix):]
            return "postgresql://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class State:
    """One grading state folder and its gradebook."""

    root: Path
    db_url: str
    source: Path = SOLUTIONS   # nbgrader source folder (tests point it at fixture courses)

    @classmethod
    def from_env(cls, root: str | os.PathLike | None = None, db_url: str | None = None,
                 source: Path = SOLUTIONS) -> "State":
        root = Path(root or os.environ.get("RNNCOURSE_STATE") or REPO / ".grading").resolve()
        url = db_url or os.environ.get("RNNCOURSE_DB_URL") or f"sqlite:///{root / 'gradebook.db'}"
        if source == SOLUTIONS and os.environ.get("RNNCOURSE_SOURCE"):   # another course's sources (tests, a fork)
            source = Path(os.environ["RNNCOURSE_SOURCE"])
        return cls(root, sqlalchemy_url(url), Path(source).resolve())

    @property
    def collected(self) -> Path:
        """Where ``nbgrader collect`` puts submissions from the exchange (originals: only read)."""
        return self.root / "submitted"

    @property
    def staged(self) -> Path:
        """The grader's own copies of the submissions it grades (nbgrader's submitted_directory
        while autograding). Never the instructor's input folder, so grading cannot alter it."""
        return self.root / "staged"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def exchange(self) -> Path:
        """The exchange nbgrader releases to and collects from: ``RNNCOURSE_EXCHANGE`` when it names a
        shared one (a hub's), else the state folder's own."""
        shared = os.environ.get("RNNCOURSE_EXCHANGE")
        return Path(shared) if shared else self.root / "exchange"

    def create(self) -> "State":
        """Make the folder, and the exchange nbgrader's Assignments tab and formgrader look for
        (unless ``RNNCOURSE_EXCHANGE`` names a shared one, a hub's): on a state folder without it,
        every page load logged "Unwritable directory" and formgrader showed a yellow banner saying
        the exchange "does not exist and could not be created". Called by the commands that write
        state (build, grade, roster), never on import or by nbgrader_config.py."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.exchange.parent == self.root:             # its own, not a shared one: ours to make
            self.exchange.mkdir(exist_ok=True)
        return self


def assignments(source: Path = SOLUTIONS) -> list[str]:
    """Assignment ids (lesson folders in solutions/), in course order."""
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def notebooks(assignment: str, source: Path = SOLUTIONS) -> list[str]:
    """Notebook names (without .ipynb) of one assignment, sorted."""
    return sorted(p.stem for p in (source / assignment).glob("*.ipynb"))
