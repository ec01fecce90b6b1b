"""The class roster: imported from an LMS export, so formgrader shows names and strangers stand out.

``python -m autograder roster import roster.csv`` reads the CSV an LMS exports (Canvas's gradebook
export, Moodle's participants, or nbgrader's own ``id,first_name,last_name,email`` format), records
each student in the gradebook with their name, email and LMS id (what ``nbgrader db student import``
does), and remembers the roster in the state folder (``roster.json``). From then on a graded
submission whose student id is not on the roster is flagged in ``grades.csv`` (and so in the class
report), and the grades export (autograder/export.py) lists every rostered student.
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder import course

# column names, in order of preference, of the LMS exports we read (compared case-insensitively)
ID_COLUMNS = ("sis login id", "login id", "username", "login", "student_id", "id")
LMS_ID_COLUMNS = ("lms_user_id", "sis user id", "id number", "user id")
FIRST_COLUMNS = ("first_name", "first name", "given name")
LAST_COLUMNS = ("last_name", "last name", "surname", "family name")
EMAIL_COLUMNS = ("email", "email address", "e-mail")
NOT_ON_ROSTER = "Not on the class roster: check who submitted this"


class RosterError(ValueError):
    """The CSV is not a roster we can read (says which column is missing)."""


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    lms_user_id: str | None = None


def _pick(row: dict, names: tuple[str, ...]) -> str | None:
    lowered = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
    for name in names:
        if lowered.get(name):
            return lowered[name]
    return None


def read_csv(path: Path) -> list[Student]:
    """Students of an LMS roster export; rows without a student id (Canvas's "Points Possible"
    line, test students) are skipped."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = {(h or "").strip().lower() for h in reader.fieldnames or []}
        if not header & set(ID_COLUMNS):
            raise RosterError(f"{path}: no student id column (one of: {', '.join(ID_COLUMNS)}); "
                              f"found: {', '.join(reader.fieldnames or [])}")
        students = []
        for row in reader:
            sid = _pick(row, ID_COLUMNS)
            if not sid or "points possible" in " ".join(str(v).lower() for v in row.values()):
                continue
            first, last = _pick(row, FIRST_COLUMNS), _pick(row, LAST_COLUMNS)
            full = _pick(row, ("student", "name", "full name"))
            if full and not (first or last):            # Canvas: "Last, First"
                last, _, first = (part.strip() for part in full.partition(",")) if "," in full else \
                    (full.rpartition(" ")[2], "", full.rpartition(" ")[0])
            students.append(Student(sid, first or None, last or None, _pick(row, EMAIL_COLUMNS),
                                    _pick(row, LMS_ID_COLUMNS)))
    return students


def roster_file(state: course.State) -> Path:
    return state.root / "roster.json"


def load(state: course.State) -> list[Student] | None:
    """The imported roster, or None when none was imported."""
    path = roster_file(state)
    if not path.is_file():
        return None
    return [Student(**entry) for entry in json.loads(path.read_text())]


def import_roster(students: list[Student], state: course.State) -> None:
    """Record the students in the gradebook (names, email, LMS id) and remember the roster."""
    from nbgrader.api import Gradebook

    state.create()
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        for s in students:
            gb.update_or_create_student(s.id, first_name=s.first_name, last_name=s.last_name,
                                        email=s.email, lms_user_id=s.lms_user_id)
    roster_file(state).write_text(json.dumps([asdict(s) for s in students], indent=1) + "\n")


def flag_unrostered(results: list, state: course.State) -> list:
    """Results (results.Result) of students not on the imported roster get a message saying so."""
    roster = load(state)
    if roster is None:
        return results
    known = {s.id for s in roster}
    for r in results:
        if r.student_id not in known and not r.message.startswith(NOT_ON_ROSTER):
            r.message = f"{NOT_ON_ROSTER}. {r.message}".strip()
    return results
