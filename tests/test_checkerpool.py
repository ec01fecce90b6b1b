"""A checker kernel kept warm between notebooks grades each one as a fresh checker would.

The checker never runs student code, so a grading process keeps the one that graded a notebook for
the next (``autograder/checkerpool.py``), after putting its state back and comparing it with the
baseline it took when new. These tests grade two different submissions in either order with a kept
checker and compare every test cell's outputs with grading each one with a fresh checker; then they
give a kept checker notebooks whose test cells leave state behind (files, environment, names, Keras
layer names, printing options) and check that the next notebook sees none of it, and that a checker
left with something the reset cannot undo (a thread the notebook started) is not used again.
"""
from __future__ import annotations

import copy

import nbformat
import pytest

from autograder import checkerpool, grade, plan, twokernel, worker
from autograder.results import Limits, Status
from conftest import FIXTURES

ASSIGNMENT = "00_keras"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "keras_model.ipynb"
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]


def _test_outputs(outcome: worker.Outcome) -> dict:
    """{grade_id: outputs} of every test cell the worker executed (the graded notebook's)."""
    found = {}
    for name, data in outcome.autograded.items():
        if name.endswith(".ipynb"):
            for cell in nbformat.reads(data.decode(), as_version=4).cells:
                if plan.role(cell) == plan.TEST:
                    found[plan.grade_id(cell)] = [{k: v for k, v in o.items() if k != "execution_count"}
                                                  for o in cell.outputs]
    return found


def _submission(activation: str) -> bytes:
    """The fixture's model answer with the read-out's activation given, its weights seeded (so that
    the numbers in a failed test's message are the same from one grading to the next)."""
    nb = nbformat.read(SOURCE, as_version=4)
    cell = next(c for c in nb.cells if plan.grade_id(c) == "build_model_answer")
    cell.source = cell.source.replace("    inputs = ", "    keras.utils.set_random_seed(0)\n    inputs = ", 1)
    cell.source = cell.source.replace('activation="sigmoid"', f'activation="{activation}"')
    assert "set_random_seed" in cell.source and activation in cell.source
    return nbformat.writes(nb).encode()


def test_two_submissions_get_the_same_outputs_in_either_order_from_a_kept_checker(fixture_state):
    right, wrong = _submission("sigmoid"), _submission("relu")
    source = grade.source_files(fixture_state, ASSIGNMENT)
    private = grade.private_gradebook(ASSIGNMENT, fixture_state.source)

    def graded(student: str, notebook: bytes, fresh: bool) -> dict:
        task = worker.Task(ASSIGNMENT, student, {"keras_model.ipynb": notebook}, source, private,
                           Limits(fresh_checkers=fresh))
        outcome = worker.execute(task)
        assert outcome.executed and outcome.result.status == Status.GRADED, outcome.result
        return _test_outputs(outcome)

    alone = {"right": graded("ada", right, True), "wrong": graded("bob", wrong, True)}
    assert not any(o.get("output_type") == "error" for outs in alone["right"].values() for o in outs)
    assert any(o.get("output_type") == "error" for outs in alone["wrong"].values() for o in outs), \
        "the wrong submission must fail a test, or the comparison shows nothing"
    pool = checkerpool.pool()
    before = pool.reused
    sequence = ("right", "wrong", "right")          # wrong after right, then right after wrong
    for i, name in enumerate(sequence):
        kept = graded(f"s{i}-{name}", right if name == "right" else wrong, False)
        assert kept == alone[name], f"{name} graded after {sequence[:i]}: outputs differ from a fresh checker's"
    assert pool.reused >= before + 2, f"the checker was not kept ({pool.last_retired})"


def _notebook(*tests: str) -> nbformat.NotebookNode:
    meta = {"grade": True, "solution": False, "locked": True, "points": 1, "schema_version": 3}
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(src, metadata={"nbgrader": dict(meta, grade_id=f"t{i}")})
        for i, src in enumerate(tests)])


LEAVES_STATE = '''
import os, sys, numpy as np, keras
assert not os.path.exists("made.txt") and not os.path.exists("made"), os.listdir(".")
assert "MADE" not in os.environ and "/nowhere" not in sys.path
assert "left_over" not in globals() and "rnncourse.checks" not in sys.modules
assert keras.layers.Dense(1).name == "dense", "Keras's layer names were not reset"
assert np.get_printoptions()["precision"] == 8
import rnncourse.checks
open("made.txt", "w").write("x"); os.mkdir("made"); open("made/deep.txt", "w").write("y")
os.environ["MADE"] = "1"; sys.path.append("/nowhere"); left_over = 1; np.set_printoptions(precision=2)
'''
STARTS_A_THREAD = '''
import threading, time
threading.Thread(target=time.sleep, args=(60,), name="left-running", daemon=True).start()
'''


def _grade_here(reference: nbformat.NotebookNode, folder) -> list:
    """Grade ``reference`` as its own submission in this thread's grading loop; each test's outputs."""
    async def run():
        nb = copy.deepcopy(reference)
        async with twokernel.Session(reference, folder, folder, twokernel.Limits()) as session:
            for cell in nb.cells:
                await session.run_cell(cell)
        return [c.outputs for c in nb.cells]
    return checkerpool.run(run())


def test_a_kept_checker_is_put_back_or_not_kept_at_all(tmp_path):
    (tmp_path / "data.txt").write_text("the assignment's file\n")
    pool = checkerpool.pool()
    tidy = _notebook(LEAVES_STATE)
    nbformat.write(tidy, str(tmp_path / "tidy.ipynb"))     # the assignment's notebooks: what a checker warms up
    first = _grade_here(tidy, tmp_path)
    assert first == [[]], first
    assert pool.last_retired == [], pool.last_retired
    before = pool.reused
    again = _grade_here(tidy, tmp_path)
    assert pool.reused == before + 1 and again == [[]], f"the second notebook saw the first one's state: {again}"

    _grade_here(_notebook(STARTS_A_THREAD), tmp_path)
    assert pool.last_retired and "threads" in pool.last_retired[0], pool.last_retired
    started = pool.started
    assert _grade_here(tidy, tmp_path) == [[]]
    assert pool.started == started + 1, "a checker left with a running thread was used again"
