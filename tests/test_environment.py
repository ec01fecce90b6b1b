"""The two-command promise and pinned, non-drifting environments."""
import re
from pathlib import Path

import yaml

from autograder import course

ROOT = course.REPO


def pins(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")}


def pip_section(path: Path) -> set[str]:
    env = yaml.safe_load(path.read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "python=3.11" in env["dependencies"]
    return {p for p in pip if p != "-e ."}


def test_every_requirement_is_pinned_exactly():
    for line in pins((ROOT / "requirements.txt").read_text()):
        assert re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][0-9A-Za-z.+-]*", line), f"not an exact pin: {line}"


def test_conda_environment_matches_pip_pins():
    assert pip_section(ROOT / "environment.yml") == pins((ROOT / "requirements.txt").read_text())


def test_gpu_environment_differs_only_in_the_tensorflow_build():
    cpu = pins((ROOT / "requirements.txt").read_text())
    gpu = pip_section(ROOT / "environment-gpu.yml")
    assert cpu - gpu == {p for p in cpu if p.startswith("tensorflow-cpu==")}
    version = next(p for p in cpu if p.startswith("tensorflow-cpu==")).split("==")[1]
    assert gpu - cpu == {f"tensorflow[and-cuda]=={version}"}


def test_lock_file_agrees_with_the_pins():
    lock = {}
    for line in pins((ROOT / "requirements-lock.txt").read_text()):
        name, _, version = line.partition("==")
        lock[name.lower().replace("_", "-")] = version
    for pin in pins((ROOT / "requirements.txt").read_text()):
        name, _, version = pin.partition("==")
        assert lock.get(name.lower().replace("_", "-")) == version, f"{pin} disagrees with requirements-lock.txt"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["make test"]
    assert "make test" in readme and "make demo" in readme


def test_required_top_level_layout():
    for name in ("lessons", "solutions", "autograder", "datasets", "environment.yml", "README.md"):
        assert (ROOT / name).exists(), name


def test_make_test_installs_system_packages_and_lints_before_pytest():
    """The set-up step of the test command installs every system package the tests need, then ruff
    runs, then pytest; no test installs anything itself."""
    import subprocess

    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    def step(text: str) -> int:
        return next(i for i, line in enumerate(plan.splitlines()) if text in line)

    deps = step("bash scripts/system-deps.sh postgresql chromium chromium-driver")
    assert deps < step("-m ruff check") < step("-m pytest -n 2 --dist loadgroup"), plan
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name != Path(__file__).name:
            assert "apt-get" not in path.read_text(), f"{path.name} must not install system packages"
