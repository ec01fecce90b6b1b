"""What grading produces and what it is told, as plain data.

* ``Status``: the one-word ``status`` column of grades.csv;
* ``Result``: one submission's row of grades.csv (and what the journal keeps of it);
* ``Limits``: the time and resource limits a worker executes a submission under, the only
  settings that cross the process boundary; ``Options``: a batch's settings, the state included;
* the names of the error outputs only the grader writes into a graded notebook;
* messages bounded in length, whatever a submission holds.

The coordinator (grade.py), the workers (worker.py), the journal and the report all use these, so
this module imports only the standard library.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A submission's status: what grades.csv, the journal and the report say (``str`` values)."""

    GRADED = "graded"              # executed and scored
    TIMEOUT = "timeout"            # a cell ran past its time limit and was stopped; later cells ran
    ERROR = "error"                # the kernel died, or a step of grading failed for this submission
    INVALID = "invalid"            # not a Jupyter notebook (not JSON, unreadable, a link, ...)
    WRONG_FORMAT = "wrong_format"  # a notebook of another nbformat
    WRONG_KERNEL = "wrong_kernel"  # a notebook for another language
    TOO_LARGE = "too_large"        # over the size limit
    MISSING = "missing"            # no expected notebook found


#: names of the error outputs only the grader writes into a graded notebook (a student's error of
#: the same name is renamed while executing), so what a student prints or raises cannot set them
TIMEOUT = "CellTimeoutError"        # nbgrader's name for a cell stopped at its time limit
KERNEL_DIED = "KernelDied"          # the student's kernel died in or before this cell
RESERVED_ENAMES = (TIMEOUT, KERNEL_DIED)
DIED_HERE, DIED_BEFORE = " while this cell ran", " before this cell ran"   # ends of a KernelDied message

#: the most characters of a message in grades.csv (and the report): a submission that hands in
#: thousands of files gets a summary, not a field no CSV reader accepts
MAX_MESSAGE = 2000

CSV_FIELDS = ["student_id", "assignment", "score", "max_score", "status", "message",
              "written_max", "duration_s"]


@dataclass
class Result:
    """One submission's grades: a row of grades.csv (``row()``), plus the per-notebook scores."""

    student_id: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = Status.GRADED
    message: str = ""
    written_max: float = 0.0
    duration_s: float = 0.0
    notebooks: dict = field(default_factory=dict)   # notebook -> [code score, max code score]

    def row(self) -> dict:
        data = asdict(self)
        data["score"], data["max_score"] = round(self.score, 2), round(self.max_score, 2)
        data["duration_s"] = round(self.duration_s, 1)
        data["status"] = str(self.status)
        data["message"] = bounded(self.message)
        return {k: data[k] for k in CSV_FIELDS}


#: seconds a kernel gets to stop after an interrupt before it is killed
INTERRUPT_GRACE_S = 10


@dataclass(frozen=True)
class Limits:
    """What a worker executes one submission under: all it is told besides the files."""

    unsafe: bool = False             # no sandbox (trusted notebooks only)
    cell_timeout: int = 60           # seconds per cell
    notebook_timeout: int = 300      # seconds per notebook
    kernel_threads: int = 0          # CPU threads for the kernel's pools; 0: the libraries' default
    # seconds one call of the student's code may take in each test, from the model solution
    # (calltimes.py): {"<assignment>/<notebook>": {test grade_id: seconds}}; a test not named: cell_timeout
    call_limits: dict = field(default_factory=dict)
    full: bool = False               # also run the demonstration cells tagged to be skipped when grading
    fresh_checkers: bool = False     # a new checker kernel for every notebook (none kept, checkerpool.py)
    interrupt_grace: float = INTERRUPT_GRACE_S   # seconds a student kernel gets to stop after an interrupt


@dataclass(frozen=True)
class Options:
    """One batch's settings. ``state`` (a ``course.State``) names the state folder and the gradebook;
    it stays with the coordinator: workers get ``limits`` only."""

    state: Any
    unsafe: bool = False
    cell_timeout: int = 60
    notebook_timeout: int = 300
    regrade: bool = False            # ignore the journal (journal.py): grade every submission again
    kernel_threads: int = 0          # threads per kernel; 0: cores // workers for a local batch
    released_at: datetime | None = None   # UTC release time (default: when the exchange got it, if it did)
    call_limits: dict | None = None  # as in Limits; None: the times measured in the state folder
    full: bool = False               # as in Limits (the grader's --full)
    fresh_checkers: bool = False     # as in Limits (the grader's --fresh-checkers)
    interrupt_grace: float = INTERRUPT_GRACE_S   # as in Limits

    @property
    def limits(self) -> Limits:
        return Limits(self.unsafe, self.cell_timeout, self.notebook_timeout, self.kernel_threads,
                      dict(self.call_limits or {}), self.full, self.fresh_checkers, self.interrupt_grace)


# --- messages ----------------------------------------------------------------------------------

def bounded(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to at most ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    tail = f" … ({len(text) - limit} more characters)"
    return text[: max(0, limit - len(tail))] + tail


def listing(items, limit: int = 20, sep: str = ", ") -> str:
    """The first ``limit`` items joined, and how many more there are: ``a, b, c … (1234 more)``."""
    items = list(items)
    shown = sep.join(str(i) for i in items[:limit])
    return shown + (f" … ({len(items) - limit} more)" if len(items) > limit else "")


def join_notes(notes: list[str], limit: int = MAX_MESSAGE - 200) -> str:
    """Notes joined with ``; `` within about ``limit`` characters; the notes that do not fit are
    counted (``… (N more)``), never dropped silently."""
    out: list[str] = []
    size = 0
    for i, note in enumerate(notes):
        note = bounded(note, limit)
        if out and size + len(note) + 2 > limit:
            return "; ".join(out) + f" … ({len(notes) - i} more)"
        out.append(note)
        size += len(note) + 2
    return "; ".join(out)


def failure(exc: BaseException) -> str:
    """An exception in a few words for a grades.csv message."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
