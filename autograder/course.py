"""Where things live: the repository layout mapped onto nbgrader's course directory.

Instructors see ``solutions/`` (nbgrader's *source*) and ``lessons/`` (its *release*); everything
nbgrader writes while grading (submitted, autograded and feedback copies, the gradebook, the
exchange) lives in one git-ignored state folder, ``.grading/`` by default, or the folder named by
``RNNCOURSE_STATE``. The gradebook is SQLite in that folder unless ``RNNCOURSE_DB_URL`` gives any
SQLAlchemy URL (PostgreSQL for several graders).
"""
from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent

# nbgrader runs the `alembic` and `jupyter` executables of its environment by name; make sure they
# are found even when this package runs as `.venv/bin/python -m autograder` without activation.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


def _cache_alembic_head() -> None:
    """nbgrader asks the `alembic` CLI for the schema head on *every* gradebook open (a subprocess,
    ~1 s each); the answer cannot change while this process runs, so ask once."""
    import functools

    import nbgrader.api

    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.lru_cache(maxsize=1)(nbgrader.api.get_alembic_version)


_cache_alembic_head()
# nbgrader's gradebook code trips SQLAlchemy 2's autoflush warnings on every autograde; they are
# about nbgrader's internals, not about the submission, and only bury the useful output.
warnings.filterwarnings("ignore", message=r".*not in session.*", module=r"nbgrader\..*")

SOLUTIONS = REPO / "solutions"
LESSONS = REPO / "lessons"
COURSE_ID = "rnn-course"


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
        from autograder.gradebook import sqlalchemy_url   # postgresql:// -> the installed driver

        url = sqlalchemy_url(url)
        return cls(root, url, Path(source).resolve())

    @property
    def collected(self) -> Path:
        """Where ``nbgrader collect`` puts submissions from the exchange (originals: only read)."""
        return self.root / "submitted"

    @property
    def submitted(self) -> Path:
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
        return self.root / "exchange"


def configure(c: Config, state: State | None = None, nbgrader_cli: bool = False) -> Config:
    """Fill an nbgrader ``Config`` for this repository's layout.

    ``nbgrader_cli=True`` is for nbgrader's own commands (nbgrader_config.py): there nbgrader's
    submitted folder is where ``nbgrader collect`` writes, ``state.collected``. The grader instead
    autogrades its own staged copies, ``state.submitted``, so the collected originals stay untouched.
    """
    state = state or State.from_env()
    state.root.mkdir(parents=True, exist_ok=True)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.root = str(REPO)
    c.CourseDirectory.source_directory = "solutions" if state.source == SOLUTIONS else str(state.source)
    c.CourseDirectory.release_directory = "lessons"
    c.CourseDirectory.submitted_directory = str(state.collected if nbgrader_cli else state.submitted)
    c.CourseDirectory.autograded_directory = str(state.autograded)
    c.CourseDirectory.feedback_directory = str(state.feedback)
    c.CourseDirectory.db_url = state.db_url
    c.Exchange.root = os.environ.get("RNNCOURSE_EXCHANGE") or str(state.exchange)   # a hub's shared exchange
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]
    # Released notebooks keep no solution text, no hidden tests, and a clear stub.
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    # Grading: the submission rebuilt on the release, then two kernels: the student's runs her cells,
    # the checker runs the tests (see twokernel.py); library noise stripped from what she sees.
    from autograder.noise import StripLibraryNoise
    from autograder.safety import RebuildFromRelease
    from autograder.twokernel import TwoKernelExecute
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

    c.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        RebuildFromRelease,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.RebuildFromRelease.source_directory = str(state.source)
    c.TwoKernelExecute.source_directory = str(state.source)
    c.Autograde.autograde_preprocessors = [
        TwoKernelExecute,
        StripLibraryNoise,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # Feedback never shows hidden tests: not in the source, not in the lines a traceback quotes.
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    from autograder.feedback import FeedbackWithoutTestCode

    # Late submissions: a fraction of the score per started day late (autograder/late.py).
    c.AssignLatePenalties.plugin_class = "autograder.late.PerDayPenalty"
    c.GenerateFeedback.preprocessors = [GetGrades, FeedbackWithoutTestCode, ClearHiddenTests,
                                        CSSHTMLHeaderPreprocessor]
    return c


def assignments(source: Path = SOLUTIONS) -> list[str]:
    """Assignment ids (lesson folders in solutions/), in course order."""
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def notebooks(assignment: str, source: Path = SOLUTIONS) -> list[str]:
    """Notebook names (without .ipynb) of one assignment, sorted."""
    return sorted(p.stem for p in (source / assignment).glob("*.ipynb"))
