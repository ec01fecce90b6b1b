"""The course on a real JupyterHub, end to end: several Unix users, one shared nbgrader exchange.

The hub is the one `make hub` runs (hub/jupyterhub_config.py, hub/democlass.py: PAM log-in, each
user's JupyterLab as that Unix user, configurable-http-proxy from hub/node_modules), on a free
loopback port, with its exchange and the instructor's grading state in fresh folders.

Through the browser (headless Debian chromium + Selenium, screenshots to $BROWSER_ARTIFACTS):
- alice logs in on the hub, fetches lesson 01 in the **Assignments** tab, runs the notebook with a
  self-check cell, presses **Validate**, submits in the Assignments tab; after grading she fetches
  her feedback there and opens it;
- the instructor logs in, sees the class in **formgrader** with the roster's names, and grades
  alice's first written answer in formgrader's manual grading page.

As each Unix user, with the same nbgrader commands the Assignments tab and formgrader call
(`runuser -u USER -- nbgrader ...`), for the repetitive parts:
- the instructor imports the roster (hub/roster.csv, an LMS export), releases lesson 01, moves the
  due date to "now" (instead of waiting for it), collects, autogrades the class with
  `python -m autograder grade` (sandboxed), generates and releases feedback, exports the grades;
- bob fetches, submits the blank notebook, then answers one exercise (with a self-check cell),
  validates and submits again after the deadline (the later, late submission counts and gets the
  late penalty);
- carol fetches and submits the blank notebook;
- alice's answers are written into her fetched notebook (as typing them would), bob and carol fetch
  their feedback.

Then: the scores, the feedback of each student (own score, no hidden tests), that no student can
read another's submission or feedback, and that the hidden tests are nowhere a student can read.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder import notebooks as nbtools
from browser_helpers import REPO, Steps, artifacts_dir, find_chromium, make_driver
from test_browser import lab_cells, run_cell, screenshot_on_failure, shot, wait

sys.path.insert(0, str(REPO / "hub"))
import democlass  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

LESSON, NOTEBOOK = "01_sequences", "sequences"
STUDENTS = democlass.STUDENTS
SELF_CHECK = "from rnncourse.selfcheck import check_all\ncheck_all()"
WRITTEN = {"shuffle_answer": "Shuffling destroys the order, so the autocorrelation the model could use is gone.",
           "split_answer": "A random split leaks the future into training; split by time instead."}


def need(ok: bool, why: str) -> None:
    """A missing prerequisite skips the test on a workstation and fails it in CI."""
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"test_hub needs: {why} (run `bash hub/setup.sh` as root, as `make test` does)")
        pytest.skip(why)


def free_ports() -> int:
    """A port p with p, p+1, p+2 free on 127.0.0.1 (hub, hub API, proxy API)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port > 65000:
            continue
        try:
            for p in (port + 1, port + 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
    raise RuntimeError("no three consecutive free ports")


def live_processes_of(users, settle: float) -> str:
    """The users' processes that still run, waiting up to ``settle`` seconds for them to go.

    A zombie (ps state Z) has exited and holds nothing but its process-table entry; it is not
    counted: where PID 1 is a container's supervisor rather than an init, an orphaned server's
    exited kernel stays a zombie for good, although everything the hub started has stopped.
    """
    deadline = time.monotonic() + settle
    while True:
        rows = subprocess.run(["ps", "-o", "pid=,stat=,user=,args=", "-u", ",".join(users)],
                              capture_output=True, text=True).stdout.splitlines()
        live = [row.strip() for row in rows if row.split()[1:2] and not row.split()[1].startswith("Z")]
        if not live or time.monotonic() > deadline:
            return "\n".join(live)
        time.sleep(0.5)


def private_dir(prefix: str, owner: str | None = None, mode: int = 0o755) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(path, mode)
    return path


def reset_student(user: str) -> None:
    """The demo accounts are reused: clear what an earlier class left in a student's home."""
    home = Path(pwd.getpwnam(user).pw_dir)
    for leftover in (home / course.COURSE_ID, home / ".local" / "share" / "jupyter" / "nbgrader_cache"):
        shutil.rmtree(leftover, ignore_errors=True)
    settings = home / ".jupyter" / "lab" / "user-settings"
    for plugin, values in {"@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                                           "checkForUpdates": False}}.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    entry = pwd.getpwnam(user)
    subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(home / ".jupyter")], check=True)


