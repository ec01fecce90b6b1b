"""A worker executes one submission, and only that: it never opens the real gradebook and never
scores (the coordinator does, see grade.py and gradebook.py).

A ``Task`` is self-contained, so a worker can be a local process or a Dask worker on another host:
the submission's files, the assignment's source folder (its notebooks: the tests and their plan),
a private gradebook that knows only the assignment, and the ``Limits`` to execute under. It carries
no state folder and no gradebook URL or credentials. ``execute`` runs nbgrader's Autograde
converter on it in a private temporary folder with the configured execution steps (the sanitize
steps, then ``config.execution_steps``: the sandboxed Execute step and what prepares its outputs,
everything before nbgrader's ``SaveAutoGrades``) and returns an ``Outcome``: the executed
notebooks as bytes, and a ``Result`` whose status says what the grader's own error outputs in them
mean (timed out, kernel died). Whatever goes wrong becomes that submission's ``error``,
never an exception.

Workers therefore need the repository, its virtual environment and bubblewrap, and nothing else.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import config, course
from autograder.results import DIED_BEFORE, DIED_HERE, KERNEL_DIED, TIMEOUT, Limits, Result, Status, failure

# One grading at a time per process, even if a Dask worker runs several threads: nbgrader sets
# process-wide environment variables while it executes.
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class Task:
    """What a worker gets: file contents and limits, nothing else."""

    assignment: str
    student: str
    files: dict[str, bytes]          # the staged submission folder: relative path -> bytes
    source: dict[str, bytes]         # the assignment's source folder: relative path -> bytes
    gradebook: bytes                 # a SQLite gradebook that knows the assignment and nothing else
    limits: Limits


@dataclass
class Outcome:
    """What a worker returns: its verdict, the executed notebooks, and what it cost."""

    result: Result
    autograded: dict[str, bytes] = field(default_factory=dict)   # the autograded folder: path -> bytes
    executed: bool = False           # nbgrader executed the notebooks: they are scored
    lost: bool = False               # the worker process failed: nothing to record, graded again next run
    worker: str = ""
    peak_kernel_rss_kib: int = 0     # its descendants (the sandboxed notebook kernel), summed
    peak_total_rss_kib: int = 0      # both together, each process's resident set summed
    peak_total_pss_kib: int = 0      # both together, a page shared by several counted once (PSS)


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as {relative path: bytes} ({} when there is no such folder)."""
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Replace the folder ``root`` with ``files`` (from ``read_tree``), nothing outside it."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for rel, data in files.items():
        path = (root / rel).resolve()
        if root.resolve() not in path.parents:
            raise ValueError(f"refusing to write {rel!r} outside {root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def here() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(task: Task) -> Outcome:
    """Execute one submission in a private folder (runs on a worker; touches nothing shared)."""
    try:
        return _execute(task)
    except Exception as exc:
        result = Result(task.student, task.assignment, status=Status.ERROR,
                        message=f"Grading stopped: {failure(exc)}.")
        return Outcome(result, worker=here())


def _execute(task: Task) -> Outcome:
    with _ONE_AT_A_TIME, PeakRSS() as peak, tempfile.TemporaryDirectory(prefix="rnncourse-grade-") as tmp:
        root = Path(tmp)
        (root / "gradebook.db").write_bytes(task.gradebook)
        write_tree(task.source, root / "source" / task.assignment)
        state = course.State(root, f"sqlite:///{root / 'gradebook.db'}", root / "source")
        write_tree(task.files, state.staged / task.student / task.assignment)
        outcome = autograde_one(task.assignment, task.student, task.limits, state)
    outcome.worker = here()
    outcome.peak_kernel_rss_kib = peak.children_kib
    outcome.peak_total_rss_kib = peak.total_kib
    outcome.peak_total_pss_kib = peak.total_pss_kib
    return outcome


def autograde_one(assignment: str, student: str, limits: Limits, state: course.State) -> Outcome:
    """Execute the staged submission in ``state`` (the worker's private folder) with nbgrader's
    Autograde converter, stopping before its scoring steps; the verdict is read from the error
    outputs only the grader writes."""
    start = time.monotonic()
    nbconfig = config.nbgrader_config(state)
    steps = config.execution_steps(nbconfig)
    nbconfig.Autograde.autograde_preprocessors = steps
    executor = nbconfig[steps[0].__name__]          # the Execute step: the limits are its settings
    executor.unsafe, executor.timeout = limits.unsafe, limits.cell_timeout
    executor.notebook_timeout, executor.kernel_threads = limits.notebook_timeout, limits.kernel_threads
    executor.call_limits, executor.full = limits.call_limits, limits.full
    executor.reuse_checker = not limits.fresh_checkers
    executor.interrupt_grace = limits.interrupt_grace
    state.root.mkdir(parents=True, exist_ok=True)
    result = Result(student, assignment)
    run = config.api(nbconfig).autograde(assignment, student, force=True, create=True)
    graded_dir = state.autograded / student / assignment
    executed = bool(run.get("success"))
    if not executed:
        result.status = Status.ERROR
        result.message = f"Grading stopped: {root_cause(run.get('log', '') + run.get('error', ''))}"
    else:
        died = grader_errors(graded_dir, KERNEL_DIED)
        if died:
            reason = died[0][1].removesuffix(DIED_HERE).removesuffix(DIED_BEFORE)
            result.status = Status.ERROR
            result.message = (f"{reason[:1].upper()}{reason[1:]}; the test cells that completed before "
                              "keep their points, the later ones score 0.")
        elif grader_errors(graded_dir, TIMEOUT):
            result.status = Status.TIMEOUT
            result.message = "A cell ran past its time limit and was stopped; later cells ran without it."
    result.duration_s = time.monotonic() - start
    return Outcome(result, autograded=read_tree(graded_dir), executed=executed)


def grader_errors(graded_dir: Path, ename: str) -> list[tuple[str, str]]:
    """(notebook file name, message) of each error output named ``ename`` in a graded submission's
    notebooks. Only the grader writes these names (a student's error of the same name is renamed
    while executing), so what a student prints or raises cannot set them."""
    from autograder.notebooks import read

    found = []
    for path in sorted(Path(graded_dir).glob("*.ipynb")):
        for cell in read(path).cells:
            found += [(path.name, str(o.get("evalue", ""))) for o in cell.get("outputs", [])
                      if o.get("output_type") == "error" and o.get("ename") == ename]
    return found


ROOT_CAUSE = re.compile(r"^\s*(?:[\w.]+\.)?(\w*(?:Error|Exception|Exit)): (.*)$")


def root_cause(log: str) -> str:
    """The most specific error line of an nbgrader log, in words a person can act on."""
    causes = [m.groups() for m in map(ROOT_CAUSE.match, log.splitlines()) if m and m.group(1) != "NbGraderException"]
    if not causes:
        return "nbgrader could not grade this submission (see the grading log)."
    name, text = causes[-1]
    if "Kernel died" in text or name == "DeadKernelError":
        return "the notebook's kernel died (the code exited, crashed or ran out of memory)."
    return f"{name}: {text.strip()[:200]}"


class PeakRSS:
    """Sample this process and all its descendants (the sandboxed kernels) while grading; the peak of
    their summed memory is what one grading worker costs.

    Two sums: resident sets (RSS), which count a page once per process that maps it, so the
    TensorFlow libraries both kernels map (about 350 MB of file-backed pages each) count twice; and
    proportional sets (PSS, Linux), which split a shared page between the processes sharing it, so
    the sum is the memory the worker occupies. Where PSS cannot be read (another OS, a process this
    one may not inspect) that process's RSS stands in for it."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.total_kib, self.children_kib, self.total_pss_kib = interval, 0, 0, 0
        self._stop = threading.Event()

    @staticmethod
    def _usage(process) -> tuple[int, int]:
        """(rss, pss) of ``process`` in bytes; pss is rss where it cannot be read."""
        import psutil

        rss = process.memory_info().rss
        try:
            return rss, process.memory_full_info().pss
        except (psutil.AccessDenied, AttributeError):
            return rss, rss

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            children = children_pss = 0
            for child in me.children(recursive=True):
                try:
                    rss, pss = self._usage(child)
                except psutil.Error:
                    continue
                children, children_pss = children + rss, children_pss + pss
            own_rss, own_pss = self._usage(me)
            self.children_kib = max(self.children_kib, children >> 10)
            self.total_kib = max(self.total_kib, (own_rss + children) >> 10)
            self.total_pss_kib = max(self.total_pss_kib, (own_pss + children_pss) >> 10)

    def __enter__(self) -> "PeakRSS":
        self._thread = threading.Thread(target=self._sample, daemon=True, name="peak-rss")
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
