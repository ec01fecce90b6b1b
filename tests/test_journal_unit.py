"""The journal that makes a batch resumable (autograder/journal.py), tested directly: what a key is
made of, what survives a kill, and when a recorded result may be reused. No kernel and no batch;
the end-to-end kill-and-resume run is tests/test_resume.py."""
from __future__ import annotations

import json

import pytest

from autograder import course, journal
from autograder.results import Result

ASSIGNMENT = "00_unit"


@pytest.fixture
def state(tmp_path):
    source = tmp_path / "source"
    (source / ASSIGNMENT).mkdir(parents=True)
    (source / ASSIGNMENT / "a.ipynb").write_text('{"cells": []}')
    return course.State(tmp_path / "state", f"sqlite:///{tmp_path / 'gradebook.db'}", source)


def files(tmp_path, **notebooks: bytes) -> dict:
    out = {}
    for name, data in notebooks.items():
        path = tmp_path / "sub" / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out[name] = path
    return out


class Sub:
    """What ``already_graded`` needs of an intake.Submission."""

    def __init__(self, student_id: str, files: dict):
        self.student_id, self.files = student_id, files


def result(student: str, score: float) -> Result:
    return Result(student, ASSIGNMENT, score=score, max_score=3.0, message="Graded.", duration_s=1.5)


# --- keys ----------------------------------------------------------------------------------------

def test_checksum_is_over_names_and_bytes(tmp_path):
    a = journal.checksum(files(tmp_path / "1", a=b"one", b=b"two"))
    assert a == journal.checksum(files(tmp_path / "2", b=b"two", a=b"one"))      # order does not matter
    assert a != journal.checksum(files(tmp_path / "3", a=b"one", b=b"two!"))     # bytes do
    assert a != journal.checksum(files(tmp_path / "4", a=b"one", c=b"two"))      # names do
    # lengths are part of the key: moving bytes between name and content is another submission
    assert journal.checksum(files(tmp_path / "5", a=b"bc")) != journal.checksum(files(tmp_path / "6", ab=b"c"))


def test_source_checksum_changes_with_the_assignment_notebooks_only(state):
    before = journal.source_checksum(ASSIGNMENT, state.source)
    (state.source / ASSIGNMENT / "notes.txt").write_text("not a notebook")
    assert journal.source_checksum(ASSIGNMENT, state.source) == before
    (state.source / ASSIGNMENT / "a.ipynb").write_text('{"cells": [1]}')
    assert journal.source_checksum(ASSIGNMENT, state.source) != before


# --- writing and reading -------------------------------------------------------------------------

def test_a_recorded_result_reads_back_under_its_key(state, tmp_path):
    jnl = journal.Journal(state, ASSIGNMENT)
    jnl.sha["s1"] = journal.checksum(files(tmp_path, a=b"answer"))
    jnl.record(result("s1", 2.0))
    assert jnl.path == state.root / "journal" / f"{ASSIGNMENT}.jsonl"
    assert jnl.path.read_bytes().count(b"\n") == 1 and jnl.path.read_bytes().endswith(b"\n")
    got = journal.Journal(state, ASSIGNMENT).graded()
    assert list(got) == [("s1", jnl.sha["s1"])]
    assert Result(**got[("s1", jnl.sha["s1"])]) == result("s1", 2.0)


def test_the_latest_line_for_a_key_wins(state):
    jnl = journal.Journal(state, ASSIGNMENT)
    jnl.sha["s1"] = "k"
    jnl.record(result("s1", 1.0))
    jnl.record(result("s1", 3.0))
    assert jnl.graded()[("s1", "k")]["score"] == 3.0
    assert len(jnl.entries()) == 2                                   # appended, never rewritten


def test_a_line_cut_short_by_a_kill_and_other_garbage_are_ignored(state):
    jnl = journal.Journal(state, ASSIGNMENT)
    jnl.sha["s1"] = "k"
    jnl.record(result("s1", 2.0))
    with open(jnl.path, "ab") as fh:
        fh.write(b'{"event": "graded", "student": "s2", "sha256": "k2", "res')   # SIGKILL mid-write
    jnl.sha["s3"] = "k3"
    jnl.record(result("s3", 1.0))
    with open(jnl.path, "ab") as fh:
        fh.write(b"\xff\xfe not utf-8\n[1, 2, 3]\n")
    assert set(jnl.graded()) == {("s1", "k"), ("s3", "k3")}


def test_results_for_another_version_of_the_assignment_are_not_reused(state):
    jnl = journal.Journal(state, ASSIGNMENT)
    jnl.sha["s1"] = "k"
    jnl.record(result("s1", 2.0))
    (state.source / ASSIGNMENT / "a.ipynb").write_text('{"cells": ["a new test"]}')
    assert journal.Journal(state, ASSIGNMENT).graded() == {}


def test_nothing_recorded_means_nothing_to_reuse(state):
    jnl = journal.Journal(state, ASSIGNMENT)
    assert jnl.entries() == [] and jnl.graded() == {}


# --- reuse needs the journal AND the gradebook -----------------------------------------------------

@pytest.fixture
def gradebook(state):
    """The gradebook holds a submission of s1 (code score 0) and s2 (code score 0); s3 has none."""
    from nbgrader.api import Gradebook

    state.root.mkdir(parents=True, exist_ok=True)
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_assignment(ASSIGNMENT)
        for student in ("s1", "s2", "s3"):
            gb.update_or_create_student(student)
        for student in ("s1", "s2"):
            gb.add_submission(ASSIGNMENT, student)
    return state


@pytest.mark.filterwarnings("ignore:.*not in session.*")      # nbgrader's own autoflush noise
def test_reused_only_when_checksum_and_gradebook_score_agree(gradebook, tmp_path):
    state = gradebook
    subs = {s: Sub(s, files(tmp_path / s, a=s.encode())) for s in ("s1", "s2", "s3", "s4")}
    first = journal.Journal(state, ASSIGNMENT)
    assert first.already_graded(subs.values()) == {}
    first.record(result("s1", 0.0))        # the gradebook agrees (0 points)
    first.record(result("s2", 2.0))        # the gradebook says 0: recorded differently, grade again
    first.record(result("s3", 0.0))        # no submission in the gradebook: grade again
    # s4 was never recorded

    again = journal.Journal(state, ASSIGNMENT)
    kept = again.already_graded(subs.values())
    assert kept == {"s1": result("s1", 0.0)}
    assert set(again.sha) == set(subs)                           # every submission was checksummed

    changed = dict(subs, s1=Sub("s1", files(tmp_path / "s1-new", a=b"a new answer")))
    assert journal.Journal(state, ASSIGNMENT).already_graded(changed.values()) == {}
    assert journal.Journal(state, ASSIGNMENT).already_graded(subs.values(), regrade=True) == {}


def test_the_journal_line_is_plain_json_with_its_key(state):
    jnl = journal.Journal(state, ASSIGNMENT)
    jnl.sha["s1"] = "k"
    jnl.record(result("s1", 2.0))
    (entry,) = [json.loads(line) for line in jnl.path.read_text().splitlines()]
    assert {k: entry[k] for k in ("event", "student", "sha256", "source")} == {
        "event": "graded", "student": "s1", "sha256": "k", "source": jnl.source}
    assert entry["result"]["score"] == 2.0 and isinstance(entry["time"], float)
