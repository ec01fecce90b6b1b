"""Grading a batch with one gradebook writer: workers execute and return, the coordinator records.

Several processes (or hosts) writing one nbgrader gradebook is where grades get lost: SQLite
answers "database is locked" when two writers collide (nbgrader's FAQ says it is not safe for
several graders), and a worker on another host cannot even see a SQLite file. So workers never
open the real gradebook:

1. The coordinator records the assignment in a small *template* gradebook (SQLite, built once per
   batch) and sends each worker a self-contained task: the template's bytes, the submission's
   files, the options.
2. A worker (local process or Dask worker) grades the submission with the unchanged pipeline
   (``grade.autograde_one``: sandboxed execute, noise stripping, nbgrader scoring, feedback) in a
   private temporary state folder with its own copy of the template gradebook, and returns the
   result, the autograded notebooks and the feedback files as bytes. Nothing is shared.
3. The coordinator, the only writer, copies those files into the state folder and records the
   grades in the real gradebook (SQLite or any SQLAlchemy URL, e.g. PostgreSQL) with nbgrader's own
   ``SaveAutoGrades`` and ``AssignLatePenalties`` run over the autograded notebooks, so the scores
   in the gradebook are computed exactly as in serial ``nbgrader autograde``. It then reads the
   score back and refuses to go on if it differs from the worker's.

Workers therefore need the repository, its virtual environment and bubblewrap, and nothing else:
no shared folder, no database credentials.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder import build, course, grade, scheduler

# One grading at a time per process, even if a Dask worker runs several threads: nbgrader sets
# process-wide environment variables while it executes.
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class Task:
    assignment: str
    student: str
    notes: list[str]
    files: dict[str, bytes]          # the staged submission folder: relative path -> bytes
    template: bytes                  # SQLite gradebook that knows the assignment
    source: str                      # nbgrader source folder (relative to the repository if inside it)
    opts: grade.Options              # the batch's options; the worker swaps in its private state


@dataclass
class Outcome:
    result: grade.Result
    autograded: dict[str, bytes] = field(default_factory=dict)
    feedback: dict[str, bytes] = field(default_factory=dict)
    worker: str = ""
    peak_kernel_rss_kib: int = 0     # its descendants (the sandboxed notebook kernel), summed
    peak_total_rss_kib: int = 0      # both together: what one grading worker costs at its peak


class GradebookMismatch(RuntimeError):
    """The gradebook did not end up with the score the worker computed."""


#: status of a result whose grades could not be recorded (the batch reports it as ``error`` and
#: does not journal it, so the next run grades it again)
NOT_RECORDED = "not_recorded"


def auto_code_score(submission) -> float:
    """Autograded points of a gradebook submission, without the manual scores an instructor entered
    in formgrader over autograded cells (those replace ``code_score`` but must survive re-runs)."""
    return sum(float(g.auto_score or 0) for nb in submission.notebooks for g in nb.grades
               if g.cell_type == "code")


# --- worker side -----------------------------------------------------------------------------

def _read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _write_tree(files: dict[str, bytes], root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for rel, data in files.items():
        path = (root / rel).resolve()
        if root.resolve() not in path.parents:
            raise ValueError(f"refusing to write {rel!r} outside {root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _source_path(source: str) -> Path:
    path = Path(source)
    return path if path.is_absolute() else course.REPO / path


def execute(task: Task) -> Outcome:
    """Grade one submission in a private state folder (runs on a worker; touches nothing shared).
    Whatever goes wrong becomes this submission's ``error`` status, never an exception."""
    try:
        return _execute(task)
    except Exception as exc:
        result = grade.Result(task.student, task.assignment, status="error",
                              message=f"Grading stopped: {grade.failure(exc)}.")
        return Outcome(result, worker=f"{socket.gethostname()}:{os.getpid()}")


def _execute(task: Task) -> Outcome:
    with _ONE_AT_A_TIME, PeakRSS() as peak, tempfile.TemporaryDirectory(prefix="rnncourse-grade-") as tmp:
        root = Path(tmp)
        (root / "gradebook.db").write_bytes(task.template)
        state = course.State(root, f"sqlite:///{root / 'gradebook.db'}", _source_path(task.source))
        _write_tree(task.files, state.staged / task.student / task.assignment)
        opts = dataclasses.replace(task.opts, state=state)
        result = grade.autograde_one(task.assignment, task.student, list(task.notes), opts)
        outcome = Outcome(
            result,
            autograded=_read_tree(state.autograded / task.student / task.assignment),
            feedback=_read_tree(state.feedback / task.student / task.assignment),
        )
    outcome.worker = f"{socket.gethostname()}:{os.getpid()}"
    outcome.peak_kernel_rss_kib = peak.children_kib
    outcome.peak_total_rss_kib = peak.total_kib
    return outcome


