"""The student kit works on its own, as a student gets it.

The kit is published to a temporary folder outside this repository and set up with its own
``install.py`` into a new virtual environment (pip reuses this machine's wheel cache). Nothing of
this repository is on that environment's path. In that environment, each blank lesson runs in a
kernel up to its first exercise: every cell before the answer cell runs cleanly, the answer cell
at most raises the stub's NotImplementedError, and the exercise's test cell fails (the stub raises
NotImplementedError, or the check rejects the blank answer). ``rnncourse.selfcheck.check`` then prints the visible check's message (✗) for the blank
exercise, and ✓ for a solved exercise pasted in, as a student would type it.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder import publish

ROOT = publish.REPO

# Runs in the kit's environment with the kit's own packages (nbclient comes with JupyterLab).
DRIVER = r'''
import json, os, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

jobs = json.loads(Path(sys.argv[1]).read_text())
results = {}
for job in jobs:
    path = Path(job["notebook"]).resolve()
    nb = nbformat.read(path, as_version=4)
    nb.cells = nb.cells[:job["run_cells"]] + [nbformat.v4.new_code_cell(src) for src in job["extra"]]
    os.environ["JPY_SESSION_NAME"] = str(path)      # what Jupyter tells the kernel: selfcheck finds the notebook
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    cells = []
    for cell in nb.cells:
        outs = cell.get("outputs", [])
        err = next((o for o in outs if o.get("output_type") == "error"), None)
        text = "".join(o.get("text", "") for o in outs if o.get("output_type") == "stream" and o.get("name") == "stdout")
        cells.append({"error": err and [err["ename"], err["evalue"]], "stdout": text})
    results[job["notebook"]] = cells
print(json.dumps(results))
'''

# In the kit's kernel: where rnncourse comes from, and that nothing of the instructors' side is there.
PROVENANCE = ("import importlib.util, rnncourse; print(rnncourse.__file__); "
              "print([m for m in ('autograder', 'nbgrader', 'rnncourse.grading') if importlib.util.find_spec(m)])")


def first_exercise(cells: list[dict]) -> tuple[int, int]:
    """Indices of the first answer (solution) cell and of the first autograded test cell after it."""
    answer = next(i for i, c in enumerate(cells) if c["cell_type"] == "code"
                  and c["metadata"].get("nbgrader", {}).get("solution"))
    test = next(i for i, c in enumerate(cells) if i > answer and c["cell_type"] == "code"
                and c["metadata"].get("nbgrader", {}).get("grade"))
    return answer, test


def solved_cell(lesson_notebook: str, grade_id: str) -> str:
    """The model answer of one exercise, as a student would paste it (from solutions/)."""
    cells = json.loads((ROOT / "solutions" / lesson_notebook).read_text())["cells"]
    return next("".join(c["source"]) for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.mark.slow
def test_published_kit_sets_up_and_runs_on_its_own(tmp_path):
    kit = tmp_path / "student" / "rnn-course"
    publish.publish(kit)
    # No PYTHONPATH and no virtual environment of this repository; pip keeps this machine's own
    # configuration (HOME: its index mirrors and wheel cache), while the kernels get an empty home.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)), "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2"}
    for key in os.environ:
        if key.startswith(("PIP_", "XDG_")):
            env[key] = os.environ[key]
    kernel_env = dict(env, HOME=str(tmp_path / "home"))
    (tmp_path / "home").mkdir()

    started = time.monotonic()
    setup = subprocess.run([sys.executable, "install.py"], cwd=kit, env=env, capture_output=True, text=True,
                           timeout=2400)
    install_seconds = time.monotonic() - started
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-3000:]
    assert "Ready. Open the lessons with:\n    .venv/bin/jupyter lab lessons" in setup.stdout
    python = kit / ".venv" / "bin" / "python"
    print(f"kit set-up (install.py) took {install_seconds:.0f} s")

    jobs = []
    for nb in sorted((kit / "lessons").glob("*/*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        answer, test = first_exercise(cells)
        gid = cells[test]["metadata"]["nbgrader"]["grade_id"]
        extra = [f"from rnncourse.selfcheck import check\ncheck({gid!r})"]
        jobs.append({"notebook": str(nb.relative_to(kit)), "run_cells": test + 1, "extra": extra,
                     "answer": answer, "test": test, "grade_id": gid})
    lesson01 = next(j for j in jobs if j["notebook"].startswith("lessons/01_sequences/"))
    lesson01["extra"] += [PROVENANCE, solved_cell("01_sequences/sequences.ipynb", "make_windows"),
                          "check('make_windows')"]

    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)

    def run(part):
        spec = tmp_path / f"jobs{part}.json"
        spec.write_text(json.dumps(jobs[part::2]))
        proc = subprocess.run([str(python), str(driver), str(spec)], cwd=kit, env=kernel_env, capture_output=True,
                              text=True, timeout=1200)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(2) as pool:
        results = {k: v for part in pool.map(run, (0, 1)) for k, v in part.items()}
    print(f"kit set-up and lessons took {time.monotonic() - started:.0f} s")

    assert set(results) == {j["notebook"] for j in jobs}
    for job in jobs:
        cells = results[job["notebook"]]
        name = job["notebook"]
        for i in range(job["answer"]):
            assert cells[i]["error"] is None, f"{name}: cell {i} before the first exercise failed: {cells[i]['error']}"
        answer_error = cells[job["answer"]]["error"]    # a stub in a function body raises only when called
        assert answer_error is None or answer_error[0] == "NotImplementedError", f"{name}: {answer_error}"
        test_error = cells[job["test"]]["error"]
        assert test_error is not None, f"{name}: the first exercise's test passed on the blank lesson"
        assert test_error[0] in ("NotImplementedError", "AssertionError"), f"{name}: {test_error}"
        check_line = cells[job["run_cells"]]["stdout"].strip()
        assert check_line.startswith(f"✗ {job['grade_id']}: "), f"{name}: {check_line!r}"
        if test_error[0] == "NotImplementedError":
            assert "not answered yet" in check_line
        else:
            assert test_error[1].splitlines()[0] in check_line    # the check's own message

    cells = results[lesson01["notebook"]]
    provenance = cells[lesson01["run_cells"] + 1]["stdout"].splitlines()
    assert Path(provenance[0]).resolve().is_relative_to(kit.resolve()) and provenance[1] == "[]"
    assert cells[-2]["error"] is None
    assert cells[-1]["stdout"].startswith("✓ make_windows_test"), cells[-1]


def test_kit_install_script_refuses_unsupported_pythons_and_intel_macs():
    """install.py names the missing Python, or the Intel-Mac limitation, instead of failing halfway."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kit_install", ROOT / "autograder" / "kit" / "install.py")
    install = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(install)
    needs = "needs Python 3.11 (3.11.5 or later), 3.12 or 3.13, and this is Python"
    assert f"{needs} 3.10.12" in install.problem((3, 10, 12))
    assert f"{needs} 3.11.4" in install.problem((3, 11, 4))
    assert f"{needs} 3.14.0" in install.problem((3, 14, 0))
    assert "Intel Mac" in install.problem((3, 12, 1), "darwin", "x86_64")
    for ok in [((3, 11, 5), "linux", "x86_64"), ((3, 12, 0), "darwin", "arm64"), ((3, 13, 7), "win32", "AMD64")]:
        assert install.problem(*ok) is None
    # where to get a supported Python, by system: Debian 12 and Ubuntu 22.04 have no python3.12 package
    assert "Miniforge" in install.problem((3, 11, 2), "linux") and "py -3.12" in install.problem((3, 9, 0), "win32")
    assert "brew install python@3.12" in install.problem((3, 9, 0), "darwin")


