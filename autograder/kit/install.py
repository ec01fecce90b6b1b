"""Set up the RNN course on this computer: ``python3 install.py`` (Windows: ``py -3.12 install.py``).

Creates a virtual environment ``.venv`` in this folder with the course's pinned packages (no data is
ever downloaded by the lessons: the datasets come inside these packages), and makes the course
helpers (``rnncourse``) importable from every lesson. Run it again at any time: it only adds what
is missing. ``--no-venv`` installs into the Python that runs this script instead (e.g. an activated
conda environment made from environment.yml).

This file is written so that any Python, 2.7 included, can read it and say which Python is needed,
instead of failing with a SyntaxError: no f-strings, no annotations, ``format`` only.
"""
from __future__ import print_function

import os
import platform
import subprocess
import sys

OLDEST, NEWEST = (3, 11, 5), (3, 13)   # soupsieve, pulled in by JupyterLab, needs 3.11.5

HOW_TO_GET_PYTHON = {
    "darwin": "python.org's installer for macOS, or Homebrew: `brew install python@3.12`, then `python3.12 install.py`.",
    "win32": "python.org's installer or the Microsoft Store (Python 3.12), then `py -3.12 install.py`.",
    "linux": ("your distribution's Python 3.12 or 3.13 where it has one (Ubuntu 24.04: `sudo apt install "
              "python3.12-venv`; Debian 13: `sudo apt install python3.13-venv`; Fedora 40 or later: the system python3 is new enough), then "
              "`python3.12 install.py` (or `python3.13 install.py`). Debian 12 and Ubuntu 22.04 have none: "
              "install Miniforge (conda-forge's installer, no administrator rights needed), then `conda create "
              "-n rnn python=3.12`, `conda activate rnn` and `python install.py`."),
}


def problem(version=tuple(sys.version_info[:3]), system=sys.platform, machine=None):
    """Why this computer cannot run the course (a message), or None (``machine``: this one's)."""
    machine = platform.machine() if machine is None else machine
    if not (tuple(version) >= OLDEST and tuple(version[:2]) <= NEWEST):
        where = HOW_TO_GET_PYTHON.get("linux" if system.startswith("linux") else system, HOW_TO_GET_PYTHON["linux"])
        return ("This course needs Python 3.11 (3.11.5 or later), 3.12 or 3.13, and this is Python {0}.\n"
                "Install one of them: {1}").format(".".join(map(str, version)), where)
    if system == "darwin" and machine == "x86_64":
        return ("This is an Intel Mac: TensorFlow publishes no macOS x86_64 (Intel) build of the version the "
                "course uses, so the lessons cannot run here natively. Use the course's JupyterHub if it has "
                "one, or a Linux computer or virtual machine.")
    return None


PIP_FAILED = """
pip could not install the course's packages (exit status {0}); the lines above say why.
Common causes:
  - no internet connection, or a proxy in the way: the first set-up downloads every package;
  - the disk is full: TensorFlow alone takes more than a gigabyte;
  - a package index set up for another project (pip.conf, PIP_INDEX_URL).
Fix that and run `{1}` again: it continues from what is already installed."""


def main(argv):
    reason = problem()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    import venv

    here = os.path.dirname(os.path.abspath(__file__))
    if "--no-venv" in argv:
        python = sys.executable
    else:
        env = os.path.join(here, ".venv")
        python = os.path.join(env, "Scripts", "python.exe") if os.name == "nt" else os.path.join(env, "bin", "python")
        if not os.path.exists(python):
            print("creating {0}".format(env))
            venv.EnvBuilder(with_pip=True).create(env)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    installed = subprocess.run(pip + ["-r", os.path.join(here, "requirements.txt"),
                                      "-c", os.path.join(here, "constraints.txt")])
    if installed.returncode != 0:
        again = "python " + " ".join(["install.py"] + list(argv))
        print(PIP_FAILED.format(installed.returncode, again), file=sys.stderr)
        return installed.returncode
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    # A .pth file puts this folder on the environment's import path: `import rnncourse` works in
    # every lesson, whatever folder the notebook runs in.
    with open(os.path.join(purelib, "rnncourse-kit.pth"), "w", encoding="utf-8") as pth:
        pth.write(here + "\n")
    jupyter = "jupyter" if "--no-venv" in argv else (r".venv\Scripts\jupyter" if os.name == "nt" else ".venv/bin/jupyter")
    print("\nReady. Open the lessons with:\n    {0} lab lessons".format(jupyter))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
