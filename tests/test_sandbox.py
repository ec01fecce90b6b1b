"""The sandbox itself: what the kernel's world contains (fast: no kernel, just bwrap)."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder import course, sandbox


def run_inside(tmp_path, *argv, hide=()):
    # directly under /tmp, as the executor does: the kernel's unprivileged user must reach the folder
    scratch = Path(tempfile.mkdtemp(prefix="rnncourse-sbx-"))
    jail = sandbox.Jail(scratch, scratch / "work", hide=list(hide)).open()
    try:
        return subprocess.run(jail.wrap(list(argv)), capture_output=True, text=True, timeout=120,
                              env=jail.environment())
    finally:
        jail.close()
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_repository_under_tmp_stays_visible(tmp_path, monkeypatch):
    """A CI clone lives under /tmp; the sandbox's private /tmp must not hide its venv or package."""
    under_tmp = Path(tempfile.mkdtemp(prefix="rnncourse-clone-", dir="/tmp"))
    under_tmp.chmod(0o755)    # as a checkout is: the kernel's unprivileged user reads it
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


def test_the_student_kernel_sees_the_grading_references_empty(tmp_path):
    """What twokernel gives the student's jail: rnncourse.grading (source and bytecode) reads as empty
    and cannot be imported from; the rest of the package still works; the checker's jail has it."""
    import py_compile

    from autograder import paths

    py_compile.compile(str(course.REPO / "rnncourse" / "grading.py"))      # bytecode exists on the host
    hidden = paths.grading_only_files()
    assert any(f.suffix == ".pyc" for f in hidden) and any(f.suffix == ".py" for f in hidden)
    code = ("import glob, rnncourse, rnncourse.checks\n"
            "files = glob.glob(rnncourse.__path__[0] + '/**/grading*', recursive=True)\n"
            "print(len(files) > 1, sum(len(open(f, 'rb').read()) for f in files))\n"
            "try:\n    from rnncourse.grading import keras_param_count; print('imported')\n"
            "except ImportError:\n    print('ImportError')\n")
    proc = run_inside(tmp_path, sys.executable, "-c", code, hide=hidden)
    assert proc.returncode == 0 and proc.stdout.split() == ["True", "0", "ImportError"], proc.stdout + proc.stderr
    proc = run_inside(tmp_path, sys.executable, "-c", code)
    assert proc.returncode == 0 and proc.stdout.split()[-1] == "imported", proc.stdout + proc.stderr


def test_the_kernel_is_not_root_and_cannot_read_root_only_files(tmp_path):
    """As root, the grader starts the sandbox as ``nobody``: /etc/shadow stays closed, the venv and
    the course package still load, and the working folder is writable."""
    code = ("import os, rnncourse\n"
            "try:\n    open('/etc/shadow').read(); print('shadow read')\n"
            "except OSError as exc:\n    print(type(exc).__name__)\n"
            "open('written.txt', 'w').write('x'); print(os.getuid() != 0, os.getgid() != 0)\n")
    proc = run_inside(tmp_path, sys.executable, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["PermissionError", "True", "True"], proc.stdout


def test_working_folder_home_tmp_and_scratch_share_one_disk_cap(tmp_path):
    """Everything the kernel can write is one tmpfs of ``Limits.disk_bytes``: 4 x 100 MiB spread over
    the working folder, home, /tmp and the scratch folder itself stop at the cap."""
    cap = sandbox.Limits().disk_bytes
    code = ("import os\nwritten = 0\n"
            "for folder in ['.', os.environ['HOME'], '/tmp', os.path.dirname(os.getcwd())]:\n"
            "    for i in range(2):\n"
            "        try:\n"
            "            with open(os.path.join(folder, f'fill{i}'), 'wb') as fh:\n"
            "                for _ in range(50):\n"
            "                    fh.write(b'x' * (1 << 20)); fh.flush(); written += 1 << 20\n"
            "        except OSError:\n            pass\n"
            "print(written)\n")
    proc = run_inside(tmp_path, sys.executable, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert cap - (8 << 20) <= int(proc.stdout) <= cap, (proc.stdout, cap)


def test_read_only_cells_get_a_longer_time_limit_within_the_notebook_budget():
    """A read-only demonstration cell runs reference code: on a loaded machine it may take longer
    than a student cell's limit, so it gets ``read_only_factor`` times it, never past the budget."""
    import time

    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.twokernel import Limits, Session

    session = Session(new_notebook(), Path("."), Path("."), Limits(timeout=60, read_only_factor=5))
    demo = new_code_cell("train()", metadata={"nbgrader": {"locked": True, "grade": False, "solution": False}})
    answer = new_code_cell("x", metadata={"nbgrader": {"locked": False, "grade": False, "solution": True}})
    test = new_code_cell("check()", metadata={"nbgrader": {"locked": True, "grade": True, "solution": False}})
    free = new_code_cell("y")
    session.deadline = time.monotonic() + 1000
    assert [round(session.cell_limit(c)) for c in (demo, answer, test, free)] == [300, 60, 60, 60]
    session.deadline = time.monotonic() + 120.5
    assert 119 < session.cell_limit(demo) <= 120.5
    session.deadline = time.monotonic() + 0.2
    assert session.cell_limit(test) == 0.5
