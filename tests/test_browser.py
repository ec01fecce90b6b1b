"""Real-browser tests: headless Debian chromium driven by Selenium, as students and instructors use it.

1. A student opens lesson 01 in JupyterLab, runs the first cells and an answer, self-checks both
   exercises from a new cell, and presses nbgrader's **Validate** button: the dialog names the
   exercise still to do and not the one that is done.
2. An instructor opens nbgrader's formgrader on a gradebook with an autograded batch, sees the
   submissions, opens a hostile student's graded notebook and her feedback page: no hidden tests in
   the feedback, and no student-supplied script runs anywhere.

Chromium comes from Debian, installed before pytest starts by the set-up step of `make test`
(`bash scripts/system-deps.sh chromium chromium-driver`; `make setup` stays light for students, and
the tests never install anything: without chromium they skip, which under CI=true fails). Screenshots go to
$BROWSER_ARTIFACTS (default: the test's tmp folder); their paths and step timings are printed
(`pytest -s`, or the report of a failing test, shows them) and written next to the screenshots.
"""
from __future__ import annotations

import json
import shutil
from contextlib import contextmanager

import nbformat
import pytest

from autograder import build, course, grade
from autograder import notebooks as nbtools
from autograder.results import Options
from browser_helpers import REPO, Steps, artifacts_dir, find_chromium, isolated_env, jupyter_lab, make_driver
from conftest import FIXTURES

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

LESSON = "01_sequences"
PWNED = "pwned"


@pytest.fixture(scope="session")
def chromium():
    found = find_chromium()
    if found is None:
        pytest.skip("real-browser tests need Debian chromium + chromium-driver: `make test` installs them "
                    "before pytest starts, or run `bash scripts/system-deps.sh chromium chromium-driver`")
    return found


@pytest.fixture
def browser(chromium, tmp_path):
    drv = make_driver(*chromium, profile=tmp_path / "chromium-profile")
    yield drv
    drv.quit()


def wait(drv, condition, timeout=60, message=""):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(drv, timeout, poll_frequency=0.2).until(condition, message)


def shot(drv, folder, name) -> str:
    path = folder / f"{name}.png"
    drv.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return str(path)


@contextmanager
def screenshot_on_failure(drv, folder, name):
    try:
        yield
    except BaseException:
        try:
            shot(drv, folder, f"FAILED-{name}")
        except Exception:   # noqa: BLE001 - the browser may be gone; the original error matters
            pass
        raise


def assert_no_script_ran(drv):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = drv.switch_to.alert
        raise AssertionError(f"student script opened an alert: {alert.text!r}")
    except NoAlertPresentException:
        pass
    assert PWNED not in drv.title, f"student script changed the title: {drv.title!r}"
    found = drv.execute_script(
        "return [window.__pwned === undefined ? null : window.__pwned,"
        " document.querySelectorAll('#injected, #injected2, [onerror], [onload], iframe, object, embed').length,"
        " Array.from(document.scripts).filter(s => s.text.includes('pwned')).length]")
    assert found == [None, 0, 0], f"student markup became live DOM: {found}"


# --- 1. student: JupyterLab, self-check, Validate --------------------------------------------------

def lab_cells(drv):
    from selenium.webdriver.common.by import By

    return drv.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Notebook-cell")


