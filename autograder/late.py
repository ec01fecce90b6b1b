"""Late submissions, as nbgrader handles them: the exchange's (or LMS's) timestamp against the
assignment's due date, and a penalty from a ``LateSubmissionPlugin``.

The due date is nbgrader's: ``nbgrader db assignment add 01_sequences --duedate="2026-12-01 17:00 UTC"``.
The penalty is ``PerDayPenalty``: a fraction of the notebook's score per started day late (10 % by
default, at most the whole score). Change it in ``nbgrader_config.py``::

    c.PerDayPenalty.fraction_per_day = 0.25     # or 0 for no penalty; the lateness is still reported

or with ``RNNCOURSE_LATE_PENALTY_PER_DAY``. nbgrader's own plugins work too
(``c.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"`` with
``c.LateSubmissionPlugin.penalty_method = "zero"``). The penalty is stored in the gradebook, where
formgrader, feedback and ``nbgrader export`` show it; ``python -m autograder grade`` also notes it in
``grades.csv`` (whose score stays the autograded points), and the grades export subtracts it.
"""
from __future__ import annotations

import math
import os

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, default

from autograder import course

DAY = 24 * 3600


class PerDayPenalty(LateSubmissionPlugin):
    """A fraction of the notebook's score off per started day late."""

    fraction_per_day = Float(help="fraction of the score taken off per started day late").tag(config=True)
    max_fraction = Float(1.0, help="at most this fraction of the score is taken off").tag(config=True)

    @default("fraction_per_day")
    def _fraction_per_day_default(self):
        return float(os.environ.get("RNNCOURSE_LATE_PENALTY_PER_DAY", "0.1"))

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / DAY)
        return round(score * min(self.max_fraction, days * self.fraction_per_day), 2)


def assess(state: course.State, assignment: str, students: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """Apply the configured late penalty (nbgrader's AssignLatePenalties) to every notebook of each
    submission of ``assignment`` (all students when ``students`` is None), with the current scores,
    manual grades included. Returns {student: (seconds late, penalty points)} for the late ones."""
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties

    from autograder import config as nbconfig

    config = nbconfig.nbgrader_config(state)
    late = {}
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        try:
            subs = gb.assignment_submissions(assignment)
        except MissingEntry:
            return late
        work = [(s.student.id, [nb.name for nb in s.notebooks]) for s in subs
                if students is None or s.student.id in students]
    for student, notebooks in work:
        for name in notebooks:
            resources = {"nbgrader": {"notebook": name, "assignment": assignment, "student": student,
                                      "db_url": state.db_url}}
            AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), resources)
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        for student, _ in work:
            sub = gb.find_submission(assignment, student)
            if sub.total_seconds_late > 0:
                late[student] = (float(sub.total_seconds_late), float(sub.late_submission_penalty or 0))
    return late


def note_late(results: list, late: dict[str, tuple[float, float]]) -> list:
    """Say in each late result's message how late it was and what it cost."""
    for r in results:
        if r.student_id in late:
            seconds, penalty = late[r.student_id]
            when = f"{seconds / 3600:.1f} h" if seconds >= 360 else f"{seconds / 60:.0f} min"
            r.message = f"{r.message} Late by {when}: {penalty:g} points off.".strip()
    return results
