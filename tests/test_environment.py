"""The two-command promise and pinned, non-drifting environments."""
import importlib.metadata
import json
import re
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from autograder import course

ROOT = course.REPO


def pins(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "-r "))}


def stack(name: str) -> set[str]:
    """The pins of a requirement file and of the files it includes with ``-r``."""
    text = (ROOT / name).read_text()
    included = [line.split(None, 1)[1].strip() for line in text.splitlines() if line.startswith("-r ")]
    return pins(text).union(*(stack(other) for other in included))


def names(requirements: set[str]) -> set[str]:
    return {Requirement(line).name.lower().replace("_", "-") for line in requirements}


def pip_section(path: Path) -> set[str]:
    env = yaml.safe_load(path.read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "python=3.11" in env["dependencies"]
    return {p for p in pip if p != "-e ."}


def test_every_requirement_is_pinned_exactly():
    for line in stack("requirements.txt"):
        req = Requirement(line)
        assert [spec.operator for spec in req.specifier] == ["=="], f"not an exact pin: {line}"
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+-]*", next(iter(req.specifier)).version), line


def test_requirements_are_split_by_audience():
    student, instructor, tests = (stack(f"requirements-{who}.txt") for who in ("student", "instructor", "tests"))
    assert student < instructor < tests == stack("requirements.txt")
    # nbclient is the student's too: python -m rnncourse.selfcheck runs a notebook with it
    assert not names(student) & {"nbgrader", "dask", "distributed", "psycopg2-binary", "pytest", "selenium",
                                 "pytest-xdist", "pyyaml", "notebook", "tqdm"}
    assert not names(instructor - student) & {"pytest", "pytest-xdist", "selenium"}


def test_student_stack_provides_every_third_party_import_of_the_lessons_and_helpers():
    """What `import X` in lessons/ and the shipped rnncourse modules needs is in requirements-student.txt."""
    from autograder import publish

    sources = [p.read_text() for p in (ROOT / "rnncourse").glob("*.py") if p.name not in publish.GRADING_ONLY]
    for nb in (ROOT / "lessons").glob("*/*.ipynb"):
        sources += ["".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
    imported = set()
    for source in sources:
        imported |= set(re.findall(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", source, re.M))
    provided = importlib.metadata.packages_distributions()
    student = names(stack("requirements-student.txt")) | {"tensorflow", "tensorflow-cpu"}
    # distributions that the pinned packages pull in and the helpers use directly
    student |= {"absl-py", "ipython", "scipy"}
    missing = {}
    for module in imported - set(sys.stdlib_module_names) - {"rnncourse", "__future__"}:
        dists = {d.lower().replace("_", "-") for d in provided.get(module, [])}
        if not dists & student:
            missing[module] = sorted(dists)
    assert not missing


def test_conda_environment_matches_pip_pins():
    assert pip_section(ROOT / "environment.yml") == stack("requirements.txt")


def test_gpu_environment_differs_only_in_the_tensorflow_build():
    cpu = stack("requirements.txt")
    gpu = pip_section(ROOT / "environment-gpu.yml")
    tensorflow = {p for p in cpu if p.startswith(("tensorflow-cpu==", "tensorflow=="))}
    assert len(tensorflow) == 2 and cpu - gpu == tensorflow
    version = next(p for p in cpu if p.startswith("tensorflow-cpu==")).split("==")[1].split(";")[0].strip()
    assert gpu - cpu == {f"tensorflow[and-cuda]=={version}"}


def test_lock_file_agrees_with_the_pins():
    """The lock is this machine's (Linux) freeze: every pin that applies here is in it, same version."""
    lock = {}
    for line in pins((ROOT / "requirements-lock.txt").read_text()):
        name, _, version = line.partition("==")
        lock[name.lower().replace("_", "-")] = version
    for pin in stack("requirements.txt"):
        req = Requirement(pin)
        if req.marker is not None and not req.marker.evaluate():
            continue
        version = next(iter(req.specifier)).version
        assert lock.get(req.name.lower().replace("_", "-")) == version, f"{pin} disagrees with requirements-lock.txt"


def test_python_versions_agree():
    """pyproject, the Makefile and the kit's install.py accept the same Pythons: 3.11.5 to 3.13
    (tests/test_platforms.py resolves the pins for the oldest of each)."""
    assert 'requires-python = ">=3.11.5,<3.14"' in (ROOT / "pyproject.toml").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "for p in python3.11 python3.12 python3.13" in makefile
    assert "sys.version_info[:3] >= (3, 11, 5) and sys.version_info[:2] <= (3, 13)" in makefile
    assert "OLDEST, NEWEST = (3, 11, 5), (3, 13)" in (ROOT / "autograder" / "kit" / "install.py").read_text()


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