def test_kit_install_script_speaks_to_any_old_python_instead_of_a_syntax_error():
    """Python 2.7 and 3.6 read install.py and get the message, not a SyntaxError: the real old
    interpreters where this machine has them, and always the rule that keeps it so."""
    import glob
    import io
    import tokenize

    script = ROOT / "autograder" / "kit" / "install.py"
    source = script.read_text()
    assert "from __future__ import annotations" not in source
    strings = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.STRING]
    assert not [s for s in strings if s[:2].lower() in ("f'", 'f"', "rf", "fr")], "an f-string: Python 2.7 cannot read it"
    assert all(not (isinstance(n, ast.FunctionDef) and (n.returns or any(a.annotation for a in n.args.args)))
               for n in ast.walk(ast.parse(source))), "an annotation: Python 2.7 cannot read it"
    old = sorted(glob.glob(str(Path.home() / ".pyenv/versions/2.7*/bin/python"))
                 + glob.glob(str(Path.home() / ".pyenv/versions/3.6*/bin/python")))
    for python in old:
        run = subprocess.run([python, str(script)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 1 and "This course needs Python 3.11" in run.stderr, (python, run.stderr)
        assert "Traceback" not in run.stderr, (python, run.stderr)
    print(f"old interpreters run: {old}")


def test_kit_install_script_explains_a_pip_failure_without_a_traceback(tmp_path):
    """Offline (or any pip failure), the student reads what went wrong and what to do next."""
    shutil.copy(ROOT / "autograder" / "kit" / "install.py", tmp_path / "install.py")
    (tmp_path / "requirements.txt").write_text("no-such-course-package==1.0\n")
    (tmp_path / "constraints.txt").write_text("")
    (tmp_path / "wheels").mkdir()
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp_path / "wheels"))
    run = subprocess.run([sys.executable, "install.py", "--no-venv"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "pip could not install the course's packages" in run.stderr and "python install.py --no-venv" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
