"""Shared fixtures, and the suite's own rules.

Rules (enforced here, tested in tests/test_suite_rules.py):

* Under ``CI=true`` a skipped test is a failure, and so is a run that collected no test: CI must
  not go green because a browser, a database or the sandbox was missing. Every system package the
  tests need is installed before pytest starts (``make test``); fixtures only look for them.
* A run that deselects the slow tests (``-m "not slow"``, what ``make test-fast`` runs) starts no
  Jupyter kernel and imports no TensorFlow: a test that tries fails and names itself.
"""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)   # tests/test_suite_rules.py runs these rules on tiny test files

# autograder is imported inside the helpers that use it, so these rules load in a blink there.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def per_assignment():
    """One pytest param per lesson, grouped so xdist runs a lesson's tests on one worker."""
    from autograder import course

    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(a)) for a in course.assignments()]


def per_notebook_group():
    """One pytest param per part of the course the lesson harness checks on its own: a lesson, or
    each notebook of a lesson that has several (lesson 07's five would otherwise keep one xdist
    worker busy for minutes at the end of the run). Its value is ``(assignment, notebooks)``, with
    ``notebooks`` None for the whole lesson."""
    from autograder import course

    params = []
    for a in course.assignments():
        names = course.notebooks(a)
        parts = [(a, None)] if len(names) == 1 else [(a, (n,)) for n in names]
        params += [pytest.param(part, id=a if part[1] is None else f"{a}/{part[1][0]}",
                                marks=pytest.mark.xdist_group("/".join([a, *(part[1] or ())])))
                   for part in parts]
    return params


@pytest.fixture(scope="session", autouse=True)
def nbgrader_ready():
    """What the grader's entry points do before nbgrader runs (``config.prepare_nbgrader``: its
    executables on PATH, ...): importing the grader no longer does it, and tests open gradebooks."""
    from autograder import config

    config.prepare_nbgrader()


@pytest.fixture
def fixture_state(tmp_path):
    """A grading state whose nbgrader source is the tiny fixture course in tests/fixtures/course."""
    from autograder import course

    return course.State.from_env(tmp_path / "state", source=FIXTURES / "course")


@pytest.fixture(scope="session")
def read_grades():
    """``read_grades(out, timing=True)``: the ``grades.csv`` in folder ``out`` as {student_id: row};
    ``timing=False`` drops ``duration_s``, the one column that may differ between two gradings."""
    def read(out: Path, timing: bool = True) -> dict[str, dict]:
        with open(Path(out) / "grades.csv", newline="") as fh:
            return {r["student_id"]: {k: v for k, v in r.items() if timing or k != "duration_s"}
                    for r in csv.DictReader(fh)}
    return read


@pytest.fixture(scope="session")
def checksums():
    """``checksums(folder)``: {path: SHA-256} of every file under ``folder`` (to prove nothing changed)."""
    def digest(folder: Path) -> dict[Path, str]:
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(folder).rglob("*") if p.is_file()}
    return digest


# --- CI: a skip is a failure ------------------------------------------------------------------

def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip(report) -> None:
    if on_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (f"skipped under CI=true, which counts as a failure "
                           f"(install what the test needs before pytest starts): {_skip_reason(report)}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    _fail_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    _fail_skip(report)
    return report


# --- the fast suite: no kernel, no TensorFlow -------------------------------------------------

HEAVY_MODULES = ("tensorflow", "keras")
KERNEL_MARKERS = ("ipykernel_launcher", "ipykernel.kernelapp")


def is_fast_run(config) -> bool:
    """True when the mark expression deselects the slow tests (``make test-fast``)."""
    return "not slow" in " ".join((config.getoption("markexpr") or "").split())


class FastSuiteGuard:
    """Refuses TensorFlow imports and kernel launches in this process, and remembers who tried."""

    def __init__(self):
        self.violations: list[str] = []
        self.current = "collection"
        self._popen_init = None

    # a sys.meta_path finder: consulted before any module is loaded
    def find_spec(self, name, path=None, target=None):
        if name.split(".", 1)[0] in HEAVY_MODULES:
            message = f"{self.current} imports {name}: the fast suite imports no TensorFlow; mark the test slow"
            self.violations.append(message)
            raise ImportError(message)
        return None

    def install(self) -> None:
        already = sorted(m for m in sys.modules if m.split(".", 1)[0] in HEAVY_MODULES)
        if already:
            self.violations.append(f"imported before the tests started: {', '.join(already[:5])}")
        sys.meta_path.insert(0, self)
        guard, real = self, subprocess.Popen.__init__
        self._popen_init = real

        def popen_init(popen, args, *a, **kw):
            argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
            text = " ".join(os.fsdecode(x) if isinstance(x, (bytes, os.PathLike)) else str(x) for x in argv)
            if any(marker in text for marker in KERNEL_MARKERS):
                message = f"{guard.current} starts a Jupyter kernel: the fast suite starts none; mark the test slow"
                guard.violations.append(message)
                raise RuntimeError(message)
            real(popen, args, *a, **kw)

        subprocess.Popen.__init__ = popen_init

    def uninstall(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        if self._popen_init is not None:
            subprocess.Popen.__init__ = self._popen_init
            self._popen_init = None


def pytest_configure(config):
    if is_fast_run(config):
        config._fast_suite_guard = FastSuiteGuard()
        config._fast_suite_guard.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    guard = getattr(item.config, "_fast_suite_guard", None)
    if guard is not None:
        guard.current = item.nodeid
    return (yield)


def pytest_sessionfinish(session, exitstatus):
    guard = getattr(session.config, "_fast_suite_guard", None)
    if guard is not None:
        guard.uninstall()
        heavy = sorted(m for m in sys.modules if m.split(".", 1)[0] in HEAVY_MODULES)
        if heavy:
            guard.violations.append(f"loaded at the end of the fast suite: {', '.join(heavy[:5])}")
        session.config._fast_suite_report = (
            ["fast suite broke its promise:"] + [f"  {v}" for v in guard.violations] if guard.violations
            else ["fast suite: no Jupyter kernel started, tensorflow/keras not in sys.modules"])
        if guard.violations and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if on_ci() and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.config._ci_no_tests = True
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in getattr(config, "_fast_suite_report", []):
        terminalreporter.write_line(line)
    if getattr(config, "_ci_no_tests", False):
        terminalreporter.write_line("no tests ran: under CI=true that is a failure (exit 1, not 5)", red=True)