class PeakRSS:
    """Sample this process and all its descendants (the sandboxed kernel) while grading; the peak of
    their summed resident memory is what one grading worker costs."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.total_kib, self.children_kib = interval, 0, 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            children = 0
            for child in me.children(recursive=True):
                try:
                    children += child.memory_info().rss
                except psutil.Error:
                    pass
            self.children_kib = max(self.children_kib, children >> 10)
            self.total_kib = max(self.total_kib, (me.memory_info().rss + children) >> 10)

    def __enter__(self) -> "PeakRSS":
        self._thread = threading.Thread(target=self._sample, daemon=True, name="peak-rss")
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# --- coordinator side ------------------------------------------------------------------------

def template(assignment: str, state: course.State) -> bytes:
    """A fresh SQLite gradebook with ``assignment`` recorded (what workers grade against)."""
    with tempfile.TemporaryDirectory(prefix="rnncourse-template-") as tmp:
        tstate = course.State(Path(tmp), f"sqlite:///{Path(tmp) / 'gradebook.db'}", state.source)
        build.generate(assignment, tstate, Path(tmp) / "release")
        return (Path(tmp) / "gradebook.db").read_bytes()


def record(outcome: Outcome, state: course.State) -> None:
    """Write one worker's outcome into the state folder and the real gradebook (single writer)."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
    from nbgrader.utils import parse_utc

    r = outcome.result
    _write_tree(outcome.autograded, state.autograded / r.student_id / r.assignment)
    if outcome.feedback:
        _write_tree(outcome.feedback, state.feedback / r.student_id / r.assignment)
    notebooks = {Path(rel).stem: data for rel, data in outcome.autograded.items()
                 if rel.endswith(".ipynb") and "/" not in rel}
    stamp = (state.staged / r.student_id / r.assignment / "timestamp.txt")
    try:   # the staged stamp was checked when staged (grade.submission_time); never trust it blindly
        when = parse_utc(stamp.read_text().strip()) if stamp.is_file() else None
    except Exception:
        when = None
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_student(r.student_id)
        if when is not None:
            gb.update_or_create_submission(r.assignment, r.student_id, timestamp=when)
        else:
            gb.update_or_create_submission(r.assignment, r.student_id)
        for nb in gb.find_assignment(r.assignment).notebooks:
            if nb.name not in notebooks:       # as nbgrader does for a missing notebook
                for g in gb.find_submission_notebook(nb.name, r.assignment, r.student_id).grades:
                    g.auto_score, g.needs_manual_grade = 0, False
        gb.db.commit()
    if not r.notebooks or r.status == "tampered":   # nothing scored, or scored 0 by the verdict
        return
    import nbformat

    for name, data in notebooks.items():
        nb = nbformat.reads(data.decode(), as_version=nbformat.NO_CONVERT)
        resources = {"nbgrader": {"notebook": name, "assignment": r.assignment,
                                  "student": r.student_id, "db_url": state.db_url}}
        for pp in (SaveAutoGrades(), AssignLatePenalties()):
            nb, resources = pp.preprocess(nb, resources)
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        saved = auto_code_score(gb.find_submission(r.assignment, r.student_id))
    if abs(saved - r.score) > 1e-9:
        raise GradebookMismatch(f"{r.student_id}: the worker scored {r.score}, the gradebook holds {saved}")


@dataclass
class RunStats:
    """What the last ``grade_all`` saw, per worker (the benchmark reads it)."""
    peak_kernel_rss_kib: dict[str, int] = field(default_factory=dict)
    peak_total_rss_kib: dict[str, int] = field(default_factory=dict)

    def add(self, o: Outcome) -> None:
        for name in ("peak_kernel_rss_kib", "peak_total_rss_kib"):
            seen = getattr(self, name)
            seen[o.worker] = max(getattr(o, name), seen.get(o.worker, 0))


last_run = RunStats()


def _tasks(assignment: str, students: Iterable[tuple[str, list[str]]], opts: grade.Options,
           tmpl: bytes) -> Iterator[Task]:
    source = opts.state.source
    try:
        source_arg = str(source.relative_to(course.REPO))
    except ValueError:
        source_arg = str(source)
    for student, notes in students:
        files = _read_tree(opts.state.staged / student / assignment)   # read only when needed
        yield Task(assignment, student, list(notes), files, tmpl, source_arg, opts)


def _worker_died(task: Task, exc: BaseException) -> Outcome:
    """The outcome of a submission whose grading process died or could not send its result back."""
    result = grade.Result(task.student, task.assignment, status=NOT_RECORDED,
                          message=f"Grading stopped: the grading process failed ({grade.failure(exc)}); "
                                  "run the same command again to retry.")
    return Outcome(result)


def grade_all(assignment: str, students: Iterable[tuple[str, list[str]]], opts: grade.Options,
              workers: int | None = None, scheduler_address=None) -> Iterator[grade.Result]:
    """Grade staged submissions (``state.staged/<student>/<assignment>``) and record each one as
    it completes; yields results in completion order."""
    global last_run
    last_run = RunStats()
    students = list(students)      # (id, notes) pairs only: the notebooks are read per task
    if not students:
        return
    tmpl = template(assignment, opts.state)
    for outcome in scheduler.run(execute, _tasks(assignment, students, opts, tmpl), workers, scheduler_address,
                                 on_error=_worker_died):
        try:
            if outcome.result.status != NOT_RECORDED:
                record(outcome, opts.state)
        except Exception as exc:  # this submission's row says so; the others are still recorded
            outcome.result.status = NOT_RECORDED
            outcome.result.message = (f"Its grades could not be recorded in the gradebook ({grade.failure(exc)}); "
                                      "run the same command again to retry.")
        last_run.add(outcome)
        yield outcome.result



