"""Stage step: a vetted submission copied into the grader's own folder, ready for nbgrader.

``prepare`` copies one submission (``intake.Submission``) into ``state.staged/<student>/<assignment>``
(the original is only read), keeps the files ``nbgrader collect`` left beside it when they are
usable (``timestamp.txt``, ``submission_secret.txt``), notes the read-only and test cells the
student changed, and rebuilds each staged notebook on the release (nbgrader's sanitize step ``safety.RebuildFromRelease`` rebuilds it; staging only notes what it will drop).
It returns the notes for the submission's row of grades.csv.

``keep_as_collected`` also files a submission that came from an LMS zip or a folder where
``nbgrader collect`` would have put it (``state.collected``), so formgrader's *Manage Assignments*
counts it (nbgrader counts that folder, not the gradebook) and the original is kept with the state.
"""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from autograder import course, intake, notebooks, safety
from autograder import notebooks as nbtools

#: how far a submission time may lie outside [release, when its file was written] (clock skew)
TIMESTAMP_SLACK = timedelta(minutes=5)
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
#: a file nbgrader collect leaves beside the notebooks (the secret, the timestamp) is kept only below this
MAX_BESIDE_BYTES = 1000


def prepare(sub: intake.Submission, assignment: str, state: course.State, release: Path,
            released_at: datetime | None = None) -> list[str]:
    """Stage ``sub`` for grading; returns the notes it adds to the submission's own."""
    notes = list(sub.notes)
    for name, path in sub.files.items():
        notes += tampering_notes(assignment, name, path, release / assignment / f"{name}.ipynb")
    notes += stage(sub, assignment, state, released_at)
    for path in sorted(staged_folder(state, sub.student_id, assignment).glob("*.ipynb")):
        released = release / assignment / path.name
        if released.exists():       # what the rebuild will drop or miss (the rebuild itself runs once, in nbgrader)
            notes += safety.rebuild(notebooks.read(path), notebooks.read(released))[1]
    return notes


def staged_folder(state: course.State, student: str, assignment: str) -> Path:
    return state.staged / student / assignment


def stage(sub: intake.Submission, assignment: str, state: course.State,
          released_at: datetime | None = None) -> list[str]:
    """Copy a vetted submission into the staged folder (the original is only read).
    Returns notes about its ``timestamp.txt`` (not a date, or not plausible)."""
    dest = staged_folder(state, sub.student_id, assignment)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    # the secret nbgrader release_feedback names the student's feedback page by (kept for the exchange)
    _copy_in(sub, dest, ("submission_secret.txt",))
    # nbgrader collect records when the exchange received the submission; keep it for lateness.
    stamp = _beside(sub, "timestamp.txt")
    if stamp is None:
        return []
    when, note = submission_time(stamp, released_at)
    if when is not None:
        (dest / "timestamp.txt").write_text(when.strftime(STAMP_FORMAT))
    return [note] if note else []


#: marks a folder in ``state.collected`` that the grader filed (``keep_as_collected``), not nbgrader collect
KEPT_MARKER = ".rnncourse-kept"


def keep_as_collected(sub: intake.Submission, assignment: str, state: course.State) -> None:
    """File the original of ``sub`` in ``state.collected/<student>/<assignment>`` as ``nbgrader
    collect`` lays it out, unless it is already there: a folder nbgrader collect wrote is never
    touched (grading the collected folder leaves it as it was); one this function filed before is
    replaced by the newer submission."""
    dest = state.collected / sub.student_id / assignment
    if dest.exists() and not (dest / KEPT_MARKER).is_file():
        return
    if all(path.resolve().is_relative_to(dest.resolve()) for path in sub.files.values()):
        return                                        # graded from there
    tmp = dest.with_name(f".{assignment}.filing")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _copy_in(sub, tmp, ("timestamp.txt", "submission_secret.txt"))
    (tmp / KEPT_MARKER).write_text("filed by python -m autograder grade from an LMS zip or a folder\n")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def staged_time(state: course.State, student: str, assignment: str) -> datetime | None:
    """The submission time ``stage`` kept (already checked by ``submission_time``), or None."""
    stamp = staged_folder(state, student, assignment) / "timestamp.txt"
    try:
        return datetime.strptime(stamp.read_text().strip(), STAMP_FORMAT) if stamp.is_file() else None
    except (OSError, ValueError):
        return None


def _copy_in(sub: intake.Submission, dest: Path, beside: tuple[str, ...]) -> None:
    """Copy the notebooks of ``sub`` into ``dest`` as ``<name>.ipynb``, and each small file named in
    ``beside`` that nbgrader collect left next to them, as it is."""
    for name, path in sub.files.items():
        shutil.copyfile(path, dest / f"{name}.ipynb")
    for name in beside:
        found = _beside(sub, name)
        if found is not None and found.stat().st_size < MAX_BESIDE_BYTES:
            shutil.copyfile(found, dest / name)


def _beside(sub: intake.Submission, name: str) -> Path | None:
    """A regular file called ``name`` next to one of the submission's notebooks (as nbgrader collect
    leaves it), or None."""
    found = {p.parent / name for p in sub.files.values()}
    return next((f for f in sorted(found) if f.is_file() and not f.is_symlink()), None)


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
