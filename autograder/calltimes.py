"""How long one call of a student's code may take in each test: a limit from the model solution.

A test cell calls the student's functions through the grading channel (``twokernel.Relay``). A call
that never returns would hold the test, and the notebook's budget, until the cell's time limit, and
one cell limit fits no test: the tests of lesson 01 call code that takes milliseconds, lesson 07's
train models. So each test gets its own limit per call, from the reference answers:

* ``measure`` grades the instructor's source notebooks (the model solution) on the two-kernel path
  once, on the grading machine, and keeps for every test cell the longest call it made.
  ``python -m autograder build`` does this for each assignment it builds;
* a call in that test may then take ``FACTOR`` times as long, and at least ``FLOOR_S`` seconds
  (never more than the cell's own limit). A call past its limit is stopped and fails that test
  alone, with a message that says so; tests that do not call the student's code keep the cell limit.

The times live in the state folder (``<state>/call-times/<assignment>/<notebook>.json``), with the
checksum of the source notebook they were measured on: a notebook changed since then gets no limits
from them (its calls may take the cell's time limit) until it is measured again, and the grader says
which notebooks those are.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder import course

# A call may take FACTOR times the model solution's longest call in the test: valid answers differ in
# speed (lesson 07's generator calling a Keras model eagerly, `model(x)`, instead of its compiled
# `predict_on_batch`, is about 30 times slower and still correct; the answer corpus holds it).
FACTOR = 30
FLOOR_S = 10.0        # and at least this long (machines differ; a fast call's time says little)
FOLDER = "call-times"


@dataclass
class Measurement:
    """The model solution's calls in one notebook."""

    notebook: str
    calls: dict[str, float] = field(default_factory=dict)     # test grade_id -> longest call, seconds
    failed: list[str] = field(default_factory=list)           # test cells the solution did not pass
    seconds: float = 0.0                                      # the measuring run's wall time

    def problems(self, assignment: str) -> list[str]:
        return [f"the model solution fails {', '.join(self.failed)} of {assignment}/{self.notebook}: those "
                "tests get the cell time limit per call"] if self.failed else []


def summary(assignment: str, m: Measurement) -> str:
    """One line on what ``measure`` found in a notebook."""
    longest = max(m.calls.items(), key=lambda kv: kv[1], default=None)
    what = (f"the longest call {longest[1]:.2f} s in {longest[0]} (its limit {limit(longest[1]):g} s)"
            if longest else "no test calls the notebook's code")
    return (f"measured {assignment}/{m.notebook} in {m.seconds:.0f} s: {len(m.calls)} tests call the "
            f"notebook's code; {what}")


def path(state: course.State, assignment: str, notebook: str) -> Path:
    return state.root / FOLDER / assignment / f"{notebook}.json"


def checksum(file: Path) -> str:
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def measure(assignment: str, state: course.State, kernel_threads: int = 1) -> list[Measurement]:
    """Grade each source notebook of ``assignment`` (its own answers as the submission) on the
    two-kernel path and write its calls' times into ``state``; one ``Measurement`` per notebook.
    One thread per kernel, as each kernel of a full local batch gets: the slowest the calls run."""
    import nbformat

    from autograder import checkerpool, twokernel

    limits = twokernel.Limits(timeout=300, notebook_timeout=1800, kernel_threads=kernel_threads)
    folder = state.source / assignment
    found = []
    for notebook in course.notebooks(assignment, state.source):
        source = folder / f"{notebook}.ipynb"
        reference = nbformat.read(str(source), as_version=4)
        start = time.monotonic()
        calls, failed = checkerpool.run(_run(reference, folder, limits))      # one checker, kept
        found.append(Measurement(notebook, calls, failed, time.monotonic() - start))
        target = path(state, assignment, notebook)
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {"source_sha256": checksum(source), "measured_at": datetime.now(timezone.utc).isoformat(),
                  "cores": os.cpu_count(), "kernel_threads": kernel_threads,
                  "calls": {gid: round(s, 4) for gid, s in calls.items()}, "failed": failed}
        target.write_text(json.dumps(record, indent=1) + "\n")
    return found


async def _run(reference, folder: Path, limits) -> tuple[dict[str, float], list[str]]:
    import nbformat

    from autograder import plan, twokernel

    failed = []
    async with twokernel.Session(reference, folder, folder, limits) as session:
        for cell in reference.cells:
            run = nbformat.from_dict(cell)
            await session.run_cell(run)
            if session.step(run).role == plan.TEST and any(o.get("output_type") == "error" for o in run.outputs):
                failed.append(plan.grade_id(run))
        calls = {gid: s for gid, s in session.call_seconds.items() if gid not in failed}
    return calls, failed


def read(state: course.State, assignment: str, notebook: str) -> dict[str, float] | None:
    """The measured {test grade_id: seconds} of a notebook, or None when it was never measured or
    its source notebook changed since."""
    try:
        record = json.loads(path(state, assignment, notebook).read_text())
        if record.get("source_sha256") != checksum(state.source / assignment / f"{notebook}.ipynb"):
            return None
        return {str(gid): float(s) for gid, s in record["calls"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def limit(seconds: float, factor: float = FACTOR, floor: float = FLOOR_S) -> float:
    """The limit for one call in a test whose model-solution call took ``seconds``."""
    return round(max(floor, factor * seconds), 1)


def limits(state: course.State, assignments: list[str] | None = None, factor: float = FACTOR,
           floor: float = FLOOR_S) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per-call limits of every notebook of ``assignments`` (default: all) measured in ``state``,
    as ``{"<assignment>/<notebook>": {test grade_id: seconds}}``, and the notebooks without a
    valid measurement (never measured, or changed since)."""
    found, missing = {}, []
    if assignments is None:
        assignments = course.assignments(state.source) if state.source.is_dir() else []
    for assignment in assignments:
        for notebook in course.notebooks(assignment, state.source):
            times = read(state, assignment, notebook)
            if times is None:
                missing.append(f"{assignment}/{notebook}")
            else:
                found[f"{assignment}/{notebook}"] = {gid: limit(s, factor, floor) for gid, s in times.items()}
    return found, missing
