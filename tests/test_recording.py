"""Workers execute, the coordinator scores once: a batch recorded without a kernel.

The Execute step is replaced by a stand-in that runs nothing (a test cell fails when the answer
cell before it is still the release's stub), so the whole batch runs here in a few seconds: intake,
stage, a worker's task and its nbgrader Autograde run, the recording into the real gradebook with
the configured late penalty, feedback, the journal and grades.csv. What the sandboxed kernels do is
tests/test_grading.py's (slow)."""
from __future__ import annotations

import datetime as dt
import pickle
import shutil

import nbformat
import pytest
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import build, config, course, gradebook, grade, grades_csv, stage, worker
from autograder import notebooks as nbtools
from autograder.results import Limits, Options, Status
from conftest import FIXTURES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"
pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")   # nbgrader's own autoflush noise


class NoKernelExecute(NbGraderPreprocessor):
    """Stands in for the Execute step: no kernel; a test cell gets an error output when the answer
    cell before it still raises the release's NotImplementedError."""

    def preprocess(self, nb, resources):
        answer = ""
        for cell in nb.cells:
            meta = nbtools.grade_meta(cell)
            if meta.get("solution"):
                answer = cell.source
            elif meta.get("grade") and cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="stub",
                                                       traceback=[])] if "NotImplementedError" in answer else []
        return nb, resources


@pytest.fixture
def no_kernel(monkeypatch):
    """Workers run NoKernelExecute; returns the list of (student, gradebook URL) of every scoring."""
    from nbgrader.preprocessors import SaveAutoGrades

    monkeypatch.setattr(config, "execution_steps", lambda c: [NoKernelExecute])
    scored, real = [], SaveAutoGrades.preprocess

    def spy(self, nb, resources):
        scored.append((resources["nbgrader"]["student"], resources["nbgrader"]["db_url"]))
        return real(self, nb, resources)

    monkeypatch.setattr(SaveAutoGrades, "preprocess", spy)
    return scored


def _due(state, tmp_path, due: dt.datetime) -> None:
    from nbgrader.api import Gradebook

    build.generate(ASSIGNMENT, state, tmp_path / "release")
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=due)


def _class(tmp_path):
    """ada: every answer (3 of 3), cy: rnn_step only (2), bob: the blank release (0)."""
    subs = tmp_path / "subs"
    release = tmp_path / "release" / ASSIGNMENT / "plain.ipynb"
    solved = {nbtools.grade_meta(c)["grade_id"]: c.source for c in nbtools.read(SOURCE).cells
              if nbtools.grade_meta(c).get("solution")}

    def answered(*ids):
        nb = nbtools.read(release)
        for cell in nb.cells:
            if nbtools.grade_meta(cell).get("grade_id") in ids:
                cell.source = solved[nbtools.grade_meta(cell)["grade_id"]]
        return nb

    for student, nb in (("ada", answered(*solved)), ("bob", answered()), ("cy", answered("rnn_step_answer"))):
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, str(subs / student / "plain.ipynb"))
    return subs


def test_a_batch_is_scored_once_into_the_real_gradebook_with_the_configured_late_penalty(
        fixture_state, tmp_path, no_kernel, monkeypatch):
    from nbgrader.api import Gradebook

    monkeypatch.setenv("RNNCOURSE_LATE_PENALTY_PER_DAY", "0.25")
    state, out = fixture_state, tmp_path / "out"
    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=3)
    _due(state, tmp_path, due)
    subs = _class(tmp_path)
    (subs / "ada" / "timestamp.txt").write_text((due + dt.timedelta(hours=30)).strftime(stage.STAMP_FORMAT))

    grade.grade_batch(ASSIGNMENT, subs, out, Options(state), workers=1, progress=False)
    rows = {r.student_id: r for r in grades_csv.read(out / "grades.csv")}
    assert {s: (r.score, r.max_score, r.status) for s, r in rows.items()} == {
        "ada": (3.0, 3.0, "graded"), "bob": (0.0, 3.0, "graded"), "cy": (2.0, 3.0, "graded")}
    assert rows["ada"].message == "Graded: all autograded tests pass."
    # a partial score names the test cells short of their points, as check() and the feedback name them
    assert rows["bob"].message == "Graded; not passing: rnn_step_test (0/2), count_params_test (0/1).", rows["bob"]
    assert rows["cy"].message == "Graded; not passing: count_params_test (0/1).", rows["cy"]
    # scored once per notebook, by this process, into the real gradebook (never a worker's own)
    assert sorted(no_kernel) == [(s, state.db_url) for s in ("ada", "bob", "cy")]
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        ada = gb.find_submission(ASSIGNMENT, "ada")
        assert ada.total_seconds_late == 30 * 3600
        assert float(ada.late_submission_penalty) == 1.5, "two started days at the configured 25 % of 3 points"
        assert float(gb.find_submission(ASSIGNMENT, "cy").late_submission_penalty or 0) == 0
    # feedback comes from the real gradebook: it shows the recorded penalty
    page = (out / "feedback" / "ada" / "plain.html").read_text()
    assert "Content-Security-Policy" in page and "Late submission penalty (Score: -1.5)" in page
    # its summary names the exercises and gives the autograded points grades.csv shows (before the penalty)
    assert "<code>rnn_step_test</code>" in page and "Test cell" not in page and "Autograded tests: 3.0 / 3.0" in page
    # a re-run reuses the journal: nothing is executed or scored again, grades.csv is the same
    before = (out / "grades.csv").read_text()
    grade.grade_batch(ASSIGNMENT, subs, out, Options(state), workers=1, progress=False)
    assert len(no_kernel) == 3
    strip = [line.rsplit(",", 1)[0] for line in before.splitlines()]
    assert [line.rsplit(",", 1)[0] for line in (out / "grades.csv").read_text().splitlines()] == strip


