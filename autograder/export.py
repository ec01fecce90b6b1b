"""The grades export: one row per student on the roster, every assignment, ready for the LMS.

``python -m autograder export --out class_grades.csv`` writes, for every student on the imported
roster (autograder/roster.py) and anyone else the gradebook knows, each assignment's final score:
autograded plus manual points minus the late penalty (re-assessed first, so manual grades entered
in formgrader count), **0 for a student who never submitted**, with a status column saying
``submitted``, ``late`` or ``not submitted`` and whether the student is on the roster.
"""
from __future__ import annotations

import csv
from pathlib import Path

from autograder import course, late, roster


def rows(state: course.State) -> tuple[list[str], list[dict]]:
    from nbgrader.api import Gradebook, MissingEntry

    on_roster = roster.load(state)
    rostered = {s.id for s in on_roster} if on_roster is not None else None
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        assignments = sorted(a.name for a in gb.assignments)
    for assignment in assignments:
        late.assess(state, assignment)
    columns = ["student_id", "last_name", "first_name", "email", "lms_user_id", "on_roster"]
    for a in assignments:
        columns += [a, f"{a} status"]
    columns += ["total", "max_total"]
    out = []
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        maxima = {a.name: float(a.max_score) for a in gb.assignments}
        for student in sorted(gb.students, key=lambda s: ((s.last_name or s.id).lower(), s.id)):
            row = {"student_id": student.id, "last_name": student.last_name or "",
                   "first_name": student.first_name or "", "email": student.email or "",
                   "lms_user_id": student.lms_user_id or "",
                   "on_roster": "" if rostered is None else ("yes" if student.id in rostered else "NO")}
            total = 0.0
            for a in assignments:
                try:
                    sub = gb.find_submission(a, student.id)
                except MissingEntry:
                    row[a], row[f"{a} status"] = 0, "not submitted"
                    continue
                penalty = float(sub.late_submission_penalty or 0)
                score = max(0.0, float(sub.score) - penalty)
                row[a] = round(score, 2)
                row[f"{a} status"] = "late" if sub.total_seconds_late > 0 else "submitted"
                total += score
            row["total"], row["max_total"] = round(total, 2), round(sum(maxima.values()), 2)
            out.append(row)
    return columns, out


def write(state: course.State, path: Path) -> list[dict]:
    columns, table = rows(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(table)
    return table
