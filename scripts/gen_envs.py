"""Write environment.yml and environment-gpu.yml from the requirement files (run by `make envs`)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from autograder import envs  # noqa: E402  (this script runs without the package installed)

HEADER = ("# Conda environment for the RNN course kit (instructors: lessons, grading, tests), {note}.\n"
          "# Generated from the requirement files by `make envs`; tests/test_environment.py checks they agree.\n")

if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(envs.render("rnn-course", HEADER.format(note="CPU build")))
    (ROOT / "environment-gpu.yml").write_text(
        envs.render("rnn-course-gpu", HEADER.format(note="GPU build (CUDA wheels from PyPI, Linux)"), use_gpu=True))
