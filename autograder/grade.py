"""Grade a batch: intake → stage → execute (workers) → record (here) → feedback → grades.csv.

``grade_batch`` is what ``python -m autograder grade`` runs. This process is the coordinator, the
only one that writes the state folder and the gradebook:

1. intake (intake.py) finds and vets each student's notebooks: a bad file is that row's status;
2. the journal (journal.py) names the submissions already graded and recorded, unchanged;
3. stage (stage.py) copies each other submission into the state folder, rebuilt on the release
   (and files one from a folder or a zip where nbgrader collect would have, for formgrader's counts);
4. execute (worker.py): each staged submission goes to a worker (this process, a local pool or a
   Dask cluster, see scheduler.py) as a self-contained task: its files, the assignment's source
   folder, a private gradebook that knows only the assignment, and the limits; no state folder,
   no gradebook URL;
5. record, as each worker returns: the executed notebooks go into the state folder and are scored
   into the real gradebook by nbgrader's own scoring steps, late penalty included (gradebook.py:
   the one place a score is computed), then read back for grades.csv;
6. feedback, from the real gradebook by nbgrader's GenerateFeedback (hidden tests removed, served
   with a Content-Security-Policy, see feedback.py);
7. the journal line once the gradebook holds the grades, and grades.csv once, at the end.

Every step of one submission runs under a guard that turns any failure into that submission's
status and message; the batch goes on.
"""
from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder import build, calltimes, config, course, gradebook, grades_csv, intake, journal, stage, worker
from autograder import scheduler as sched
from autograder.results import Options, Result, Status, bounded, failure, join_notes, listing

__all__ = ["Options", "Result", "grade_batch", "last_run"]


def grade_batch(assignment: str, submissions: Path, out: Path, opts: Options, workers: int | None = None,
                progress: bool = True, scheduler: str | None = None) -> list[Result]:
    """Grade every submission of ``assignment`` in ``submissions`` (a folder or a zip); write
    ``out/grades.csv`` and ``out/feedback/<student>/``; return the rows."""
    state = opts.state
    if assignment not in course.assignments(state.source):
        known = ", ".join(course.assignments(state.source))
        raise intake.IntakeError(f"unknown assignment {assignment!r}; known: {known}")
    out.mkdir(parents=True, exist_ok=True)
    release = state.root / "release"
    build.generate(assignment, state, release)          # records the assignment in the gradebook
    max_code, max_written = gradebook.max_scores(state, assignment)
    if opts.call_limits is None:           # each test's limit per call, as measured by `build`
        found, unmeasured = calltimes.limits(state, [assignment])
        opts = dataclasses.replace(opts, call_limits=found)
        if unmeasured:
            print(f"note: no call times measured for {', '.join(unmeasured)} in {state.root} (or the source "
                  f"changed since): a call of the notebook's code may take the cell time limit "
                  f"({opts.cell_timeout} s); `python -m autograder build {assignment} --state {state.root}` "
                  "measures them", file=sys.stderr)

    staging = state.root / "staging" / assignment
    shutil.rmtree(staging, ignore_errors=True)
    subs, batch_notes = intake.collect(Path(submissions), assignment, course.notebooks(assignment, state.source),
                                       staging)
    for note in batch_notes:
        print(f"note: {note}", file=sys.stderr)

    # a re-run (after a kill, or twice) reuses what the journal and the gradebook already hold
    jnl = journal.Journal(state, assignment)
    released_at = opts.released_at or release_time(state, assignment)
    done = jnl.already_graded([s for s in subs if not s.status], regrade=opts.regrade)
    results: list[Result] = []
    todo: dict[str, list[str]] = {}                       # student -> notes for the row
    for sub in subs:
        if sub.status:
            results.append(Result(sub.student_id, assignment, 0.0, max_code, sub.status, sub.message, max_written))
        elif sub.student_id in done:
            results.append(done[sub.student_id])
        else:
            try:
                todo[sub.student_id] = stage.prepare(sub, assignment, state, release, released_at)
                stage.keep_as_collected(sub, assignment, state)
            except Exception as exc:  # this submission's problem: its row says so, the batch goes on
                results.append(Result(sub.student_id, assignment, 0.0, max_code, Status.ERROR,
                                      f"The submission could not be prepared for grading ({failure(exc)}).",
                                      max_written))

    workers = min(workers or sched.default_workers(), max(1, len(todo)))
    if not opts.kernel_threads and scheduler is None:
        # each of the local workers' kernels gets its share of the cores (one worker keeps them all)
        opts = dataclasses.replace(opts, kernel_threads=kernel_threads(workers))
    bar = _progress(len(todo), enabled=progress)
    for result, recorded in grade_staged(assignment, todo, opts, workers, scheduler):
        if recorded:
            jnl.record(result)                           # after the gradebook holds it
        results.append(result)                           # not journaled: the next run grades it again
        bar.update(1)
    bar.close()

    results.sort(key=lambda r: r.student_id)
    for r in results:
        r.max_score = r.max_score or max_code
        try:
            _copy_feedback(state, assignment, r.student_id, out)
        except Exception as exc:
            r.message = bounded(r.message + f" Its feedback could not be copied ({failure(exc)}).")
    grades_csv.write(results, out / "grades.csv")
    return results


