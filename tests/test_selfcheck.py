"""Student self-check (rnncourse.selfcheck): one exercise's visible checks from inside a notebook."""
import re

import nbformat
import pytest

from autograder import course
from autograder import notebooks as nbtools
from conftest import FIXTURES
from rnncourse import selfcheck

LESSON = course.LESSONS / "01_sequences" / "sequences.ipynb"
SOLUTION = course.SOLUTIONS / "01_sequences" / "sequences.ipynb"


def cell(nb, grade_id):
    return next(c for c in nb.cells if nbtools.grade_meta(c).get("grade_id") == grade_id)


def run_cells(nb, ids, ns):
    for gid in ids:
        exec(compile(cell(nb, gid).source, gid, "exec"), ns)


def direct_failure(source, ns):
    """What running the test cell itself raises (the message Validate shows), or None."""
    try:
        exec(compile(source, "test", "exec"), ns)
    except Exception as exc:   # noqa: BLE001
        return exc
    return None


# The lines of lesson 01's set-up cell that its exercises and data cell need. The cell also seeds
# TensorFlow and imports Keras, which self-check does not need, so these tests run only these lines
# and stay in the fast suite (no TensorFlow, no kernel).
SETUP_IMPORTS = ("import numpy as np", "from rnncourse import checks", "from rnncourse.data import load_seattle_weather")


@pytest.fixture(scope="module")
def lesson01():
    """Lesson 01's release with only what its exercises need run (the set-up cell's imports, the
    data cell); the tests then run answers in this namespace."""
    release, solution = nbtools.read(LESSON), nbtools.read(SOLUTION)
    setup_lines = cell(release, "setup").source.splitlines()
    assert all(line in setup_lines for line in SETUP_IMPORTS), "lesson 01's set-up cell changed its imports"
    ns = {"__name__": "__main__"}
    exec("\n".join(SETUP_IMPORTS), ns)
    run_cells(release, ["weather_load"], ns)
    return release, solution, ns


def test_blank_answers_fail_with_a_named_message(lesson01, capsys):
    release, _, ns = lesson01
    run_cells(release, ["make_windows", "time_split"], ns)          # the stubs
    for gid in ("make_windows_test", "time_split_test"):
        result = selfcheck.run(gid, notebook=LESSON, namespace=ns)
        assert not result.passed and "NotImplementedError" in result.message, result
    selfcheck.check("make_windows", notebook=LESSON, namespace=ns)   # by the answer's name
    out = capsys.readouterr().out
    assert out.startswith("\u2717 make_windows_test: not answered yet") and "Traceback" not in out


def test_solution_answers_pass(lesson01, capsys):
    release, solution, ns = lesson01
    run_cells(solution, ["make_windows", "time_split"], ns)
    results = selfcheck.check_all(notebook=LESSON, namespace=ns)
    assert [(r.grade_id, r.passed) for r in results] == [("make_windows_test", True), ("time_split_test", True)]
    out = capsys.readouterr().out
    assert "\u2713 make_windows_test" in out and "2/2 exercises" in out and "5/5 autograded points" in out
    # as a cell's last expression it adds nothing to the printed summary (no list of dataclasses)
    assert repr(results) == "<2/2 exercises pass their visible checks>" and results._ipython_display_() is None


def test_a_wrong_answer_gets_the_same_message_as_the_test_cell(lesson01, capsys):
    release, solution, ns = lesson01
    run_cells(solution, ["time_split"], ns)
    # a classic slip: no feature axis
    exec("def make_windows(series, window, horizon=1):\n"
         "    s = np.asarray(series, dtype='float32')\n"
         "    n = len(s) - window - horizon + 1\n"
         "    X = np.stack([s[i:i + window] for i in range(n)])\n"
         "    return X, s[window + horizon - 1:]\n", ns)
    expected = direct_failure(cell(release, "make_windows_test").source, ns)
    assert isinstance(expected, AssertionError) and "feature axis" in str(expected)
    result = selfcheck.run("make_windows_test", notebook=LESSON, namespace=ns)
    assert not result.passed and result.message == str(expected)
    selfcheck.check("make_windows_test", notebook=LESSON, namespace=ns)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"\u2717 make_windows_test: {str(expected).splitlines()[0]}"
    assert "Hint: X needs a feature axis" in out and "Traceback" not in out


def test_unknown_names_and_other_errors_are_one_line(lesson01, capsys):
    _, _, ns = lesson01
    selfcheck.check("no_such_exercise", notebook=LESSON, namespace=ns)
    assert capsys.readouterr().out.startswith("? ")
    exec("def time_split(X, y, train_frac=0.8):\n    return X[:train_frac], y[:train_frac], X[train_frac:], y[train_frac:]\n", ns)
    result = selfcheck.run("time_split_test", notebook=LESSON, namespace=ns)
    assert not result.passed and result.message.startswith("TypeError: slice indices"), result
    assert "(in the test line `parts = time_split(Xd, yd)`)" in result.message


