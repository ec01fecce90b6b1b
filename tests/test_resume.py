"""Nothing is lost: a grader SIGKILLed mid-batch resumes and grades every submission exactly once;
re-running is idempotent; --regrade grades again with the same grades; originals never change.

The batch runs as ``python -m autograder grade`` would (``autograder.cli.main`` in a subprocess, in
its own process group) on the NumPy-only fixture, with one worker so grading happens in that
process. The subprocess wraps ``worker.autograde_one`` to log every execution's start and end, which
is how "exactly once" is counted independently of the grader's own journal.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import build, course
from autograder import notebooks as nbtools
from conftest import FIXTURES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("resume")]

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course"
REPO = Path(__file__).resolve().parent.parent

ANSWERS = {   # student -> (rnn_step answer, count_params answer, expected score of 3)
    "s1_correct": ("return np.tanh(W_x @ x + W_h @ h + b)", "return units * (units + features + 1)", 3.0),
    "s2_blank": (None, None, 0.0),
    "s3_step_only": ("return np.tanh(W_x @ x + W_h @ h + b)", "return 0", 2.0),
    "s4_params_only": ("return x", "return units * (units + features + 1)", 1.0),
}

# Runs the CLI exactly as `python -m autograder` does, logging each autograde execution.
WRAPPER = """
import json, os, sys, time
from autograder import cli, worker
log, real = os.environ["EXEC_LOG"], worker.autograde_one
def logged(assignment, student, *args):
    def write(event):
        with open(log, "a") as fh:
            fh.write(json.dumps({"event": event, "student": student, "run": os.environ["RUN"]}) + "\\n")
    write("start")
    result = real(assignment, student, *args)
    write("end")
    return result
worker.autograde_one = logged
sys.exit(cli.main(sys.argv[1:]))
"""


def _make_class(tmp: Path) -> Path:
    build.generate(ASSIGNMENT, course.State.from_env(tmp / "gen", source=SOURCE), tmp / "release")
    blank = nbtools.read(tmp / "release" / ASSIGNMENT / "plain.ipynb")
    subs = tmp / "subs"
    for student, (step, params, _) in ANSWERS.items():
        nb = nbformat.from_dict(json.loads(json.dumps(blank)))
        answers = [c for c in nb.cells if nbtools.grade_meta(c).get("solution")]
        if step is not None:
            answers[0].source = "def rnn_step(x, h, W_x, W_h, b):\n    " + step
            answers[1].source = "def count_params(units, features):\n    " + params
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, str(subs / student / "plain.ipynb"))
    (subs / "s5_notjson").mkdir()
    (subs / "s5_notjson" / "plain.ipynb").write_text("not a notebook")
    return subs


def _start(tmp: Path, subs: Path, run: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "EXEC_LOG": str(tmp / "exec.log"), "RUN": run}
    cmd = [sys.executable, "-c", WRAPPER, "grade", ASSIGNMENT, str(subs), "--source", str(SOURCE),
           "--state", str(tmp / "state"), "--out", str(tmp / "out"), "--workers", "1", "--quiet",
           "--cell-timeout", "20", "--notebook-timeout", "60", *extra]
    return subprocess.Popen(cmd, cwd=REPO, env=env, start_new_session=True,
                            stdout=open(tmp / f"{run}.out", "w"), stderr=subprocess.STDOUT)


def _finish(proc: subprocess.Popen, tmp: Path, run: str, timeout: float = 400) -> None:
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert rc == 0, (tmp / f"{run}.out").read_text()[-3000:]


def _events(tmp: Path) -> list[dict]:
    path = tmp / "exec.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _journal_graded(tmp: Path) -> list[str]:
    path = tmp / "state" / "journal" / f"{ASSIGNMENT}.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_bytes().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "graded":
            out.append(entry["student"])
    return out


def _gradebook(tmp: Path) -> dict[str, tuple[float, int]]:
    from nbgrader.api import Gradebook

    state = course.State.from_env(tmp / "state", source=SOURCE)
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        return {s.id: (float(s.submissions[0].code_score) if s.submissions else None, len(s.submissions))
                for s in gb.students}


@pytest.fixture(scope="module")
def resumed(tmp_path_factory, checksums):
    """A batch SIGKILLed (whole process group) right after its first submission is recorded,
    then re-run to the end."""
    tmp = tmp_path_factory.mktemp("resume")
    subs = _make_class(tmp)
    originals = checksums(subs)

    proc = _start(tmp, subs, "killed")
    deadline = time.monotonic() + 300
    while not _journal_graded(tmp):
        assert proc.poll() is None, "the batch ended before it could be killed:\n" + (tmp / "killed.out").read_text()
        assert time.monotonic() < deadline, "no submission was recorded in time"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_graded = _journal_graded(tmp)
    killed_events = _events(tmp)

    _finish(_start(tmp, subs, "resumed"), tmp, "resumed")
    return tmp, subs, originals, killed_graded, killed_events


def test_killed_batch_resumes_and_grades_every_submission_exactly_once(resumed, read_grades, checksums):
    tmp, subs, originals, killed_graded, killed_events = resumed
    graded_students = set(ANSWERS)
    assert killed_graded and set(killed_graded) < graded_students, "the kill should land mid-batch"

    events = _events(tmp)
    ends = [e["student"] for e in events if e["event"] == "end"]
    assert sorted(ends) == sorted(graded_students), f"each submission must be graded exactly once: {events}"
    resumed_starts = {e["student"] for e in events if e["event"] == "start" and e["run"] == "resumed"}
    assert not resumed_starts & set(killed_graded), "what was recorded before the kill was graded again"
    assert sorted(_journal_graded(tmp)) == sorted(graded_students)

    rows = read_grades(tmp / "out")
    assert set(rows) == graded_students | {"s5_notjson"}
    for student, (_, _, score) in ANSWERS.items():
        assert (float(rows[student]["score"]), rows[student]["status"]) == (score, "graded"), rows[student]
        assert (tmp / "out" / "feedback" / student / "plain.html").is_file()
    assert rows["s5_notjson"]["status"] == "invalid"
    # the gradebook agrees with grades.csv: one submission per student, same score
    assert _gradebook(tmp) == {s: (float(rows[s]["score"]), 1) for s in graded_students}
    assert checksums(subs) == originals


def test_rerun_is_idempotent_and_regrade_grades_again_with_the_same_grades(resumed, read_grades, checksums):
    tmp, subs, originals, _, _ = resumed
    before, book = read_grades(tmp / "out"), _gradebook(tmp)
    before_untimed = read_grades(tmp / "out", timing=False)
    runs_before = len(_events(tmp))

    _finish(_start(tmp, subs, "again"), tmp, "again")
    assert len(_events(tmp)) == runs_before, "an unchanged batch should not be executed again"
    assert read_grades(tmp / "out") == before                     # recorded results are reused: identical file
    assert _gradebook(tmp) == book

    _finish(_start(tmp, subs, "regrade", "--regrade"), tmp, "regrade")
    regraded = [e["student"] for e in _events(tmp) if e["run"] == "regrade" and e["event"] == "end"]
    assert sorted(regraded) == sorted(ANSWERS)
    assert read_grades(tmp / "out", timing=False) == before_untimed
    assert _gradebook(tmp) == book                  # still one submission each, same scores
    assert checksums(subs) == originals
