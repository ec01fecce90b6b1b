"""The suite's own rules (tests/conftest.py), run on tiny test files in a pytest subprocess with this
repository's conftest: under CI=true a skip or an empty run fails, and the fast suite refuses to
import TensorFlow or start a kernel."""
from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = (Path(__file__).resolve().parent / "conftest.py").read_text()

SKIPS = """
import pytest

def test_runs():
    assert True

def test_needs_a_browser():
    pytest.skip("chromium not installed")

@pytest.fixture
def server():
    pytest.skip("no PostgreSQL server")

def test_needs_a_server(server):
    pass

@pytest.mark.skipif(True, reason="not on this platform")
def test_marked_skip():
    pass

@pytest.mark.xfail(reason="known bug", strict=True)
def test_expected_failure():
    assert False
"""


@pytest.fixture
def suite(pytester, monkeypatch):
    """A pytest project that uses this repository's conftest; ``suite(ci, *args)`` runs it."""
    pytester.makeconftest(CONFTEST)
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")   # only pytest and this conftest: quick

    def run(ci: bool, *args: str):
        if ci:
            monkeypatch.setenv("CI", "true")
        else:
            monkeypatch.delenv("CI", raising=False)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    return run


def test_skips_pass_locally_but_fail_under_ci(suite, pytester):
    pytester.makepyfile(test_skips=SKIPS)
    local = suite(False)
    local.assert_outcomes(passed=1, skipped=3, xfailed=1)
    assert local.ret == 0

    ci = suite(True)
    assert ci.ret == pytest.ExitCode.TESTS_FAILED
    # a skip in the test body fails it; one in set-up (a fixture, a skipif mark) is a set-up error
    ci.assert_outcomes(passed=1, failed=1, errors=2, xfailed=1)
    out = ci.stdout.str()
    for reason in ("chromium not installed", "no PostgreSQL server", "not on this platform"):
        assert reason in out
    assert "skipped under CI=true, which counts as a failure" in out


def test_a_module_skipped_at_collection_fails_under_ci(suite, pytester):
    pytester.makepyfile(test_mod="import pytest\npytest.importorskip('no_such_module_rnncourse')\n"
                                 "def test_x():\n    pass\n")
    assert suite(False).ret == pytest.ExitCode.NO_TESTS_COLLECTED
    ci = suite(True)
    assert ci.ret not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    assert "no_such_module_rnncourse" in ci.stdout.str()


def test_no_tests_is_a_failure_under_ci(suite, pytester):
    pytester.makepyfile(test_empty="def helper():\n    pass\n")
    assert suite(False).ret == pytest.ExitCode.NO_TESTS_COLLECTED
    ci = suite(True)
    assert ci.ret == pytest.ExitCode.TESTS_FAILED
    assert "no tests ran: under CI=true that is a failure" in ci.stdout.str()
    # everything deselected is the same empty run
    pytester.makepyfile(test_slow="import pytest\n@pytest.mark.slow\ndef test_s():\n    pass\n")
    assert suite(True, "-m", "not slow", "-p", "no:warnings").ret == pytest.ExitCode.TESTS_FAILED


def test_the_fast_suite_refuses_tensorflow_and_kernels(suite, pytester):
    pytester.makepyfile(test_heavy="""
import subprocess, sys

def test_light():
    import json

def test_imports_tf():
    import tensorflow

def test_imports_keras_quietly():
    try:
        import keras
    except ImportError:
        pass

def test_starts_a_kernel():
    subprocess.Popen([sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"])

def test_other_subprocesses_are_fine():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
""")
    fast = suite(False, "-m", "not slow", "-p", "no:warnings")
    fast.assert_outcomes(passed=3, failed=2)
    out = fast.stdout.str()
    assert "the fast suite imports no TensorFlow; mark the test slow" in out
    assert "the fast suite starts none; mark the test slow" in out
    assert "fast suite broke its promise:" in out
    assert "test_heavy.py::test_imports_keras_quietly imports keras" in out   # swallowed, still reported
    assert fast.ret == pytest.ExitCode.TESTS_FAILED


def test_a_light_fast_suite_says_so(suite, pytester):
    pytester.makepyfile(test_light="def test_light():\n    import json\n")
    fast = suite(False, "-m", "not slow")
    fast.assert_outcomes(passed=1)
    assert "fast suite: no Jupyter kernel started, tensorflow/keras not in sys.modules" in fast.stdout.str()
    full = suite(False)                                      # the guard is only for the fast suite
    assert "fast suite" not in full.stdout.str()


def test_an_xdist_group_runs_on_one_worker(suite, pytester, tmp_path):
    """``make test`` relies on ``--dist loadgroup``: a lesson's harness run is shared by its tests only
    when they run on one worker (pytest 9.2 broke that silently: every lesson was checked twice)."""
    log = tmp_path / "where.txt"
    pytester.makepyfile(test_groups=f"""
import os
import pytest

GROUPS = [pytest.param(g, id=g, marks=pytest.mark.xdist_group(g)) for g in ("g1", "g2", "g3", "g4")]

@pytest.mark.parametrize("group", GROUPS)
def test_first(group):
    open({str(log)!r}, "a").write(f"{{group}} {{os.getpid()}}\\n")

@pytest.mark.parametrize("group", GROUPS)
def test_second(group):
    open({str(log)!r}, "a").write(f"{{group}} {{os.getpid()}}\\n")
""")
    done = suite(False, "-p", "xdist.plugin", "-n", "2", "--dist", "loadgroup")
    done.assert_outcomes(passed=8)
    where: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        group, pid = line.split()
        where.setdefault(group, set()).add(pid)
    assert all(len(pids) == 1 for pids in where.values()), f"a group ran on several workers: {where}"
