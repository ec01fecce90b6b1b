"""The sandbox itself: what the kernel's world contains (fast: no kernel, just bwrap)."""
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder import course, sandbox


def run_inside(tmp_path, *argv):
    scratch = Path(tempfile.mkdtemp(prefix="rnncourse-sbx-", dir=tmp_path))
    jail = sandbox.Jail(scratch, scratch / "work")
    (scratch / "work").mkdir()
    return subprocess.run(jail.wrap(list(argv)), capture_output=True, text=True, timeout=60, env=jail.environment())


def test_a_repository_under_tmp_stays_visible(tmp_path, monkeypatch):
    """A CI clone lives under /tmp; the sandbox's private /tmp must not hide its venv or package."""
    under_tmp = Path(tempfile.mkdtemp(prefix="rnncourse-clone-", dir="/tmp"))
    (under_tmp / "marker.txt").write_text("visible")
    roots = sandbox._read_only_roots() + [under_tmp]
    monkeypatch.setattr(sandbox, "_read_only_roots", lambda: roots)
    proc = run_inside(tmp_path, "/bin/cat", str(under_tmp / "marker.txt"))
    assert proc.returncode == 0 and proc.stdout == "visible", proc.stderr


def test_python_and_the_course_package_work_but_secrets_are_absent(tmp_path):
    code = ("import os, rnncourse, socket\n"
            f"print(os.path.exists({str(course.SOLUTIONS)!r}), os.path.exists({str(course.REPO / '.git')!r}))\n"
            "s = socket.socket()\n"
            "try:\n    s.connect(('127.0.0.1', 22)); print('net')\n"
            "except OSError:\n    print('no net')\n")
    proc = run_inside(tmp_path, sys.executable, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", "no", "net"]
