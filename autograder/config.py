"""nbgrader's configuration for this repository, and the set-up nbgrader needs in a process.

* ``configure`` fills an nbgrader ``Config`` with the course's layout (``course.State``) and the
  grading pipeline. nbgrader's own commands load it through ``nbgrader_config.py``; the grader uses
  ``nbgrader_config`` and ``api_for``. It changes nothing but the Config it fills.
* ``prepare_nbgrader`` is the process-wide set-up nbgrader needs: its executables on PATH, the
  gradebook schema's head asked once, its SQLAlchemy warnings quiet. It is called explicitly (by
  the CLI's entry point, by ``api_for`` before nbgrader runs in-process, by ``nbgrader_config.py``),
  so importing a module of the grader changes nothing in the process.
* ``execution_steps`` and ``scoring_steps`` split the configured autograde preprocessors at
  nbgrader's ``SaveAutoGrades``: a worker runs the first (worker.py), the coordinator the second
  against the real gradebook (gradebook.py). Both come from the same Config, so a submission is
  scored once, with the configured late penalty.
"""
from __future__ import annotations

import functools
import os
import sys
import warnings
from pathlib import Path

from traitlets.config import Config

from autograder.course import COURSE_ID, State
from autograder.paths import REPO, SOLUTIONS


def prepare_nbgrader() -> None:
    """Set this process up for nbgrader (idempotent).

    * nbgrader runs the ``alembic`` and ``jupyter`` executables of its environment by name: they are
      found even when the grader runs as ``.venv/bin/python -m autograder`` without activation;
    * nbgrader asks the ``alembic`` CLI for the schema head whenever it creates a gradebook (a
      subprocess, ~1 s); the answer cannot change while this process runs, so it is asked once;
    * nbgrader's gradebook code trips SQLAlchemy 2's autoflush warnings on every autograde; they are
      about nbgrader's internals, not about a submission, and only bury the useful output.
    """
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    import nbgrader.api

    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.lru_cache(maxsize=1)(nbgrader.api.get_alembic_version)
    warnings.filterwarnings("ignore", message=r".*not in session.*", module=r"nbgrader\..*")


def configure(c: Config, state: State | None = None, nbgrader_cli: bool = False) -> Config:
    """Fill an nbgrader ``Config`` for this repository's layout (nothing is created on disk).

    ``nbgrader_cli=True`` is for nbgrader's own commands (nbgrader_config.py): there nbgrader's
    submitted folder is where ``nbgrader collect`` writes, ``state.collected``. The grader instead
    autogrades its own staged copies, ``state.staged``, so the collected originals stay untouched.
    """
    state = state or State.from_env()
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.root = str(REPO)
    c.CourseDirectory.source_directory = "solutions" if state.source == SOLUTIONS else str(state.source)
    c.CourseDirectory.release_directory = "lessons"
    c.CourseDirectory.submitted_directory = str(state.collected if nbgrader_cli else state.staged)
    c.CourseDirectory.autograded_directory = str(state.autograded)
    c.CourseDirectory.feedback_directory = str(state.feedback)
    c.CourseDirectory.db_url = state.db_url
    c.Exchange.root = str(state.exchange)              # the state folder's own, or a hub's shared one
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
        RebuildFromRelease,          # first: nbgrader's own steps then see only well-formed metadata
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.RebuildFromRelease.source_directory = str(state.source)
    c.TwoKernelExecute.source_directory = str(state.source)
    if nbgrader_cli:     # nbgrader's own autograde: each test's limit per call, as `build` measured it
        from autograder import calltimes

        c.TwoKernelExecute.call_limits = calltimes.limits(state)[0]
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
    from nbgrader.preprocessors import ClearHiddenTests

    from autograder.feedback import FeedbackWithoutTestCode, GradesWithStatus

    # Late submissions: a fraction of the score per started day late (autograder/late.py).
    c.AssignLatePenalties.plugin_class = "autograder.late.PerDayPenalty"
    c.GenerateFeedback.preprocessors = [GradesWithStatus, FeedbackWithoutTestCode, ClearHiddenTests,
                                        CSSHTMLHeaderPreprocessor]
    # Feedback pages: nbgrader's template with the course's Content-Security-Policy first in <head>
    # (autograder/templates/feedback/); set for feedback's own exporter only, so formgrader's views
    # keep their templates.
    from autograder.feedback import FeedbackExporter, template_dirs

    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.GenerateFeedback.HTMLExporter.template_name = "feedback"
    c.GenerateFeedback.HTMLExporter.template_file = "with_csp.html.j2"
    c.GenerateFeedback.HTMLExporter.extra_template_basedirs = template_dirs()
    c.GenerateFeedback.HTMLExporter.filters = {"mathml": "autograder.feedback.math_to_mathml"}
    return c


def nbgrader_config(state: State, **overrides) -> Config:
    """``configure`` for ``state``, then ``overrides`` given as ``{"Section.name": value}``."""
    config = configure(Config(), state)
    for key, value in overrides.items():
        section, name = key.split(".")
        setattr(config[section], name, value)
    return config


def api(config: Config):
    """An in-process nbgrader API with ``config`` (from ``nbgrader_config``)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    prepare_nbgrader()
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def api_for(state: State, **overrides):
    """An in-process nbgrader API configured for this repository and ``state``, whose folder is
    created with its exchange (nbgrader keeps a SQLite gradebook there and cannot create the folder
    itself; see ``State.create``)."""
    state.create()
    return api(nbgrader_config(state, **overrides))


def _autograde_steps(config: Config) -> tuple[list[type], list[type]]:
    from nbgrader.preprocessors import SaveAutoGrades
    from traitlets.utils.importstring import import_item

    steps = [import_item(s) if isinstance(s, str) else s for s in config.Autograde.autograde_preprocessors]
    cut = next((i for i, step in enumerate(steps) if issubclass(step, SaveAutoGrades)), None)
    if cut is None:
        raise ValueError("the configured Autograde.autograde_preprocessors have no SaveAutoGrades: "
                         "nothing would record a score")
    return steps[:cut], steps[cut:]


def execution_steps(config: Config) -> list[type]:
    """The configured autograde preprocessors before ``SaveAutoGrades``: execute the notebook and
    prepare its outputs (what a worker runs). The first is the Execute step."""
    return _autograde_steps(config)[0]


def scoring_steps(config: Config) -> list[type]:
    """The configured autograde preprocessors from ``SaveAutoGrades`` on: score the executed
    notebook into the gradebook and assign the late penalty (what the coordinator runs)."""
    return _autograde_steps(config)[1]