@pytest.fixture
def hub(tmp_path):
    need(hasattr(os, "geteuid") and os.geteuid() == 0, "root (the hub runs servers as Unix users)")
    need(shutil.which("runuser") is not None, "runuser (util-linux)")
    need(democlass.PROXY.is_file(), "configurable-http-proxy in hub/node_modules")
    need((democlass.VENV_BIN / "jupyterhub").is_file(), "JupyterHub in .venv")
    chromium = find_chromium()
    need(chromium is not None, "Debian chromium + chromium-driver (`make test` installs them before pytest)")
    shared = private_dir("rnnhub-shared-")
    democlass.ensure_accounts()
    state = private_dir("rnnhub-state-", owner=democlass.INSTRUCTOR, mode=0o700)
    klass = democlass.DemoClass(free_ports(), tmp_path / "runtime", shared, state)
    passwords = democlass.setup(klass)
    for student in STUDENTS:
        reset_student(student)
    reset_student(democlass.INSTRUCTOR)
    klass.runtime.mkdir(mode=0o700)
    log = open(klass.runtime / "hub.log", "wb")
    proc = subprocess.Popen(democlass.hub_command(klass), env=democlass.hub_environment(klass), cwd=klass.runtime,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (klass.runtime / "hub.log").read_text()[-3000:]
            try:
                urllib.request.urlopen(f"{klass.url}/hub/health", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, (klass.runtime / "hub.log").read_text()[-3000:]
                time.sleep(0.3)
        yield klass, passwords, chromium
    finally:
        proc.send_signal(signal.SIGTERM)              # as Ctrl-C / make hub-stop: the hub stops it all
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        leftovers = live_processes_of((democlass.INSTRUCTOR, *STUDENTS), settle=30)
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
        assert not leftovers, f"processes left after the hub stopped:\n{leftovers}"


# --- helpers ----------------------------------------------------------------------------------------

def nbgrader(klass, user, *args, check=True):
    return democlass.as_user(klass, user, str(democlass.VENV_BIN / "nbgrader"), *args, check=check)


def student_notebook(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir) / course.COURSE_ID / LESSON / f"{NOTEBOOK}.ipynb"


def answer(user: str, exercises: tuple[str, ...], written: bool, self_check: bool) -> None:
    """Put the solution of ``exercises`` (and the written answers) into the student's fetched copy."""
    path = student_notebook(user)
    nb, solution = nbtools.read(path), nbtools.read(course.SOLUTIONS / LESSON / f"{NOTEBOOK}.ipynb")
    solved = {nbtools.grade_meta(c).get("grade_id"): c.source for c in solution.cells}
    for cell in nb.cells:
        gid = nbtools.grade_meta(cell).get("grade_id")
        if gid in exercises:
            cell.source = "\n".join(line for line in solved[gid].splitlines() if "### " not in line)
        elif written and gid in WRITTEN:
            cell.source = WRITTEN[gid]
    if self_check:
        nb.cells.append(nbformat.v4.new_code_cell(SELF_CHECK))
    nbformat.write(nb, str(path))
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def hidden_test_lines() -> list[str]:
    """Distinctive lines of lesson 01's hidden tests (what must never reach a student)."""
    lines, answers = [], set()
    for cell in nbtools.read(course.SOLUTIONS / LESSON / f"{NOTEBOOK}.ipynb").cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 25]
        for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S):
            answers |= {line.strip() for line in block.splitlines()}
    # not secret: a line students are given in any released lesson, or one they write in their answer
    released = "".join(p.read_text() for p in sorted(course.LESSONS.glob("*/*.ipynb")))
    lines = [line for line in lines
             if json.dumps(line)[1:-1] not in released and line not in released and line not in answers]
    assert lines, "lesson 01 has hidden tests"
    return lines


