"""Grade a batch: intake → stage → autograde (sandboxed execute + nbgrader scoring) → record → feedback.

``grade_batch`` is what ``python -m autograder grade`` runs. Each submission is graded in a worker
process by nbgrader's own Autograde converter, configured in ``config.configure`` to execute in
the sandbox and to strip library noise before scoring; the result of every submission, good or
bad, becomes one row of ``grades.csv``.
"""
from __future__ import annotations

import csv
import dataclasses
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from autograder import build, config, course, execute, intake, integrity
from autograder import notebooks as nbtools

CSV_FIELDS = ["student_id", "assignment", "score", "max_score", "status", "message",
              "written_max", "duration_s"]


@dataclass
class Result:
    student_id: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"
    message: str = ""
    written_max: float = 0.0
    duration_s: float = 0.0
    notebooks: dict = field(default_factory=dict)

    def row(self) -> dict:
        data = asdict(self)
        data["score"], data["max_score"] = round(self.score, 2), round(self.max_score, 2)
        data["duration_s"] = round(self.duration_s, 1)
        return {k: data[k] for k in CSV_FIELDS}


@dataclass(frozen=True)
class Options:
    state: course.State
    unsafe: bool = False
    cell_timeout: int = 60
    notebook_timeout: int = 300
    regrade: bool = False            # ignore the journal (journal.py): grade every submission again
    kernel_threads: int = 0          # threads per kernel; 0: cores // workers for a local batch
    released_at: datetime | None = None   # UTC release time (default: when the exchange got it, if it did)


# --- stage ---------------------------------------------------------------------------------

