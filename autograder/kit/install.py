"""Set up the RNN course on this computer: ``python3 install.py`` (Windows: ``py -3.12 install.py``).

Creates a virtual environment ``.venv`` in this folder with the course's pinned packages (no data is
ever downloaded by the lessons: the datasets come inside these packages), and makes the course
helpers (``rnncourse``) importable from every lesson. Run it again at any time: it only adds what
is missing. ``--no-venv`` installs into the Python that runs this script instead (e.g. an activated
conda environment made from environment.yml).
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OLDEST, NEWEST = (3, 11, 5), (3, 13)   # soupsieve, pulled in by JupyterLab, needs 3.11.5


def problem(version: tuple = sys.version_info[:3], system: str = sys.platform,
            machine: str = platform.machine()) -> str | None:
    """Why this computer cannot run the course, or None."""
    if not (tuple(version) >= OLDEST and tuple(version[:2]) <= NEWEST):
        return (f"This course needs Python 3.11 (3.11.5 or later), 3.12 or 3.13, and this is Python "
                f"{'.'.join(map(str, version))}.\n"
                "Install one of them (python.org, `brew install python@3.12`, `sudo apt install python3.12-venv`, "
                "or the Microsoft Store on Windows) and run this script with it, e.g. `python3.12 install.py` "
                "(Windows: `py -3.12 install.py`).")
    if system == "darwin" and machine == "x86_64":
        return ("This is an Intel Mac: TensorFlow publishes no macOS x86_64 (Intel) build of the version the "
                "course uses, so the lessons cannot run here natively. Use the course's JupyterHub if it has "
                "one, or a Linux computer or virtual machine.")
    return None


def main(argv: list[str]) -> int:
    reason = problem()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    if "--no-venv" in argv:
        python = Path(sys.executable)
    else:
        env = HERE / ".venv"
        python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        if not python.exists():
            print(f"creating {env}")
            venv.EnvBuilder(with_pip=True).create(env)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(HERE / "requirements.txt"), "-c", str(HERE / "constraints.txt")], check=True)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # A .pth file puts this folder on the environment's import path: `import rnncourse` works in
    # every lesson, whatever folder the notebook runs in.
    Path(purelib, "rnncourse-kit.pth").write_text(str(HERE) + "\n", encoding="utf-8")
    jupyter = "jupyter" if "--no-venv" in argv else (r".venv\Scripts\jupyter" if os.name == "nt" else ".venv/bin/jupyter")
    print(f"\nReady. Open the lessons with:\n    {jupyter} lab lessons")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
