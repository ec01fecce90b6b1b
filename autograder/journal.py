"""Nothing is lost: a per-assignment journal in the state folder makes a batch resumable.

The coordinator (grade.py, the only gradebook writer, see ``gradebook.py``) appends one JSON line to
``<state>/journal/<assignment>.jsonl`` right after a submission's grades are recorded in the
gradebook, and flushes it to disk (``fsync``). A line is keyed by

* the student id,
* the SHA-256 of the submitted files exactly as handed in (notebook names and bytes), and
* the SHA-256 of the assignment's source notebooks (new tests or points mean a new grading),

and holds the ``results.Result`` that went into ``grades.csv``. Re-running the same batch (after a
SIGKILL, a power cut, or simply twice) skips every submission whose key is in the journal *and*
whose score the gradebook still holds, reuses the recorded result, and grades only the rest, so
every submission is graded and recorded once and ``grades.csv`` comes out the same. ``--regrade``
(``Options.regrade``) ignores the journal and grades everything again (new lines are appended; the
latest line for a key wins).

A line cut short by a kill is ignored when the journal is read.

The only window where work can be repeated is between the gradebook commit and the journal line
(microseconds): the submission is then graded again on the next run and recorded again; nbgrader's
``update_or_create`` makes that second recording replace the first, so the gradebook stays
consistent either way.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from autograder import course, gradebook
from autograder.results import Result


def checksum(files: dict[str, Path]) -> str:
    """SHA-256 over a submission's notebooks (sorted names, sizes and bytes): what was handed in."""
    h = hashlib.sha256()
    for name in sorted(files):
        data = Path(files[name]).read_bytes()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def source_checksum(assignment: str, source: Path) -> str:
    """SHA-256 of the assignment's source notebooks (the tests and points the grades come from)."""
    h = hashlib.sha256()
    for path in sorted((Path(source) / assignment).glob("*.ipynb")):
        data = path.read_bytes()
        h.update(f"{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


class Journal:
    """The journal of one assignment in one state folder."""

    def __init__(self, state: course.State, assignment: str):
        self.state, self.assignment = state, assignment
        self.path = state.root / "journal" / f"{assignment}.jsonl"
        self.source = source_checksum(assignment, state.source)
        self.sha: dict[str, str] = {}            # student -> checksum of this run's submission

    # --- reading -------------------------------------------------------------------------

    def entries(self) -> list[dict]:
        """Every complete line (a line cut short by a kill is skipped)."""
        if not self.path.is_file():
            return []
        out = []
        for line in self.path.read_bytes().splitlines():
            try:
                entry = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(entry, dict):
                out.append(entry)
        return out

    def graded(self) -> dict[tuple[str, str], dict]:
        """(student, submission checksum) -> the latest recorded result, for this assignment version."""
        done = {}
        for e in self.entries():
            if e.get("event") == "graded" and e.get("source") == self.source and isinstance(e.get("result"), dict):
                done[(e["student"], e["sha256"])] = e["result"]
        return done

    def already_graded(self, subs: Iterable, regrade: bool = False) -> dict[str, Result]:
        """Checksum every submission; return {student: Result} for those the journal and the
        gradebook both already hold with the same checksum (none with ``regrade``)."""
        for sub in subs:
            try:
                self.sha[sub.student_id] = checksum(sub.files)
            except OSError:          # unreadable now: graded (and reported) like a new submission
                self.sha[sub.student_id] = ""
        if regrade:
            return {}
        done = self.graded()
        found = {s: done[(s, sha)] for s, sha in self.sha.items() if (s, sha) in done}
        if not found:
            return {}
        scores = gradebook.auto_code_scores(self.state, self.assignment, found)
        kept = {}
        for student, data in found.items():
            result = Result(**{k: v for k, v in data.items() if k in Result.__dataclass_fields__})
            if student in scores and abs(scores[student] - result.score) <= 1e-9:
                kept[student] = result
        return kept

    # --- writing -------------------------------------------------------------------------

    def _append(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry, sort_keys=True) + "\n").encode()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # end a line cut short (power cut, full disk) so this one stays whole
            os.write(fd, line)       # one write of one line: O_APPEND keeps lines whole
            os.fsync(fd)
        finally:
            os.close(fd)

    def record(self, result: Result) -> None:
        """A submission's grades are in the gradebook: remember them with their key."""
        self._append({"event": "graded", "student": result.student_id, "sha256": self.sha.get(result.student_id, ""),
                      "source": self.source, "time": time.time(), "result": asdict(result)})