def stage(sub: intake.Submission, assignment: str, state: course.State,
          released_at: datetime | None = None) -> list[str]:
    """Copy a vetted submission into the staged folder, nbgrader's submitted folder while it
    autogrades (the original is only read).
    Returns notes about its ``timestamp.txt`` (not a date, or not plausible)."""
    dest = state.staged / sub.student_id / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, path in sub.files.items():
        shutil.copyfile(path, dest / f"{name}.ipynb")
    # the secret nbgrader release_feedback names the student's feedback page by (kept for the exchange)
    secret = _beside(sub, "submission_secret.txt")
    if secret is not None and secret.stat().st_size < 1000:
        shutil.copyfile(secret, dest / "submission_secret.txt")
    # nbgrader collect records when the exchange received the submission; keep it for lateness.
    stamp = _beside(sub, "timestamp.txt")
    if stamp is None:
        return []
    when, note = submission_time(stamp, released_at)
    if when is not None:
        (dest / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    return [note] if note else []


def _beside(sub: intake.Submission, name: str) -> Path | None:
    """A regular file called ``name`` next to one of the submission's notebooks (as nbgrader collect
    leaves it), or None."""
    found = {p.parent / name for p in sub.files.values()}
    return next((f for f in sorted(found) if f.is_file() and not f.is_symlink()), None)


#: how far a submission time may lie outside [release, when its file was written] (clock skew)
TIMESTAMP_SLACK = timedelta(minutes=5)


def submission_time(stamp: Path, released_at: datetime | None = None,
                    now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """The submission time in ``stamp`` (nbgrader's ``timestamp.txt``) when it is usable, and a note
    when it is not: not a date, or implausible (before the release, after the file itself was
    written, or in the future), which a forged file would be. An unusable time is not recorded, so
    no late penalty is computed from it; the note flags it for the instructor."""
    from nbgrader.utils import parse_utc

    try:
        if stamp.stat().st_size > 100:
            raise ValueError("too long")
        text = stamp.read_text(errors="strict").strip()
        when = parse_utc(text)
    except Exception:  # dateutil raises several types; any unreadable stamp is the same problem
        return None, "timestamp.txt is not a date, so the submission time is unknown (no late penalty computed)"
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    written = datetime.fromtimestamp(stamp.stat().st_mtime, timezone.utc).replace(tzinfo=None)
    shown = when.strftime("%Y-%m-%d %H:%M UTC")
    if released_at is not None and when < released_at - TIMESTAMP_SLACK:
        why = f"before the assignment was released ({released_at:%Y-%m-%d %H:%M} UTC)"
    elif when > min(now, written) + TIMESTAMP_SLACK:
        why = "after the submission was collected"
    else:
        return when, None
    return None, f"implausible submission time {shown} in timestamp.txt, {why}: not used, please check"


def tampering_notes(assignment: str, name: str, submitted: Path, release: Path) -> list[str]:
    """Describe read-only or test cells the student changed or removed (nbgrader restores them)."""
    source_cells = {nbtools.grade_meta(c).get("grade_id"): c for c in nbtools.read(release).cells
                    if nbtools.grade_meta(c).get("locked")}
    seen, notes = set(), []
    for cell in nbtools.read(submitted).cells:
        gid = nbtools.grade_meta(cell).get("grade_id")
        if gid in source_cells:
            seen.add(gid)
            if cell.source.strip() != source_cells[gid].source.strip():
                notes.append(f"{name}: read-only cell {gid!r} was edited and has been restored")
    for gid in sorted(set(source_cells) - seen):
        notes.append(f"{name}: read-only cell {gid!r} was deleted or re-tagged and has been restored")
    return notes


# --- autograde one submission (runs in a worker process) ------------------------------------

def grader_errors(graded_dir: Path, ename: str) -> list[str]:
    """The messages of the errors named ``ename`` in a graded submission's notebooks. Only the
    grader writes these names (a student's error of the same name is renamed while executing), so
    what a student prints or raises cannot set them."""
    from autograder.notebooks import read

    found = []
    for path in sorted(Path(graded_dir).glob("*.ipynb")):
        for cell in read(path).cells:
            found += [str(o.get("evalue", "")) for o in cell.get("outputs", [])
                      if o.get("output_type") == "error" and o.get("ename") == ename]
    return found


def autograde_one(assignment: str, student: str, notes: list[str], opts: Options) -> Result:
    start = time.monotonic()
    api = config.api_for(opts.state, **{
        "TwoKernelExecute.unsafe": opts.unsafe,
        "TwoKernelExecute.timeout": opts.cell_timeout,
        "TwoKernelExecute.notebook_timeout": opts.notebook_timeout,
        "TwoKernelExecute.kernel_threads": opts.kernel_threads,
    })
    result = Result(student, assignment)
    outcome = api.autograde(assignment, student, force=True, create=True)
    if not outcome.get("success"):
        result.status = "error"
        result.message = f"Grading stopped: {root_cause(outcome.get('log', '') + outcome.get('error', ''))}"
    else:
        record(api, assignment, student, result)
        graded_dir = opts.state.autograded / student / assignment
        verdict = integrity.verdict(graded_dir)
        died = grader_errors(graded_dir, execute.KERNEL_DIED)
        if verdict:
            result.score, result.status, result.message = 0.0, "tampered", verdict
        elif died:
            reason = died[0].removesuffix(execute.DIED_HERE).removesuffix(execute.DIED_BEFORE)
            result.status = "error"
            result.message = (f"{reason[:1].upper()}{reason[1:]}; the test cells that completed before "
                              "keep their points, the later ones score 0.")
        elif grader_errors(graded_dir, execute.TIMEOUT):
            result.status = "timeout"
            result.message = "A cell ran past its time limit and was stopped; later cells ran without it."
        try:
            feedback = api.generate_feedback(assignment, student, force=True)
        except Exception:
            feedback = {}
        if not feedback.get("success"):
            notes.append("feedback could not be generated")
        else:
            from autograder import feedback as _feedback
            _feedback.secure(opts.state.feedback / student / assignment)   # Content-Security-Policy
    if notes and result.status == "graded":
        joined = "; ".join(notes)
        result.message = joined[:1].upper() + joined[1:] + "."   # str.capitalize() would lowercase file names
    elif notes:
        result.message += " Also: " + "; ".join(notes) + "."
    if result.status == "graded" and not result.message:
        result.message = "Graded." if result.score < result.max_score else "Graded: all autograded tests pass."
    result.duration_s = time.monotonic() - start
    return result


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


def record(api, assignment: str, student: str, result: Result) -> None:
    """Read the scores nbgrader saved in the gradebook into ``result``."""
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        sub = gb.find_submission(assignment, student)
        result.score, result.max_score = float(sub.code_score), float(sub.max_code_score)
        result.written_max = float(sub.max_written_score)
        result.notebooks = {nb.name: [float(nb.code_score), float(nb.max_code_score)] for nb in sub.notebooks}


# --- the batch ------------------------------------------------------------------------------

def kernel_threads(workers: int) -> int:
    """Threads per kernel when ``workers`` kernels run side by side on this machine's cores."""
    from autograder import scheduler as sched

    return max(1, sched.default_workers() // max(1, workers))


def max_code_score(assignment: str, state: course.State) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        a = gb.find_assignment(assignment)
        return float(a.max_code_score), float(a.max_written_score)


def grade_batch(assignment: str, submissions: Path, out: Path, opts: Options, workers: int | None = None,
                progress: bool = True, scheduler: str | None = None) -> list[Result]:
    state = opts.state
    if assignment not in course.assignments(state.source):
        known = ", ".join(course.assignments(state.source))
        raise intake.IntakeError(f"unknown assignment {assignment!r}; known: {known}")
    out.mkdir(parents=True, exist_ok=True)
    expected = course.notebooks(assignment, state.source)
    release = state.root / "release"
    build.generate(assignment, state, release)          # records the assignment in the gradebook
    max_code, max_written = max_code_score(assignment, state)

    staging = state.root / "staging" / assignment
    shutil.rmtree(staging, ignore_errors=True)
    subs, batch_notes = intake.collect(Path(submissions), assignment, expected, staging)
    for note in batch_notes:
        print(f"note: {note}", file=sys.stderr)

    results: list[Result] = []
    todo: list[tuple[intake.Submission, list[str]]] = []
    # a re-run (after a kill, or twice) reuses what the journal and the gradebook already hold
    from autograder import journal as _journal
    jnl = _journal.Journal(state, assignment)
    released_at = opts.released_at or release_time(state, assignment)
    done = jnl.already_graded([s for s in subs if not s.status], regrade=opts.regrade)
    for sub in subs:
        if sub.status:
            results.append(Result(sub.student_id, assignment, 0.0, max_code, sub.status, sub.message, max_written))
            continue
        if sub.student_id in done:
            results.append(done[sub.student_id])
            continue
        try:
            notes = list(sub.notes)
            for name, path in sub.files.items():
                notes += tampering_notes(assignment, name, path, release / assignment / f"{name}.ipynb")
            notes += stage(sub, assignment, state, released_at)
            notes += integrity.sanitize_staged(state.staged / sub.student_id / assignment, release / assignment)
        except Exception as exc:  # this submission's problem: its row says so, the batch goes on
            results.append(Result(sub.student_id, assignment, 0.0, max_code, "error",
                                  f"The submission could not be prepared for grading ({failure(exc)}).",
                                  max_written))
            continue
        todo.append((sub, notes))

    bar = _progress(len(todo), enabled=progress)
    # workers (local processes or a Dask cluster) execute; only this process writes the gradebook
    from autograder import gradebook, scheduler as sched
    workers = min(workers or sched.default_workers(), max(1, len(todo)))
    if not opts.kernel_threads and scheduler is None:
        # each of the local workers' kernels gets its share of the cores (one worker keeps them all)
        opts = dataclasses.replace(opts, kernel_threads=kernel_threads(workers))
    for result in gradebook.grade_all(assignment, [(s.student_id, n) for s, n in todo], opts, workers, scheduler):
        if result.status != gradebook.NOT_RECORDED:
            jnl.record(result)                           # after the gradebook holds it
        else:
            result.status = "error"                      # not journaled: the next run grades it again
        results.append(result)
        bar.update(1)
    bar.close()

    results.sort(key=lambda r: r.student_id)
    for r in results:
        r.max_score = r.max_score or max_code
        try:
            _copy_feedback(state, assignment, r.student_id, out)
        except Exception as exc:
            r.message += f" Its feedback could not be copied ({failure(exc)})."
    write_csv(results, out / "grades.csv")
    return results


def _copy_feedback(state: course.State, assignment: str, student: str, out: Path) -> None:
    src = state.feedback / student / assignment
    if src.is_dir():
        dest = out / "feedback" / student
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest)


def failure(exc: BaseException) -> str:
    """An exception in a few words for a grades.csv message."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def release_time(state: course.State, assignment: str) -> datetime | None:
    """When ``nbgrader release_assignment`` put the assignment in the exchange (UTC), if it did."""
    outbound = state.exchange / course.COURSE_ID / "outbound" / assignment
    if not outbound.is_dir():
        return None
    return datetime.fromtimestamp(outbound.stat().st_mtime, timezone.utc).replace(tzinfo=None)


def write_csv(results: list[Result], path: Path) -> None:
    # UTF-8 whatever the locale, and a name that is not valid text cannot stop the file
    with open(path, "w", newline="", encoding="utf-8", errors="replace") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in results:
            writer.writerow(r.row())


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="submission", disable=not enabled or total == 0,
                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| {elapsed} elapsed, ETA {remaining}",
                file=sys.stderr)


def read_csv(path: Path) -> list[Result]:
    """Results back from a grades.csv written by ``write_csv``."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    numeric = ("score", "max_score", "written_max", "duration_s")
    return [Result(**{k: (float(v) if k in numeric else v) for k, v in r.items() if k in CSV_FIELDS}) for r in rows]