def run_cell(drv, index, timeout=120, click=True):
    """Click into cell ``index`` and press Shift+Enter, as a student does; wait until it has run.

    A keystroke sent while JupyterLab is still settling (a notification, a re-render) can be
    lost: the prompt then stays as it was, neither ``[*]`` nor a new number. Shift+Enter is
    pressed again then, as a student would, up to three times.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    prompt = lambda d: lab_cells(d)[index].find_element(By.CSS_SELECTOR, ".jp-InputPrompt").text  # noqa: E731
    before = prompt(drv)
    for attempt in range(3):
        if click or attempt:
            target = lab_cells(drv)[index]
            drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
            target.find_element(By.CSS_SELECTOR, ".jp-InputArea-editor .cm-content").click()
        ActionChains(drv).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        try:
            wait(drv, lambda d: prompt(d) != before, 15, "")
            break
        except TimeoutException:
            continue
    wait(drv, lambda d: prompt(d).startswith("[") and "*" not in prompt(d) and prompt(d) != "[ ]:", timeout,
         f"cell {index} did not finish (prompt {prompt(drv)!r}, was {before!r})")
    return lab_cells(drv)[index]


def student_copy(folder):
    """A temp copy of lessons/01_sequences in which the student has answered the first exercise."""
    shutil.copytree(course.LESSONS / LESSON, folder)
    path = folder / "sequences.ipynb"
    nb, solution = nbtools.read(path), nbtools.read(course.SOLUTIONS / LESSON / "sequences.ipynb")
    answer = next(c for c in solution.cells if nbtools.grade_meta(c).get("grade_id") == "make_windows")
    for cell in nb.cells:
        if nbtools.grade_meta(cell).get("grade_id") == "make_windows":
            cell.source = "\n".join(line for line in answer.source.splitlines() if "### " not in line)
    nbformat.write(nb, str(path))
    return path, [nbtools.grade_meta(c).get("grade_id") for c in nb.cells]


# one window too few (range stops one early), typed on one line as a student might
WRONG_MAKE_WINDOWS = ("make_windows = lambda series, window, horizon=1: (np.stack([series[i:i + window] "
                      "for i in range(len(series) - window - horizon)])[..., None], "
                      "np.asarray(series[window + horizon:], dtype='float32'))")


def test_student_runs_cells_self_checks_and_validates(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    drv, art = browser, artifacts_dir(tmp_path)
    steps = Steps("student in JupyterLab")
    root = tmp_path / "student" / LESSON
    path, ids = student_copy(root)
    steps.done("copy lesson 01, paste the make_windows answer")

    with jupyter_lab(root, tmp_path / "student-home") as server, screenshot_on_failure(drv, art, "student"):
        steps.done("start jupyter lab")
        drv.get(server.url("lab/tree/sequences.ipynb"))
        validate = wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel-toolbar jp-button.validate-button"),
                        90, "nbgrader's Validate button is not in the notebook toolbar")[0]
        wait(drv, lambda d: len(lab_cells(d)) == len(ids), 60, "the notebook did not render all its cells")
        wait(drv, lambda d: "Kernel status: Idle" in d.execute_script(
             "return document.querySelector('.jp-NotebookPanel-toolbar').textContent"), 90, "the kernel did not start")
        steps.done("open the notebook: cells rendered, kernel idle, Validate button present")

        for gid in ("setup", "weather_load", "sentences_code", "vectorize_code", "bags_identical", "bow_fit"):
            run_cell(drv, ids.index(gid))
        training = run_cell(drv, ids.index("rnn_fit"))
        # TensorFlow's own log line (on a CPU without AVX-512 this first recurrent fit logs "E0000 ...
        # oneDNN supports DT_BOOL only ...") is not shown as a red stderr box; the epoch line is
        assert not training.find_elements(By.CSS_SELECTOR, "[data-mime-type='application/vnd.jupyter.stderr']"), \
            training.text
        assert "SimpleRNN \u00b7 epoch 4/4" in training.text and "validation accuracy" in training.text, training.text
        drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", training)
        shot(drv, art, "0-student-training")
        steps.done("run the set-up, data and the first two training cells: an epoch line, no stderr box")
        run_cell(drv, ids.index("make_windows"))
        steps.done("run the make_windows answer cell (Shift+Enter)")
        test = run_cell(drv, ids.index("make_windows_test"))
        assert not test.find_elements(By.CSS_SELECTOR, "[data-mime-type*='error']"), test.text
        steps.done("run the make_windows test cell: passes silently")
        run_cell(drv, ids.index("time_split"))                       # the stub, still unanswered
        steps.done("run the time_split answer cell (still the stub)")

        # a new cell below the active one (the time_split test): the self-check of both exercises
        ActionChains(drv).send_keys(Keys.ESCAPE).perform()
        ActionChains(drv).send_keys("b").perform()
        wait(drv, lambda d: len(lab_cells(d)) == len(ids) + 1, 10, "no cell was inserted")
        ActionChains(drv).send_keys(Keys.ENTER).perform()
        ActionChains(drv).send_keys('from rnncourse.selfcheck import check\ncheck("make_windows")\ncheck("time_split")').perform()
        # (the lesson's header mentions the self-check too, so look for this cell's own last line)
        new_index = next(i for i, c in enumerate(lab_cells(drv)) if 'check("time_split")' in c.text)
        assert new_index == ids.index("time_split_test") + 1, new_index
        cell = run_cell(drv, new_index, click=False)                 # still in the new cell's editor
        out = wait(drv, lambda d: "time_split_test" in lab_cells(d)[new_index].text and lab_cells(d)[new_index].text,
                   30, "the self-check printed nothing")
        assert "\u2713 make_windows_test: the visible checks pass" in out, out
        assert "\u2717 time_split_test: not answered yet" in out and "Traceback" not in out, out
        drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
        shot(drv, art, "1-student-selfcheck")
        steps.done("type and run a self-check cell: ✓ make_windows, ✗ time_split named")

        # the lesson's closing cell (Before you hand in): every exercise, one line each, no traceback
        closing = ids.index("hand_in_check") + 1                     # the new cell sits above it
        assert "Before you hand in" in lab_cells(drv)[closing - 1].text
        run_cell(drv, closing)
        out = wait(drv, lambda d: "exercises pass" in lab_cells(d)[closing].text and lab_cells(d)[closing].text,
                   60, "the closing check_all() cell printed no summary")
        assert "\u2713 make_windows_test" in out and "\u2717 time_split_test: not answered yet" in out, out
        assert "1/2 exercises pass their visible checks" in out and "Traceback" not in out, out
        shot(drv, art, "1b-student-hand-in")
        steps.done("run the closing Before-you-hand-in cell: check_all() lists both exercises")

        # a mistake: the last cell (JupyterLab added it below the closing one) redefines make_windows
        # with one window too few; its test cell then shows the check's message, no traceback
        wait(drv, lambda d: len(lab_cells(d)) == len(ids) + 2, 10, "no cell below the closing one")
        last = len(ids) + 1
        lab_cells(drv)[last].find_element(By.CSS_SELECTOR, ".jp-InputArea-editor .cm-content").click()
        ActionChains(drv).send_keys(WRONG_MAKE_WINDOWS).perform()
        run_cell(drv, last, click=False)
        failed = run_cell(drv, ids.index("make_windows_test"))
        shown = wait(drv, lambda d: failed.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")
                     and failed.find_element(By.CSS_SELECTOR, ".jp-OutputArea").text, 30, "the failed test shows nothing")
        assert "check the range of i" in shown and "(6, 3, 1)" in shown, shown
        assert "Traceback" not in shown and "checks.py" not in shown and len(shown.splitlines()) <= 3, shown
        drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", failed)
        shot(drv, art, "1c-student-failed-check")
        steps.done("a wrong make_windows: its test cell shows the check's message and hint, no traceback")

        validate.click()
        dialog = wait(drv, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".jp-Dialog")
                                      if "Validat" in e.text and "Validating" not in e.text], 300,
                      "no validation result dialog")[0]
        text = dialog.text
        shot(drv, art, "2-student-validate")
        steps.done("click Validate, wait for the result dialog (nbgrader runs the whole lesson)")
        assert "time_split" in text and "NotImplementedError" in text, text
        assert "make_windows(np.arange(10.0), 3)" not in text, "the answered exercise should not be listed"
        dialog.find_element(By.CSS_SELECTOR, ".jp-Dialog-button").click()
    print(steps.report())
    (art / "timings-student.txt").write_text(steps.report() + "\n")


# --- 2. instructor: formgrader and feedback -------------------------------------------------------

PLAIN = FIXTURES / "course" / "00_plain" / "plain.ipynb"
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "rnn_step on other shapes", "count_params(8, 4)")

HOSTILE_ANSWER = '''def rnn_step(x, h, W_x, W_h, b):
    return np.tanh(W_x @ x + W_h @ h + b)

from IPython.display import HTML, Javascript, Markdown, SVG, display
display(HTML("<script>document.title='pwned-html'</script>"
             "<img id=injected src=x onerror=\\"document.title='pwned-img'; window.__pwned=1\\">"))
display(Javascript("document.title='pwned-js'; window.__pwned = 2"))
display(Markdown("<img id=injected2 src=x onerror=\\"window.__pwned=3\\">"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=4"><circle r="5"/></svg>'))
print("<script>document.title='pwned-print'</script>")
'''
HOSTILE_MARKDOWN = ("Look: <script>document.title='pwned-markdown'</script>"
                    "<img id=injected2 src=x onerror=\"window.__pwned=5\">")
HOSTILE_RAW = "<script>document.title='pwned-raw'; window.__pwned = 6</script>"


def hostile_class(blank, folder):
    """ada submits the solution; mallory answers rnn_step and tries to get script into the pages."""
    (folder / "ada").mkdir(parents=True)
    nbformat.write(nbtools.read(PLAIN), str(folder / "ada" / "plain.ipynb"))
    nb = nbformat.from_dict(json.loads(json.dumps(blank)))
    answer = next(c for c in nb.cells if nbtools.grade_meta(c).get("grade_id") == "rnn_step_answer")
    answer.source = HOSTILE_ANSWER
    at = nb.cells.index(answer) + 1
    nb.cells.insert(at, nbformat.v4.new_markdown_cell(HOSTILE_MARKDOWN))
    nb.cells.insert(at + 1, nbformat.v4.new_raw_cell(HOSTILE_RAW, metadata={"raw_mimetype": "text/html",
                                                                           "format": "text/html"}))
    (folder / "mallory").mkdir(parents=True)
    nbformat.write(nb, str(folder / "mallory" / "plain.ipynb"))


def formgrader_config(folder, state):
    """The nbgrader_config.py an instructor's server reads: the repository's layout on ``state``."""
    folder.mkdir(parents=True)
    (folder / "nbgrader_config.py").write_text(
        "from pathlib import Path\n"
        "from autograder.config import configure, prepare_nbgrader\nfrom autograder.course import State\n\n"
        "prepare_nbgrader()\n"
        f"configure(get_config(), State.from_env({str(state.root)!r}, source=Path({str(state.source)!r})))\n")
    return folder


def test_instructor_formgrader_and_feedback_run_no_student_script(browser, fixture_state, tmp_path):
    from nbgrader.api import Gradebook
    from selenium.webdriver.common.by import By

    drv, art = browser, artifacts_dir(tmp_path)
    steps = Steps("instructor in formgrader")
    build.generate("00_plain", fixture_state, tmp_path / "release")
    hostile_class(nbtools.read(tmp_path / "release" / "00_plain" / "plain.ipynb"), tmp_path / "subs")
    out = tmp_path / "graded"
    results = grade.grade_batch("00_plain", tmp_path / "subs", out,
                                Options(fixture_state, cell_timeout=30, notebook_timeout=90),
                                workers=2, progress=False)
    scores = {r.student_id: (r.score, r.max_score, r.status) for r in results}
    assert scores == {"ada": (3.0, 3.0, "graded"), "mallory": (2.0, 3.0, "graded")}, scores
    with Gradebook(fixture_state.db_url, course.COURSE_ID) as gb:
        mallory = gb.find_submission_notebook("plain", "00_plain", "mallory").id
    steps.done("grade ada and mallory (sandboxed autograde + feedback)")

    conf = formgrader_config(tmp_path / "instructor", fixture_state)
    home = tmp_path / "instructor-home"
    env = isolated_env(home, RNNCOURSE_STATE=str(fixture_state.root))
    with jupyter_lab(REPO, home, cwd=conf, env=env) as server, screenshot_on_failure(drv, art, "instructor"):
        steps.done("start jupyter lab with formgrader (cwd: the course's nbgrader_config.py)")

        # log in the way an instructor does, through JupyterLab (a token on a formgrader URL would scope
        # the login cookie to that page only: nbgrader's handlers use an empty base path)
        drv.get(server.url("lab"))
        wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, "#jp-top-panel .lm-MenuBar-itemLabel"), 90, "no JupyterLab")
        menus = [e.text for e in drv.find_elements(By.CSS_SELECTOR, "#jp-top-panel .lm-MenuBar-itemLabel")]
        assert "Nbgrader" in menus, menus
        steps.done("log in through JupyterLab (the Nbgrader menu is there)")
        drv.get(server.base + "/formgrader/manage_submissions/00_plain")
        students = lambda d: [r.text for r in d.find_elements(By.CSS_SELECTOR, "table tbody tr")  # noqa: E731
                              if "ada" in r.text or "mallory" in r.text]
        rows = wait(drv, lambda d: len(students(d)) == 2 and students(d), 60, "formgrader does not list both submissions")
        assert any("ada" in r and "3" in r for r in rows) and any("mallory" in r and "2" in r for r in rows), rows
        assert_no_script_ran(drv)
        shot(drv, art, "3-formgrader-submissions")
        steps.done("formgrader: manage submissions lists ada 3/3 and mallory 2/3")

        drv.get(f"{server.base}/formgrader/submissions/{mallory}/")
        wait(drv, lambda d: "pwned-print" in d.find_element(By.TAG_NAME, "body").text, 60,
             "the submission page does not show mallory's output")
        drv.execute_script("return new Promise(r => setTimeout(r, 1000))")   # let any onerror/onload fire
        body = drv.find_element(By.TAG_NAME, "body").text
        assert "<script>document.title='pwned-print'</script>" in body    # shown as text
        assert_no_script_ran(drv)
        shot(drv, art, "4-formgrader-mallory")
        steps.done("formgrader: mallory's graded notebook shows her markup as text, runs none of it")

        feedback = out / "feedback" / "mallory" / "plain.html"
        drv.get(feedback.as_uri())
        wait(drv, lambda d: "rnn_step" in d.find_element(By.TAG_NAME, "body").text, 30, "empty feedback page")
        drv.execute_script("return new Promise(r => setTimeout(r, 1000))")
        text = drv.find_element(By.TAG_NAME, "body").text
        assert "check_close(rnn_step(x, h, W_x, W_h, b)" in text      # the visible test is there
        assert "2.0 / 3.0" in text or "2 / 3" in text, text[:500]
        # the summary names the exercises (not "Test cell") and gives the autograded total grades.csv shows
        assert "count_params_test (autograded test)" in text and "Test cell" not in text, text[:800]
        assert "Autograded tests: 2.0 / 3.0" in text, text[:800]
        assert_no_script_ran(drv)
        shot(drv, art, "5-feedback-mallory")
        leaked = [m for m in HIDDEN_MARKERS if m in text]
        steps.done("feedback page: visible tests and score shown, no student script")
    print(steps.report())
    (art / "timings-instructor.txt").write_text(steps.report() + "\n")
    assert not leaked, f"hidden tests in the feedback: {leaked}"