def test_every_released_exercise_is_found_without_hidden_tests():
    """Every test cell of every lesson is reachable by its grade_id, alone or with the notebook named."""
    notebooks = sorted(course.LESSONS.glob("*/*.ipynb"))
    assert LESSON in notebooks
    ids = {}
    for path in notebooks:
        for c in nbtools.read(path).cells:
            meta = nbtools.grade_meta(c)
            if meta.get("grade") and c.cell_type == "code":
                ids.setdefault(meta["grade_id"], []).append(path)
                test = selfcheck.find_test(meta["grade_id"], notebook=path)
                assert test.source.strip() == c.source.strip() and "HIDDEN TESTS" not in test.source
    for gid, paths in ids.items():
        if len(paths) == 1:
            assert selfcheck.find_test(gid).notebook == paths[0].resolve()


def test_hidden_tests_are_cut_even_from_a_source_notebook():
    test = selfcheck.find_test("rnn_step_test", notebook=FIXTURES / "course" / "00_plain" / "plain.ipynb")
    assert "HIDDEN" not in test.source and "other shapes" not in test.source and "check_close" in test.source


@pytest.mark.slow
def test_in_a_jupyter_kernel(tmp_path, monkeypatch):
    """In a real kernel: the notebook is found from Jupyter's session path, the user namespace is used,
    hidden tests do not run (a hard-coded answer passes the visible check only), nothing raises."""
    from nbclient import NotebookClient

    source = nbtools.read(FIXTURES / "course" / "00_plain" / "plain.ipynb")
    answers = {c.metadata.nbgrader["grade_id"]: c for c in source.cells if nbtools.grade_meta(c).get("solution")}
    answers["count_params_answer"].source = "def count_params(units, features):\n    return 18\n"   # hard-coded
    student = tmp_path / "plain.ipynb"          # the student's saved notebook, test cells included
    nbformat.write(source, str(student))
    monkeypatch.setenv("JPY_SESSION_NAME", str(student))
    # what the student runs, in this order: imports, the stub, a self-check, the answers, self-checks
    stub = nbformat.v4.new_code_cell("def rnn_step(x, h, W_x, W_h, b):\n    raise NotImplementedError()")
    nb = nbformat.v4.new_notebook(cells=[
        source.cells[1], stub,
        nbformat.v4.new_code_cell("from rnncourse.selfcheck import check, check_all\ncheck('rnn_step')"),
        answers["rnn_step_answer"], answers["count_params_answer"],
        nbformat.v4.new_code_cell("check('rnn_step_test')\ncheck()\nresults = check_all()")])
    NotebookClient(nb, kernel_name="python3", timeout=60,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = lambda c: "".join(o.get("text", "") for o in c.outputs)   # noqa: E731
    assert [o.get("output_type") for o in nb.cells[2].outputs] == ["stream"]
    assert text(nb.cells[2]).startswith("\u2717 rnn_step_test: not answered yet")
    out = text(nb.cells[5])
    assert out.startswith("\u2713 rnn_step_test: the visible checks pass (2 points")
    assert "check('count_params')" in out and "check('rnn_step')" in out and "test cell rnn_step_test" in out
    assert "\u2713 count_params_test" in out and "2/2 exercises" in out and "3/3 autograded points" in out
    assert not any(o.get("output_type") == "error" or o.get("name") == "stderr" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_a_failed_check_shows_its_message_and_a_students_own_error_its_traceback(tmp_path):
    """After ``rnncourse.setup()`` (every lesson's first cell) a check that fails shows one line, the
    message with its hint, not a traceback through rnncourse/checks.py; the cell is still an error
    (so a test cell scores 0). An error raised in the student's own code keeps its traceback."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in (
        "import rnncourse\nrnncourse.setup(seed=0, verbose=False)\nfrom rnncourse import checks\nimport numpy as np",
        "checks.check_shape(np.zeros((3, 2)), (3, 4), 'windows', hint='n = len(series) - window + 1')",
        "def mine(x):\n    assert x > 0, 'x must be positive'\n    return x\nmine(-1)",
    )])
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    [failed] = nb.cells[1].outputs
    assert failed["output_type"] == "error" and failed["ename"] == "AssertionError"
    assert len(failed["traceback"]) == 1, failed["traceback"]
    assert "windows" in failed["traceback"][0] and "Hint: n = len(series)" in failed["traceback"][0]
    assert "checks.py" not in "".join(failed["traceback"])
    [own] = nb.cells[2].outputs
    assert own["ename"] == "AssertionError" and len(own["traceback"]) > 1
    plain = re.sub(r"\x1b\[[0-9;]*m", "", "".join(own["traceback"]))
    assert "mine(-1)" in plain and "assert x > 0" in plain


@pytest.mark.slow
def test_validate_from_a_terminal_runs_the_notebook_and_reports_each_exercise(tmp_path):
    """``python -m rnncourse.selfcheck NOTEBOOK`` (the kit has no Validate button): the blank release
    fails every exercise with 'not answered yet' and exits 1; the answered notebook passes and exits
    0; the file itself is not changed."""
    import subprocess
    import sys

    from autograder import build

    state = course.State.from_env(tmp_path / "state", source=FIXTURES / "course")
    [blank] = build.generate("00_plain", state, tmp_path / "release")
    solved = tmp_path / "solved" / "plain.ipynb"
    solved.parent.mkdir()
    solved.write_bytes((FIXTURES / "course" / "00_plain" / "plain.ipynb").read_bytes())
    before = blank.read_bytes()
    runs = {}
    for name, path in (("blank", blank), ("solved", solved)):
        runs[name] = subprocess.run([sys.executable, "-m", "rnncourse.selfcheck", str(path)], capture_output=True,
                                    text=True, timeout=300, cwd=tmp_path)
    assert runs["blank"].returncode == 1, runs["blank"].stdout + runs["blank"].stderr
    out = runs["blank"].stdout
    assert "\u2717 rnn_step_test: not answered yet" in out and "\u2717 count_params_test: not answered yet" in out
    assert "0/2 exercises pass their visible checks (0/3 autograded points" in out
    assert runs["solved"].returncode == 0, runs["solved"].stdout + runs["solved"].stderr
    assert "2/2 exercises pass their visible checks (3/3 autograded points" in runs["solved"].stdout
    assert blank.read_bytes() == before
    missing = subprocess.run([sys.executable, "-m", "rnncourse.selfcheck", "nowhere.ipynb"], capture_output=True,
                             text=True, timeout=60, cwd=tmp_path)
    assert missing.returncode == 2 and "no notebook" in missing.stdout


@pytest.mark.parametrize("lesson", sorted(course.LESSONS.glob("*/*.ipynb")), ids=lambda p: p.stem)
def test_every_lesson_ends_with_how_to_hand_in_and_a_check_all_cell(lesson):
    """The kit has no Validate button: each lesson says what works everywhere (the closing
    check_all() cell, the terminal command with this lesson's path, Validate on a hub only), names
    JupyterLab 4's menu item, the file to hand in, and imports check_all where it mentions it."""
    nb = nbtools.read(lesson)
    intro, text, code = nb.cells[0].source, nb.cells[-2], nb.cells[-1]
    assert nbtools.grade_meta(text).get("grade_id") == "hand_in" and text.source.startswith("## Before you hand in")
    assert nbtools.grade_meta(code).get("locked") and code.source.endswith(f'check_all("{lesson.name}")')
    rel = f"lessons/{lesson.parent.name}/{lesson.name}"
    assert f"python -m rnncourse.selfcheck {rel}" in text.source and (course.REPO / rel).is_file()
    assert "Restart Kernel and Run All\n   Cells…" in text.source and f"hand in `{lesson.name}`" in text.source
    everything = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Restart & Run All" not in everything, "JupyterLab 3's menu name"
    assert "Validate" not in intro, "the intro offers a button the kit does not have"
    assert "import check, check_all" in intro


def test_check_all_runs_nothing_in_the_graders_sandbox(monkeypatch, capsys):
    """Grading runs every check in the checker kernel: a closing check_all() cell in the submission's
    own kernel (RNNCOURSE_GRADING is set there) costs nothing and reads no test cell."""
    monkeypatch.setenv("RNNCOURSE_GRADING", "1")
    monkeypatch.setattr(selfcheck, "_test_cells", lambda path: pytest.fail("read a test cell at grading time"))
    assert selfcheck.check_all("sequences.ipynb", namespace={}) == []
    assert "the grader runs every check itself" in capsys.readouterr().out


def test_a_lessons_file_name_finds_its_test_cells_but_never_a_file_to_run(tmp_path, monkeypatch):
    """check_all("sequences.ipynb") works from any folder (the test cells are read-only, the same in
    every copy); the terminal command runs only the file it is given."""
    monkeypatch.chdir(tmp_path)
    assert selfcheck._notebook_arg("sequences.ipynb", by_name=True) == LESSON.resolve()
    with pytest.raises(selfcheck.SelfCheckError):
        selfcheck._notebook_arg("sequences.ipynb")
