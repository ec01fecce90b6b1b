"""Write environment.yml and environment-gpu.yml from requirements.txt (run by `make envs`)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def render(name: str, gpu: bool) -> str:
    deps = [("tensorflow[and-cuda]==" + p.split("==")[1]) if gpu and p.startswith("tensorflow-cpu==") else p
            for p in pins()]
    body = "\n".join(f"      - {d}" for d in deps)
    note = "GPU build (CUDA wheels from PyPI)" if gpu else "CPU build"
    return (f"# Conda environment for the RNN course kit, {note}.\n"
            "# Generated from requirements.txt by `make envs`; tests/test_environment.py checks they agree.\n"
            f"name: {name}\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
            f"  - pip:\n{body}\n      - -e .\n")


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(render("rnn-course", gpu=False))
    (ROOT / "environment-gpu.yml").write_text(render("rnn-course-gpu", gpu=True))