def login(drv, klass, user, password):
    from selenium.webdriver.common.by import By

    drv.get(f"{klass.url}/hub/logout")                # the hub's cookies live under /hub/
    drv.get(f"{klass.url}/hub/login")
    wait(drv, lambda d: d.find_elements(By.ID, "username_input"), 90, "no hub log-in page")
    drv.find_element(By.ID, "username_input").send_keys(user)
    drv.find_element(By.ID, "password_input").send_keys(password)
    return drv.find_element(By.ID, "login_submit")


def wait_lab(drv):
    from selenium.webdriver.common.by import By

    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, "#jp-top-panel .lm-MenuBar-itemLabel"), 120,
         "JupyterLab did not load")


def open_assignments(drv):
    from selenium.webdriver.common.by import By

    from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException

    def menu_opened(d):
        # while JupyterLab is still laying out its shell, another element can cover the menu bar
        menu = next(e for e in d.find_elements(By.CSS_SELECTOR, "#jp-top-panel .lm-MenuBar-itemLabel")
                    if e.text == "Nbgrader")
        try:
            menu.click()
        except (ElementClickInterceptedException, StaleElementReferenceException):
            return False
        return True

    wait(drv, menu_opened, 60, "the Nbgrader menu could not be clicked")
    item = wait(drv, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".lm-Menu-itemLabel")
                                if e.text == "Assignment List"], 10, "no Assignment List menu item")[0]
    item.click()
    wait(drv, lambda d: d.find_elements(By.ID, "released_assignments_list"), 30, "no Assignments tab")


def list_button(drv, list_id, label, timeout=60):
    from selenium.webdriver.common.by import By

    return wait(drv, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, f"#{list_id} button")
                                if b.text == label and b.is_enabled()], timeout,
                f"no {label!r} button in {list_id}")[0]


def feedback_html(user: str) -> str:
    pages = list((student_notebook(user).parent / "feedback").glob(f"*/{NOTEBOOK}.html"))
    assert len(pages) == 1, pages
    return pages[0].read_text()


def cannot(klass, user, *cmd):
    proc = democlass.as_user(klass, user, *cmd, check=False)
    assert proc.returncode != 0, f"{user} could run {cmd}: {proc.stdout[:300]}"


# --- the class ----------------------------------------------------------------------------------------

