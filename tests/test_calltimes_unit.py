"""Each test's limit per call of the student's code, from the model solution (calltimes.py): what
is read from a measurement, when a measurement no longer counts, and where the limits go."""
from __future__ import annotations

import json
import pickle
import shutil

from traitlets.config import Config

from autograder import calltimes, config, course
from autograder.results import Options
from autograder.twokernel import TwoKernelExecute
from conftest import FIXTURES


def _course(tmp_path) -> course.State:
    shutil.copytree(FIXTURES / "course" / "00_plain", tmp_path / "source" / "00_plain")
    return course.State.from_env(tmp_path / "state", source=tmp_path / "source")


def _measured(state: course.State, calls: dict, sha: str | None = None) -> None:
    target = calltimes.path(state, "00_plain", "plain")
    target.parent.mkdir(parents=True)
    source = state.source / "00_plain" / "plain.ipynb"
    target.write_text(json.dumps({"source_sha256": sha or calltimes.checksum(source), "calls": calls}))


def test_a_call_may_take_thirty_times_the_model_solutions_and_at_least_the_floor():
    assert calltimes.limit(0.002) == calltimes.FLOOR_S == 10
    assert calltimes.limit(3.0) == 90
    assert calltimes.limit(3.0, factor=2, floor=1) == 6


def test_limits_come_from_the_measurement_of_the_same_source(tmp_path):
    state = _course(tmp_path)
    _measured(state, {"rnn_step_test": 0.01, "count_params_test": 2.5})
    found, unmeasured = calltimes.limits(state)
    assert found == {"00_plain/plain": {"rnn_step_test": 10.0, "count_params_test": 75.0}}
    assert unmeasured == []


def test_a_notebook_changed_since_it_was_measured_gets_no_limits_and_is_named(tmp_path):
    state = _course(tmp_path)
    _measured(state, {"rnn_step_test": 0.01})
    source = state.source / "00_plain" / "plain.ipynb"
    source.write_text(source.read_text().replace("One recurrent step", "One step"))
    assert calltimes.limits(state) == ({}, ["00_plain/plain"])


def test_a_missing_or_broken_measurement_counts_as_none(tmp_path):
    state = _course(tmp_path)
    assert calltimes.limits(state) == ({}, ["00_plain/plain"])
    calltimes.path(state, "00_plain", "plain").parent.mkdir(parents=True)
    for broken in ("not json", "[]", '{"calls": {}}', json.dumps({"source_sha256": "x", "calls": {}})):
        calltimes.path(state, "00_plain", "plain").write_text(broken)
        assert calltimes.limits(state) == ({}, ["00_plain/plain"]), broken


def test_the_limits_travel_to_the_worker_with_the_other_limits(tmp_path):
    state = _course(tmp_path)
    limits = {"00_plain/plain": {"count_params_test": 12.0}}
    task_limits = pickle.loads(pickle.dumps(Options(state, call_limits=limits).limits))
    assert task_limits.call_limits == limits
    assert Options(state).limits.call_limits == {}


def test_the_execute_step_gives_each_notebook_its_own_limits():
    step = TwoKernelExecute(call_limits={"00_plain/plain": {"count_params_test": 12.0},
                                         "01_x/other": {"count_params_test": 99.0}})
    assert dict(step.limits("00_plain/plain").call_limits) == {"count_params_test": 12.0}
    assert dict(step.limits("02_y/z").call_limits) == {}


def test_nbgrader_autograde_reads_the_limits_build_measured(tmp_path):
    state = _course(tmp_path)
    _measured(state, {"count_params_test": 1.5})
    c = config.configure(Config(), state, nbgrader_cli=True)
    assert c.TwoKernelExecute.call_limits == {"00_plain/plain": {"count_params_test": 45.0}}
