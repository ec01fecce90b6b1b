"""Roster import from LMS exports, the flag on submissions from strangers, late penalties as nbgrader
assigns them, and the grades export that lists every rostered student (0 for no submission).
No kernel runs here: submissions and their scores are written into the gradebook directly."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from autograder import build, cli, course, late, roster
from autograder.results import Result

CANVAS = '''Student,ID,SIS User ID,SIS Login ID,Section,Lesson 01 (123)
    Points Possible,,,,,10
"Liddell, Alice",1001,S1001,alice,RNN,
"Builder, Bob",1002,S1002,bob,RNN,
"Dodo, Dave",1004,S1004,dave,RNN,
'''
MOODLE = '''First name,Surname,ID number,Username,Email address
Alice,Liddell,S1001,alice,alice@example.org
'''
NBGRADER = '''id,first_name,last_name,email
alice,Alice,Liddell,alice@example.org
'''


@pytest.mark.parametrize("text", [CANVAS, MOODLE, NBGRADER], ids=["canvas", "moodle", "nbgrader"])
def test_lms_exports_are_read_with_names(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    students = roster.read_csv(path)
    alice = students[0]
    assert (alice.id, alice.first_name, alice.last_name) == ("alice", "Alice", "Liddell")
    assert "Points Possible" not in {s.last_name for s in students}
    if text is CANVAS:
        assert [s.id for s in students] == ["alice", "bob", "dave"] and alice.lms_user_id == "S1001"


def test_a_csv_without_a_student_id_column_is_refused(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("name,score\nAlice,3\n")
    with pytest.raises(roster.RosterError, match="no student id column"):
        roster.read_csv(path)
    assert cli.main(["roster", "import", str(path), "--state", str(tmp_path / "state")]) == 2


def _class(fixture_state, tmp_path, due):
    """00_plain with a due date; alice on time (2 of 3 points), bob two days late (3 of 3), dave
    on the roster without a submission, mallory submitted without being on the roster."""
    from nbgrader.api import Gradebook

    (tmp_path / "roster.csv").write_text(CANVAS)
    assert cli.main(["roster", "import", str(tmp_path / "roster.csv"), "--state", str(fixture_state.root),
                     "--db", fixture_state.db_url]) == 0
    build.generate("00_plain", fixture_state, tmp_path / "release")
    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_assignment("00_plain", duedate=due)
        for student, when, points in (("alice", due - dt.timedelta(hours=1), {"rnn_step_test": 2}),
                                      ("bob", due + dt.timedelta(hours=30), {"rnn_step_test": 2, "count_params_test": 1}),
                                      ("mallory", due, {})):
            gb.update_or_create_student(student)
            gb.add_submission("00_plain", student, timestamp=when)
            for g in gb.find_submission_notebook("plain", "00_plain", student).grades:
                g.auto_score = points.get(g.name, 0)
        gb.db.commit()


def test_roster_late_penalty_and_export(fixture_state, tmp_path):
    from nbgrader.api import Gradebook

    due = dt.datetime(2026, 11, 20, 17, 0)
    _class(fixture_state, tmp_path, due)
    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        alice = gb.find_student("alice")
        assert (alice.first_name, alice.last_name, alice.lms_user_id) == ("Alice", "Liddell", "S1001")

    assessed = late.assess(fixture_state, "00_plain")
    assert set(assessed) == {"bob"}
    assert assessed["bob"] == (30 * 3600.0, 0.6), "two started days late at 10 % a day of 3 points"

    results = [Result("alice", "00_plain", 2, 3, message="Graded."),
               Result("mallory", "00_plain", 0, 3, message="Graded.")]
    flagged = roster.flag_unrostered(results, fixture_state)
    assert flagged[0].message == "Graded."
    assert flagged[1].message.startswith(roster.NOT_ON_ROSTER), flagged[1].message
    noted = late.note_late([Result("bob", "00_plain", 3, 3, message="Graded.")], assessed)
    assert noted[0].message == "Graded. Late by 30.0 h: 0.6 points off."

    out = tmp_path / "class_grades.csv"
    assert cli.main(["export", "--out", str(out), "--state", str(fixture_state.root), "--db", fixture_state.db_url]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(open(out))}
    assert set(rows) == {"alice", "bob", "dave", "mallory"}
    assert (rows["alice"]["00_plain"], rows["alice"]["00_plain status"], rows["alice"]["on_roster"]) == ("2.0", "submitted", "yes")
    assert (rows["bob"]["00_plain"], rows["bob"]["00_plain status"]) == ("2.4", "late")
    assert (rows["dave"]["00_plain"], rows["dave"]["00_plain status"], rows["dave"]["first_name"]) == ("0", "not submitted", "Dave")
    assert rows["mallory"]["on_roster"] == "NO"


def test_the_penalty_is_configurable(monkeypatch):
    monkeypatch.setenv("RNNCOURSE_LATE_PENALTY_PER_DAY", "0.25")
    plugin = late.PerDayPenalty()
    assert plugin.late_submission_penalty("bob", 4.0, 1) == 1.0
    assert plugin.late_submission_penalty("bob", 4.0, 5 * late.DAY) == 4.0, "never more than the score"
    assert plugin.late_submission_penalty("bob", 4.0, 0) is None
    monkeypatch.setenv("RNNCOURSE_LATE_PENALTY_PER_DAY", "0")
    assert late.PerDayPenalty().late_submission_penalty("bob", 4.0, 3 * late.DAY) == 0