def test_a_class_on_jupyterhub(hub, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    klass, passwords, chromium = hub
    art = artifacts_dir(tmp_path)
    steps = Steps("a class on JupyterHub")
    ins = democlass.INSTRUCTOR
    py = str(democlass.VENV_BIN / "python")

    # instructor: the roster was imported by the set-up (hub/roster.csv); release
    nbgrader(klass, ins, "release_assignment", LESSON)
    steps.done("instructor: release lesson 01 (nbgrader as instructor)")

    # bob and carol in the background: fetch; bob submits the blank notebook first
    def bob_and_carol():
        for student in ("bob", "carol"):
            nbgrader(klass, student, "fetch_assignment", LESSON)
        nbgrader(klass, "bob", "submit", LESSON)
        nbgrader(klass, "carol", "submit", LESSON)
        answer("bob", ("make_windows",), written=False, self_check=True)
        out = democlass.as_user(klass, "bob", str(democlass.VENV_BIN / "nbgrader"), "validate",
                                str(student_notebook("bob")), check=False)
        validated["bob"] = out.stdout + out.stderr
    validated: dict[str, str] = {}
    background = threading.Thread(target=bob_and_carol)
    background.start()

    drv = make_driver(*chromium, profile=tmp_path / "chromium-profile")
    try:
        with screenshot_on_failure(drv, art, "hub"):
            # --- alice, in the browser ---
            submit = login(drv, klass, "alice", passwords["alice"])
            shot(drv, art, "hub-1-login")
            submit.click()
            wait_lab(drv)
            steps.done("alice: log in, her JupyterLab starts as Unix user alice")
            open_assignments(drv)
            list_button(drv, "released_assignments_list", "Fetch").click()
            wait(drv, lambda d: LESSON in d.find_element(By.ID, "fetched_assignments_list").text, 60,
                 "the fetched lesson is not listed")
            shot(drv, art, "hub-2-assignments-fetched")
            steps.done("alice: Assignments tab, Fetch lesson 01")
            assert student_notebook("alice").is_file()

            answer("alice", ("make_windows", "time_split"), written=True, self_check=True)
            drv.get(f"{klass.url}/user/alice/lab/tree/{course.COURSE_ID}/{LESSON}/{NOTEBOOK}.ipynb")
            validate = wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel-toolbar jp-button.validate-button"),
                            120, "no Validate button")[0]
            wait(drv, lambda d: "Kernel status: Idle" in d.execute_script(
                 "return document.querySelector('.jp-NotebookPanel-toolbar').textContent"), 120, "the kernel did not start")
            ids = [nbtools.grade_meta(c).get("grade_id") for c in nbtools.read(student_notebook("alice")).cells]
            wait(drv, lambda d: len(lab_cells(d)) == len(ids), 60, "the notebook did not render all its cells")
            for gid in ("setup", "weather_load", "make_windows", "time_split"):
                run_cell(drv, ids.index(gid))
            out = run_cell(drv, len(ids) - 1, timeout=120).text
            assert "\u2713 make_windows_test" in out and "\u2713 time_split_test" in out, out
            shot(drv, art, "hub-3-selfcheck")
            steps.done("alice: answers in; runs them and her self-check cell: both exercises pass")
            validate.click()

            def validated_or_overwrite(d):
                for e in d.find_elements(By.CSS_SELECTOR, ".jp-Dialog"):
                    if "File Changed" in e.text:      # her answers were written beside the open tab
                        next(b for b in e.find_elements(By.CSS_SELECTOR, "button") if "Overwrite" in b.text).click()
                    elif "Validat" in e.text and "Validating" not in e.text:
                        return e
                return None
            dialog = wait(drv, validated_or_overwrite, 300, "no validation result")
            text = dialog.text
            shot(drv, art, "hub-4-validate")
            assert "Success" in text or "passes" in text, text
            dialog.find_element(By.CSS_SELECTOR, ".jp-Dialog-button").click()
            steps.done("alice: Validate — success")
            open_assignments(drv)
            list_button(drv, "fetched_assignments_list", "Submit").click()
            wait(drv, lambda d: LESSON in d.find_element(By.ID, "submitted_assignments_list").text, 60,
                 "the submission is not listed")
            shot(drv, art, "hub-5-submitted")
            steps.done("alice: Submit in the Assignments tab")

            background.join()
            assert "time_split" in validated["bob"], validated["bob"]
            # the deadline passes; bob submits his answered notebook again, late
            nbgrader(klass, ins, "db", "assignment", "add", LESSON, f"--duedate={dt.datetime.utcnow().isoformat()} UTC")
            time.sleep(1)
            nbgrader(klass, "bob", "submit", LESSON)
            steps.done("bob (blank, then answered and validated: late) and carol (blank): fetch, submit as themselves")

            # --- the instructor: collect, grade in the sandbox ---
            nbgrader(klass, ins, "collect", LESSON)
            graded = klass.state / "graded"
            democlass.as_user(klass, ins, py, "-m", "autograder", "grade", LESSON, str(klass.state / "submitted"),
                              "--out", str(graded), "--workers", "2", "--quiet",
                              "--cell-timeout", "300", "--notebook-timeout", "900")   # CI may be busy
            rows = {r["student_id"]: r for r in csv.DictReader(open(graded / "grades.csv"))}
            steps.done("instructor: collect, python -m autograder grade (sandboxed, 2 workers)")
            assert {s: (float(r["score"]), r["status"]) for s, r in rows.items()} == {
                "alice": (5.0, "graded"), "bob": (3.0, "graded"), "carol": (0.0, "graded")}, rows
            assert "Late by" in rows["bob"]["message"] and "0.3 points off" in rows["bob"]["message"], rows["bob"]

            # --- formgrader, in the browser ---
            login(drv, klass, ins, passwords[ins]).click()
            wait_lab(drv)
            drv.get(f"{klass.url}/user/{ins}/formgrader/manage_submissions/{LESSON}")
            wait(drv, lambda d: "Liddell" in d.find_element(By.TAG_NAME, "body").text, 60, "no names in formgrader")
            body = drv.find_element(By.TAG_NAME, "body").text
            assert "None, None" not in body, body
            shot(drv, art, "hub-6-formgrader-class")
            steps.done("instructor: log in, formgrader lists the class by name")
            notebook_id = democlass.as_user(klass, ins, py, "-c", (
                "from nbgrader.api import Gradebook; from autograder.course import State\n"
                f"gb = Gradebook(State.from_env().db_url, 'rnn-course')\n"
                f"print(gb.find_submission_notebook({NOTEBOOK!r}, {LESSON!r}, 'alice').id)")).stdout.strip()
            drv.get(f"{klass.url}/user/{ins}/formgrader/submissions/{notebook_id}/")
            score = wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, "input.score#shuffle_answer"), 60,
                         "no score box for the written answer")[0]
            drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", score)
            score.clear()
            score.send_keys("2", Keys.TAB)
            # formgrader saves the score in the background: wait until the gradebook holds it (a fixed
            # 1.5 s pause was too short on a loaded machine, and the feedback then said 5.0 / 9.0)
            saved = ("from nbgrader.api import Gradebook; from autograder.course import State\n"
                     "gb = Gradebook(State.from_env().db_url, 'rnn-course')\n"
                     f"print(gb.find_grade('shuffle_answer', {NOTEBOOK!r}, {LESSON!r}, 'alice').manual_score)")
            deadline = time.monotonic() + 60
            while democlass.as_user(klass, ins, py, "-c", saved).stdout.strip() != "2.0":
                assert time.monotonic() < deadline, "formgrader did not save alice's manual score"
                time.sleep(1)
            shot(drv, art, "hub-7-formgrader-written-answer")
            steps.done("instructor: formgrader manual grading — 2 points for alice's written answer")

            nbgrader(klass, ins, "generate_feedback", LESSON, "--force")
            nbgrader(klass, ins, "release_feedback", LESSON)
            steps.done("instructor: generate and release feedback")

            # --- alice fetches her feedback in the Assignments tab ---
            login(drv, klass, "alice", passwords["alice"]).click()
            wait_lab(drv)
            open_assignments(drv)
            list_button(drv, "submitted_assignments_list", "Fetch Feedback").click()
            wait(drv, lambda d: "view feedback" in d.find_element(By.ID, "submitted_assignments_list").text, 60,
                 "no feedback link after fetching")
            shot(drv, art, "hub-8-feedback-fetched")
            page = next((student_notebook("alice").parent / "feedback").glob(f"*/{NOTEBOOK}.html"))
            rel = page.relative_to(Path(pwd.getpwnam("alice").pw_dir))
            drv.get(f"{klass.url}/user/alice/files/{rel}")
            wait(drv, lambda d: "time_split" in d.find_element(By.TAG_NAME, "body").text, 60, "empty feedback page")
            # the lesson's formulas render (MathML made when the page was made; the page runs no script)
            formulas = drv.find_elements(By.TAG_NAME, "math")
            assert formulas and r"$r_1 \approx 0.9$" not in drv.find_element(By.TAG_NAME, "body").text, "raw LaTeX in the feedback"
            drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", formulas[0])
            shot(drv, art, "hub-9-feedback-alice")
            steps.done("alice: Fetch Feedback, open it")
    finally:
        drv.quit()
        background.join()
        print(steps.report())

    for student in ("bob", "carol"):
        nbgrader(klass, student, "fetch_feedback", LESSON)
    hidden = hidden_test_lines()
    expected = {"alice": "7.0 / 9.0", "bob": "2.7 / 9.0", "carol": "0.0 / 9.0"}   # bob: 3 − 10 % late
    for student, score in expected.items():
        html = feedback_html(student)
        assert score in html, (student, re.findall(r"Score: [^<]*", html))
        assert not [h for h in hidden if h in html], f"hidden tests in {student}'s feedback"
        assert "<math" in html and r"$r_1 \approx 0.9$" not in html, f"{student}'s feedback shows the lesson's LaTeX raw"
    # the summary names the exercises and says which written answers nobody has graded yet
    alice, carol = feedback_html("alice"), feedback_html("carol")
    assert "Autograded tests: 5.0 / 5.0 · written answers: 2.0 / 2.0 · 2.0 points not graded yet" in alice
    assert "<code>split_answer</code></a>" in alice and "not graded yet (2.0 points)" in alice and "Test cell" not in alice
    # carol's written answers are blank: nbgrader scores an unchanged answer 0 itself
    assert "Autograded tests: 0.0 / 5.0 · written answers: 0.0 / 4.0</p>" in carol

    export = klass.state / "class_grades.csv"
    democlass.as_user(klass, ins, py, "-m", "autograder", "export", "--out", str(export))
    final = {r["student_id"]: (float(r[LESSON]), r[f"{LESSON} status"]) for r in csv.DictReader(open(export))}
    assert final == {"alice": (7.0, "submitted"), "bob": (2.7, "late"), "carol": (0.0, "submitted"),
                     "dave": (0.0, "not submitted")}, final
    steps.done("students fetch feedback; grades export")

    # --- who can read what ---
    inbound = klass.exchange / course.COURSE_ID / "inbound"
    submissions = {s: sorted(inbound.glob(f"{s}+{LESSON}+*")) for s in STUDENTS}
    assert len(submissions["bob"]) == 2, submissions
    released = sorted((klass.exchange / course.COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == 3, released
    for reader in STUDENTS:
        cannot(klass, reader, "ls", str(inbound))
        for owner in STUDENTS:
            if owner != reader:
                for sub in submissions[owner]:
                    cannot(klass, reader, "cat", str(sub / f"{NOTEBOOK}.ipynb"))
                cannot(klass, reader, "ls", pwd.getpwnam(owner).pw_dir)
        own = {p.name for p in (student_notebook(reader).parent / "feedback").glob("*/*.html")}
        for page in released:
            readable = democlass.as_user(klass, reader, "cat", str(page), check=False).returncode == 0
            assert readable == (page.stat().st_gid == pwd.getpwnam(reader).pw_gid), (reader, page)
        assert sum(democlass.as_user(klass, reader, "cat", str(p), check=False).returncode == 0
                   for p in released) == 1, f"{reader} reads exactly one released feedback page ({own})"
        for secret in (REPO / "solutions" / LESSON / f"{NOTEBOOK}.ipynb", klass.state / "gradebook.db",
                       REPO / "tests", klass.state / "submitted"):
            cannot(klass, reader, "ls", str(secret))
        if (REPO / ".git").is_dir():
            cannot(klass, reader, "ls", str(REPO / ".git"))
        found = democlass.as_user(klass, reader, "grep", "-rlsF", "-e", hidden[0], *[a for h in hidden[1:] for a in ("-e", h)],
                                  str(klass.shared), "/home", str(REPO / "rnncourse"), str(REPO / "lessons"),
                                  str(REPO / "autograder"), check=False)
        assert found.stdout.strip() == "", f"{reader} can read hidden tests in: {found.stdout}"
    steps.done("permissions: no student reads another's work, feedback, or any hidden test")
    print(steps.report())
    print("final scores:", final)
    (art / "timings-hub.txt").write_text(steps.report() + f"\nfinal scores: {final}\n")