# --- execute on workers, record here -------------------------------------------------------------

@dataclass
class RunStats:
    """What the last ``grade_staged`` saw, per worker (the benchmark reads it)."""
    peak_kernel_rss_kib: dict[str, int] = field(default_factory=dict)
    peak_total_rss_kib: dict[str, int] = field(default_factory=dict)
    peak_total_pss_kib: dict[str, int] = field(default_factory=dict)

    def add(self, o: worker.Outcome) -> None:
        for name in ("peak_kernel_rss_kib", "peak_total_rss_kib", "peak_total_pss_kib"):
            seen = getattr(self, name)
            if o.worker:
                seen[o.worker] = max(getattr(o, name), seen.get(o.worker, 0))


last_run = RunStats()


def grade_staged(assignment: str, students: dict[str, list[str]], opts: Options, workers: int | None = None,
                 scheduler_address=None) -> Iterator[tuple[Result, bool]]:
    """Execute the staged submissions of ``students`` ({student: notes}) on workers and record each
    one as it comes back; yields (result, recorded in the gradebook) in completion order."""
    global last_run
    last_run = RunStats()
    if not students:
        return
    state = opts.state
    feedback_api = config.api_for(state)
    for outcome in sched.run(worker.execute, tasks(assignment, students, opts), workers, scheduler_address,
                             on_error=_worker_died):
        last_run.add(outcome)
        yield record_outcome(outcome, students.get(outcome.result.student_id, []), state, feedback_api)


def tasks(assignment: str, students, opts: Options) -> Iterator[worker.Task]:
    """A worker's task for the staged submission of each of ``students``: file contents and limits,
    nothing of the state folder or the gradebook URL. Each submission is read when it is sent."""
    state = opts.state
    private, source = private_gradebook(assignment, state.source), source_files(state, assignment)
    for student in students:
        files = worker.read_tree(stage.staged_folder(state, student, assignment))
        yield worker.Task(assignment, student, files, source, private, opts.limits)


def private_gradebook(assignment: str, source: Path) -> bytes:
    """The gradebook a worker executes against: a fresh SQLite file that knows ``assignment`` (its
    notebooks and cells, generated from the source like the real one) and nothing else: no student,
    no grade, no URL. nbgrader's Autograde restores read-only and test cells from it."""
    with tempfile.TemporaryDirectory(prefix="rnncourse-private-gradebook-") as tmp:
        private = course.State(Path(tmp), f"sqlite:///{Path(tmp) / 'gradebook.db'}", source)
        build.generate(assignment, private, Path(tmp) / "release")
        return (Path(tmp) / "gradebook.db").read_bytes()


def source_files(state: course.State, assignment: str) -> dict[str, bytes]:
    """The assignment's source folder as a worker needs it (nbgrader's ignored files left out)."""
    from nbgrader.utils import find_all_files

    folder = state.source / assignment
    ignore = list(config.nbgrader_config(state).CourseDirectory.ignore)
    return {str(Path(p).relative_to(folder)): Path(p).read_bytes() for p in sorted(find_all_files(str(folder), ignore))}


def _worker_died(task: worker.Task, exc: BaseException) -> worker.Outcome:
    """The outcome of a submission whose grading process died or could not send its result back."""
    result = Result(task.student, task.assignment, status=Status.ERROR,
                    message=f"Grading stopped: the grading process failed ({failure(exc)}); "
                            "run the same command again to retry.")
    return worker.Outcome(result, lost=True)


