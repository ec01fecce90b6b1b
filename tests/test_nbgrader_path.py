"""One grading path: ``nbgrader autograde`` (what formgrader's per-student Autograde button runs, with
this repository's nbgrader_config.py) takes the same trusted steps as ``python -m autograder grade``:
the submission rebuilt on the release, then the two kernels. A submission whose answers are zeros and
whose check helpers were given a no-op ``__code__`` scores 0 there too; a correct one full marks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import build, course
from conftest import FIXTURES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"

CHEAT = '''import numpy as np
import rnncourse.checks as _c
_c.check_close.__code__ = (lambda *a, **k: None).__code__
_c.check_true.__code__ = (lambda *a, **k: None).__code__
check_close = check_true = lambda *a, **k: None

def rnn_step(x, h, W_x, W_h, b):
    """One recurrent step: tanh(W_x x + W_h h + b)."""
    return np.zeros(len(b))
'''


def _submit(state: course.State, student: str, nb) -> None:
    folder = state.collected / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, str(folder / "plain.ipynb"))


@pytest.mark.slow
def test_nbgrader_autograde_gives_the_trusted_score(tmp_path):
    state = course.State.from_env(tmp_path / "state", source=FIXTURES / "course")
    build.generate(ASSIGNMENT, state, tmp_path / "release")       # records the assignment in the gradebook
    release = nbformat.read(str(tmp_path / "release" / ASSIGNMENT / "plain.ipynb"), as_version=4)
    cheat = nbformat.from_dict(release)
    answers = [c for c in cheat.cells if (c.metadata.get("nbgrader") or {}).get("solution")]
    answers[0].source = CHEAT
    answers[1].source = "def count_params(units, features):\n    return 0"
    _submit(state, "cheat", cheat)
    _submit(state, "honest", nbformat.read(str(SOURCE), as_version=4))

    env = dict(os.environ, RNNCOURSE_STATE=str(state.root), RNNCOURSE_SOURCE=str(FIXTURES / "course"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for student in ("cheat", "honest"):
        proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT,
                               "--student", student, "--force"],
                              cwd=course.REPO, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]

    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        scores = {s: float(gb.find_submission(ASSIGNMENT, s).code_score) for s in ("cheat", "honest")}
    assert scores == {"cheat": 0.0, "honest": 3.0}
    graded = nbformat.read(str(state.autograded / "cheat" / ASSIGNMENT / "plain.ipynb"), as_version=4)
    tests = [c for c in graded.cells if (c.metadata.get("nbgrader") or {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    assert all(any(o.get("output_type") == "error" for o in c.outputs) for c in tests)


def test_a_state_folder_the_grader_made_has_the_exchange_nbgrader_lists(tmp_path, monkeypatch):
    """formgrader and the Assignments tab list the exchange on every page load: on a state folder the
    grader made (build, grade, roster) that works at once, with nothing released yet, instead of
    "Unwritable directory" in the log and formgrader's "does not exist and could not be created"."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    from autograder import config

    monkeypatch.delenv("RNNCOURSE_EXCHANGE", raising=False)
    state = course.State.from_env(tmp_path / "state", source=FIXTURES / "course")
    config.api_for(state)
    c = config.nbgrader_config(state)
    lister = ExchangeFactory(config=c).List(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c),
                                            config=c)
    assert lister.start() == [] and state.exchange.is_dir()


def test_a_shared_exchange_is_the_one_every_part_of_the_grader_uses(tmp_path, monkeypatch):
    """On a hub ``RNNCOURSE_EXCHANGE`` names the shared exchange: nbgrader's commands, formgrader and
    the grader's release time all read that one (the release time used to look in the state
    folder's own exchange there, found nothing, and so never checked a timestamp against it), and
    the state folder gets no exchange of its own."""
    from autograder import config, grade

    shared = tmp_path / "srv-exchange"
    outbound = shared / course.COURSE_ID / "outbound" / ASSIGNMENT
    outbound.mkdir(parents=True)
    monkeypatch.setenv("RNNCOURSE_EXCHANGE", str(shared))
    state = course.State.from_env(tmp_path / "state", source=FIXTURES / "course").create()
    assert state.exchange == shared and not (state.root / "exchange").exists()
    assert config.nbgrader_config(state).Exchange.root == str(shared)
    assert grade.release_time(state, ASSIGNMENT) is not None
