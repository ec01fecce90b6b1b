"""The real gradebook (SQLite in the state folder, or any SQLAlchemy URL such as PostgreSQL):
what the coordinator writes into it and reads back. Nothing else opens it.

Several processes (or hosts) writing one nbgrader gradebook is where grades get lost: SQLite
answers "database is locked" when two writers collide (nbgrader's FAQ says it is not safe for
several graders), and a worker on another host cannot even see a SQLite file. So only the
coordinating process (grade.py) calls ``record``, one submission at a time, and workers only
execute (worker.py).

``record`` scores a submission's executed notebooks with the configured scoring steps of nbgrader
autograde (``SaveAutoGrades``, ``AssignLatePenalties`` with the course's late-penalty plugin, ...;
see ``config.scoring_steps``), so the gradebook holds exactly what serial ``nbgrader autograde``
would record, and this is the one place a score is computed. ``read_scores`` reads it back for
grades.csv.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from autograder import course


def auto_code_score(submission) -> float:
    """Autograded points of a gradebook submission, without the manual scores an instructor entered
    in formgrader over autograded cells (those replace ``code_score`` but must survive re-runs)."""
    return sum(float(g.auto_score or 0) for nb in submission.notebooks for g in nb.grades
               if g.cell_type == "code")


def record(state: course.State, assignment: str, student: str, notebooks: dict, submitted_at: datetime | None,
           score: bool = True) -> None:
    """Record one submission of ``assignment`` by ``student``: the student, the submission (with its
    submission time when known), and its ``notebooks`` ({name: executed NotebookNode}) scored by the
    configured scoring steps. A notebook of the assignment that is not among them scores 0, as
    nbgrader does for a missing notebook; with ``score=False`` (nothing was executed) every
    autograded test cell scores 0."""
    from nbgrader.api import Gradebook

    from autograder import config

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_student(student)
        if submitted_at is not None:
            gb.update_or_create_submission(assignment, student, timestamp=submitted_at)
        else:
            gb.update_or_create_submission(assignment, student)
        for nb in gb.find_assignment(assignment).notebooks:
            if not score or nb.name not in notebooks:
                for g in gb.find_submission_notebook(nb.name, assignment, student).grades:
                    if nb.name not in notebooks or g.cell_type == "code":
                        g.auto_score, g.needs_manual_grade = 0, False
        gb.db.commit()
    if not score:
        return
    nbconfig = config.nbgrader_config(state)
    steps = config.scoring_steps(nbconfig)
    for name, nb in notebooks.items():
        resources = {"nbgrader": {"notebook": name, "assignment": assignment, "student": student,
                                  "db_url": state.db_url}}
        for step in steps:
            nb, resources = step(config=nbconfig)(nb, resources)


def read_scores(state: course.State, assignment: str, student: str) -> dict:
    """The recorded autograded scores of one submission, as grades.csv shows them: ``score`` and
    ``max_score`` (code cells; manual scores entered over them in formgrader left out),
    ``written_max``, ``notebooks`` ({name: [score, max score]}) and ``failing``: (notebook, test
    cell grade_id, score, max score) of each autograded test cell short of its points."""
    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        sub = gb.find_submission(assignment, student)
        notebooks = {nb.name: [sum(float(g.auto_score or 0) for g in nb.grades if g.cell_type == "code"),
                               float(nb.max_code_score)] for nb in sub.notebooks}
        failing = [(nb.name, g.name, float(g.auto_score or 0), float(g.max_score))
                   for nb in sub.notebooks for g in nb.grades
                   if g.cell_type == "code" and float(g.auto_score or 0) < float(g.max_score)]
        return {"score": auto_code_score(sub), "max_score": float(sub.max_code_score),
                "written_max": float(sub.max_written_score), "notebooks": notebooks, "failing": failing}


def max_scores(state: course.State, assignment: str) -> tuple[float, float]:
    """(autograded, written) points of ``assignment``."""
    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        a = gb.find_assignment(assignment)
        return float(a.max_code_score), float(a.max_written_score)


def auto_code_scores(state: course.State, assignment: str, students: Iterable[str]) -> dict[str, float]:
    """Autograded points the gradebook holds for each of ``students`` who has a submission."""
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        for student in students:
            try:   # autograded points: a manual score entered in formgrader is not a change
                scores[student] = auto_code_score(gb.find_submission(assignment, student))
            except MissingEntry:
                pass
    return scores