def record_outcome(outcome: worker.Outcome, notes: list[str], state: course.State, feedback_api) -> tuple[Result, bool]:
    """Write one worker's outcome into the state folder and the real gradebook (scored there), and
    its feedback; returns the finished row and whether the gradebook holds it."""
    import nbformat

    r = dataclasses.replace(outcome.result)           # the outcome stays as the worker sent it
    if outcome.lost:
        return r, False
    start = time.monotonic()
    try:
        worker.write_tree(outcome.autograded, state.autograded / r.student_id / r.assignment)
        notebooks = {Path(rel).stem: nbformat.reads(data.decode(), as_version=nbformat.NO_CONVERT)
                     for rel, data in outcome.autograded.items() if rel.endswith(".ipynb") and "/" not in rel}
        gradebook.record(state, r.assignment, r.student_id, notebooks,
                         stage.staged_time(state, r.student_id, r.assignment), score=outcome.executed)
        scores = gradebook.read_scores(state, r.assignment, r.student_id)
    except Exception as exc:  # this submission's row says so; the others are still recorded
        r.status = Status.ERROR
        r.message = (f"Its grades could not be recorded in the gradebook ({failure(exc)}); "
                     "run the same command again to retry.")
        return r, False
    r.score, r.max_score, r.written_max = scores["score"], scores["max_score"], scores["written_max"]
    r.notebooks = scores["notebooks"]
    notes = list(notes)
    try:
        feedback(feedback_api, state, r.assignment, r.student_id, executed=outcome.executed)
    except Exception:
        notes.append("feedback could not be generated")
    r.message = message(r, notes, scores["failing"])
    r.duration_s += time.monotonic() - start
    return r, True


def feedback(api, state: course.State, assignment: str, student: str, executed: bool = True) -> None:
    """nbgrader's feedback for one recorded submission (from the real gradebook: scores, late
    penalty and manual grades as recorded; its template adds a Content-Security-Policy, see
    feedback.py); none when nothing was executed."""
    folder = state.feedback / student / assignment
    shutil.rmtree(folder, ignore_errors=True)
    if not executed:
        return
    made = api.generate_feedback(assignment, student, force=True)
    if not made.get("success"):
        raise RuntimeError("nbgrader generate_feedback failed")


def message(r: Result, notes: list[str], failing: list[tuple] = ()) -> str:
    """The row's message: what the worker found (for a graded submission, the test cells that did
    not get their points, see ``failing_tests``), then the notes (bounded, see results.py)."""
    text = r.message
    if r.status == Status.GRADED and not text:
        text = failing_tests(failing, several=len(r.notebooks) > 1) if failing else "Graded: all autograded tests pass."
    if notes and r.status == Status.GRADED:
        joined = join_notes(notes)
        text += " " + joined[:1].upper() + joined[1:] + "."   # str.capitalize() would lowercase file names
    elif notes:
        text += " Also: " + join_notes(notes) + "."
    return bounded(text.strip())


def failing_tests(failing: list[tuple], several: bool = False) -> str:
    """``Graded; not passing: make_windows_test (0/3), time_split_test (0/2).`` — each autograded
    test cell short of its points, by the name a student's check() and feedback show; prefixed by
    its notebook when the assignment has ``several``."""
    names = [f"{nb + ' ' if several else ''}{gid} ({score:g}/{points:g})" for nb, gid, score, points in failing]
    return f"Graded; not passing: {listing(names)}."


# --- helpers ---------------------------------------------------------------------------------------

def kernel_threads(workers: int) -> int:
    """Threads per kernel when ``workers`` kernels run side by side on this machine's cores."""
    return max(1, sched.default_workers() // max(1, workers))


def release_time(state: course.State, assignment: str) -> datetime | None:
    """When ``nbgrader release_assignment`` put the assignment in the exchange (UTC), if it did."""
    outbound = state.exchange / course.COURSE_ID / "outbound" / assignment
    if not outbound.is_dir():
        return None
    return datetime.fromtimestamp(outbound.stat().st_mtime, timezone.utc).replace(tzinfo=None)


def _copy_feedback(state: course.State, assignment: str, student: str, out: Path) -> None:
    src = state.feedback / student / assignment
    if src.is_dir():
        dest = out / "feedback" / student
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest)


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="submission", disable=not enabled or total == 0,
                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| {elapsed} elapsed, ETA {remaining}",
                file=sys.stderr)
