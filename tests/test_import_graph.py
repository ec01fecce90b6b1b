"""Importing the grader changes nothing in the process: PATH, nbgrader and the warnings filters are
set up by ``config.prepare_nbgrader``, which the entry points call."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# --- importing changes nothing ------------------------------------------------------------------

IMPORT_ALL = ("import autograder.course, autograder.config, autograder.grade, autograder.worker, "
              "autograder.gradebook, autograder.cli, autograder.late, autograder.harness, autograder.build")


def test_importing_the_grader_changes_nothing_in_the_process(tmp_path):
    """PATH, nbgrader's functions and the warnings filters are set up by ``config.prepare_nbgrader``,
    which the entry points call; importing a module does none of it."""
    import subprocess

    code = ("import os, warnings\n"
            "path = os.environ['PATH']\n"
            f"{IMPORT_ALL}\n"
            "import nbgrader.api\n"
            "assert os.environ['PATH'] == path, ('PATH changed', os.environ['PATH'])\n"
            "assert not hasattr(nbgrader.api.get_alembic_version, 'cache_info'), 'nbgrader.api patched'\n"
            "assert not [f for f in warnings.filters if f[1] and 'not in session' in f[1].pattern], 'filter added'\n"
            "from autograder import config\n"
            "config.prepare_nbgrader()\n"
            "assert os.environ['PATH'] != path and hasattr(nbgrader.api.get_alembic_version, 'cache_info')\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RNNCOURSE_STATE": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (tmp_path / "state").exists()


def test_nbgrader_config_py_creates_no_state_folder(tmp_path):
    """nbgrader loads nbgrader_config.py for every command: it fills the Config, nothing more."""
    import subprocess

    code = ("from traitlets.config import Config\n"
            "c = Config()\n"
            "exec(open('nbgrader_config.py').read(), {'get_config': lambda: c})\n"
            "print(c.CourseDirectory.db_url, c.CourseDirectory.submitted_directory)\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RNNCOURSE_STATE": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    state = tmp_path / "state"
    assert done.stdout.split() == [f"sqlite:///{state / 'gradebook.db'}", str(state / "submitted")]
    assert not state.exists()