def test_recording_a_hand_made_notebook_assigns_the_configured_penalty(fixture_state, tmp_path):
    """What the coordinator does with a worker's executed notebook, without any worker: nbgrader's
    own SaveAutoGrades and AssignLatePenalties, built from the course's Config (PerDayPenalty)."""
    from nbgrader.api import Gradebook

    due = dt.datetime(2026, 11, 20, 17, 0)
    _due(fixture_state, tmp_path, due)
    executed = nbtools.read(SOURCE)               # no error output anywhere: full marks
    gradebook.record(fixture_state, ASSIGNMENT, "bob", {"plain": executed}, due + dt.timedelta(hours=30))
    assert gradebook.read_scores(fixture_state, ASSIGNMENT, "bob")["score"] == 3.0
    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        assert float(gb.find_submission(ASSIGNMENT, "bob").late_submission_penalty) == 0.6   # 2 days at 10 %
    # not scored (nothing executed): every autograded test cell scores 0
    gradebook.record(fixture_state, ASSIGNMENT, "bob", {"plain": executed}, None, score=False)
    assert gradebook.read_scores(fixture_state, ASSIGNMENT, "bob")["score"] == 0.0


def test_a_workers_task_carries_file_contents_and_limits_only(tmp_path):
    """No gradebook URL (it may hold a password) and no state folder reach a worker."""
    state = course.State.from_env(tmp_path / "state", db_url="postgresql://user:secret@host/db",
                                  source=FIXTURES / "course")
    staged = stage.staged_folder(state, "s1", ASSIGNMENT)
    staged.mkdir(parents=True)
    shutil.copyfile(SOURCE, staged / "plain.ipynb")
    task = next(grade.tasks(ASSIGNMENT, ["s1"], Options(state, cell_timeout=7)))
    data = pickle.dumps(task)
    assert b"secret" not in data and b"postgresql" not in data and str(state.root).encode() not in data
    assert task.limits == Limits(cell_timeout=7)
    assert set(task.files) == {"plain.ipynb"} and set(task.source) == {"plain.ipynb"}


def test_a_worker_executes_without_scoring(fixture_state, tmp_path, no_kernel):
    build.generate(ASSIGNMENT, fixture_state, tmp_path / "release")
    task = worker.Task(ASSIGNMENT, "ada", {"plain.ipynb": SOURCE.read_bytes()}, grade.source_files(fixture_state, ASSIGNMENT),
                       grade.private_gradebook(ASSIGNMENT, fixture_state.source), Limits())
    outcome = worker.execute(task)
    assert outcome.executed and outcome.result.status == Status.GRADED, outcome.result
    assert outcome.result.score == 0.0 and no_kernel == [], "a worker does not score"
    assert "plain.ipynb" in outcome.autograded
    result, recorded = grade.record_outcome(outcome, ["a note"], fixture_state, config.api_for(fixture_state))
    assert recorded and (result.score, result.message) == (3.0, "Graded: all autograded tests pass. A note.")
    assert no_kernel == [("ada", fixture_state.db_url)]


def test_a_worker_that_fails_returns_an_error_row(tmp_path):
    task = worker.Task(ASSIGNMENT, "ada", {}, {}, b"not a gradebook", Limits())
    outcome = worker.execute(task)
    assert (outcome.result.status, outcome.executed) == (Status.ERROR, False)
    assert outcome.result.message.startswith("Grading stopped:")
