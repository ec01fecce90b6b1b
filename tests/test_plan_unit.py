"""The grading plan (autograder/plan.py): which kernel runs each cell and which names cross, read from
the source notebook alone. Fast: no kernel."""
from __future__ import annotations

import nbformat
import pytest

from autograder import course, plan
from conftest import per_assignment


def _cell(source, role):
    meta = {"answer": {"solution": True, "grade": False, "locked": False},
            "test": {"solution": False, "grade": True, "locked": True, "points": 1},
            "readonly": {"solution": False, "grade": False, "locked": True}}[role]
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = dict(meta, grade_id=f"c{abs(hash(source)) % 10 ** 8}")
    return cell


def _plan(*cells):
    p = plan.make_plan(list(cells))
    return [p.steps[plan.grade_id(c)] for c in cells]


def test_a_test_fetches_the_names_answer_cells_bound_and_nothing_the_checker_has():
    setup = _cell("import numpy as np\ndata = np.arange(5)", "readonly")
    answer = _cell("def f(x):\n    return helper(x)\nhelper = abs", "answer")
    test = _cell("assert f(data)[0] == 0\nout = f(data)", "test")
    s_setup, s_answer, s_test = _plan(setup, answer, test)
    assert s_test.fetch == ["f"]                          # not np, data (the checker's), nor helper (f's own)
    assert (s_setup.student, s_setup.checker) == (True, True)
    assert (s_answer.student, s_answer.checker) == (True, False)
    assert (s_test.student, s_test.checker) == (False, True)


def test_read_only_cells_the_tests_do_not_need_run_only_for_the_student():
    demo = _cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])", "readonly")
    data = _cell("xs = [1, 2, 3]", "readonly")
    answer = _cell("def total(v):\n    return sum(v)", "answer")
    test = _cell("assert total(xs) == 6", "test")
    steps = _plan(demo, data, answer, test)
    assert [s.checker for s in steps] == [False, True, False, True]


def test_a_read_only_cell_that_trains_the_students_model_runs_in_the_checker_too():
    answer = _cell("def build():\n    return make()", "answer")
    train = _cell("model = build()\nmodel.fit(x)", "readonly")
    evaluate = _cell("acc = model.evaluate(x)", "readonly")
    test = _cell("assert acc > 0.9", "test")
    s = _plan(_cell("x = 1", "readonly"), answer, train, evaluate, test)
    assert [st.checker for st in s] == [True, False, True, True, True]
    assert s[2].fetch == ["build"] and s[4].fetch == []


def test_changing_a_name_in_place_counts_as_binding_it():
    setup = _cell("import numpy as np\nrng = np.random.default_rng(0)", "readonly")
    draw = _cell("rng.normal()", "readonly")                 # moves the generator on
    test = _cell("assert rng.normal() != 0", "test")
    assert [st.checker for st in _plan(setup, draw, test)] == [True, True, True]


def test_globals_of_functions_a_test_defines_are_read_when_it_calls_them():
    answer = _cell("def g(x):\n    return x", "answer")
    helper = _cell("def check(v):\n    assert g(v) == v", "readonly")
    test = _cell("check(3)", "test")
    assert _plan(answer, helper, test)[2].fetch == ["g"]


def test_names_read_before_they_are_bound_and_builtins():
    n = plan.names("y = x + 1\nx = 2\nprint(len(y))\nfor i in range(3):\n    z = i\n[k for k in w]\n%time q")
    assert n.reads == {"x", "w"} and {"y", "x", "i", "z"} <= n.binds


def test_unparsable_cells_read_and_bind_nothing():
    assert plan.names("def (:") == plan.Names()


@pytest.mark.parametrize("assignment", per_assignment())
def test_every_lesson_keeps_the_test_cell_contract(assignment):
    for path in sorted((course.SOLUTIONS / assignment).glob("*.ipynb")):
        cells = nbformat.read(str(path), as_version=4).cells
        assert plan.contract_problems(cells) == [], path.name
        steps = plan.make_plan(cells)
        tests = [s for s in steps.steps.values() if s.role == plan.TEST]
        assert tests and all(s.checker and not s.student for s in tests)
        assert any(s.fetch for s in tests), f"{path.name}: no test reads the student's notebook"


# --- demonstration cells skipped when grading (plan.SKIP_TAG) -------------------------------------

def _skipped(cell):
    cell.metadata["tags"] = [plan.SKIP_TAG]
    return cell


def test_a_tagged_demonstration_runs_in_neither_kernel_unless_graded_in_full():
    setup = _cell("import numpy as np\ndata = np.arange(5)", "readonly")
    demo = _skipped(_cell("history = np.cumsum(data)\nprint(history)", "readonly"))
    answer = _cell("def f(x):\n    return x", "answer")
    test = _cell("assert f(data)[0] == 0", "test")
    cells = [setup, demo, answer, test]
    skipping = plan.make_plan(cells)
    step = skipping.steps[plan.grade_id(demo)]
    assert step.skip and not step.student and not step.checker
    full = plan.make_plan(cells, skip_tagged=False).steps[plan.grade_id(demo)]
    assert not full.skip and full.student
    assert plan.skip_problems(cells) == []


def test_skipping_is_refused_where_a_cell_that_runs_needs_what_the_skipped_cell_did():
    setup = _cell("import numpy as np\nresults = {}\nmodel = [0]\ndef scaled(x):\n    return x * scale", "readonly")
    trains = _skipped(_cell("model.append(1)\nresults['fit'] = 0.9\nscale = 2\nnp.random.seed(1)", "readonly"))
    summary = _cell("print(results)", "readonly")
    uses = _cell("print(scaled(3), model)", "readonly")
    rebinds = _cell("results = {}\nprint(results, np.pi)", "readonly")
    found = plan.skip_problems([setup, trains, summary, uses, rebinds])
    flagged = {(f.split(" reads ")[0], f.split("'")[1]) for f in found}
    assert flagged == {(plan.grade_id(summary), "results"), (plan.grade_id(uses), "model"),
                       (plan.grade_id(uses), "scale")}, found     # changed in place, bound, read through scaled()


def test_only_a_locked_instructor_cell_may_be_skipped():
    answer = _skipped(_cell("def f(x):\n    return x", "answer"))
    test = _skipped(_cell("assert f(1) == 1", "test"))
    found = plan.skip_problems([answer, test])
    assert len(found) == 2 and all("not a locked instructor cell" in f for f in found)
    steps = plan.make_plan([answer, test]).steps
    assert not any(s.skip for s in steps.values())


@pytest.mark.parametrize("assignment", per_assignment())
def test_every_lesson_skips_only_what_no_running_cell_needs(assignment):
    for path in sorted((course.SOLUTIONS / assignment).glob("*.ipynb")):
        assert plan.skip_problems(nbformat.read(str(path), as_version=4).cells) == [], path.name
