"""The pinned stacks install on every platform the README promises, for Python 3.11 to 3.13.

For each platform x Python, pip's own resolver (``pip install --dry-run --only-binary=:all:
--platform ... --python-version ...``) must find a wheel for every pin of the instructor stack,
which includes the student stack (``-r requirements-student.txt``, what the student kit installs),
under the transitive pins of requirements-lock.txt. A pin without a wheel for one of them fails
here, before a student meets it. One resolve per platform x Python covers both stacks: every pin
is exact, so the part of the instructor solution that the student requirements reach is itself a
complete solution for the student stack, with the same versions; the test checks that every
student pin is in pip's report.

pip evaluates environment markers (``sys_platform == "darwin"``) on the machine it runs on, not for
``--platform``, so the requirement files are first flattened with their markers evaluated for the
target (``packaging.markers``), exactly as pip on that machine would read them. The resolves are
network-bound and run in threads, all at once.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
# the oldest release of each supported Python: pins may need a micro version (soupsieve 4.1.2 needs 3.11.5)
PYTHONS = ("3.11.5", "3.12.0", "3.13.0")
# name -> (pip --platform tags, marker environment)
PLATFORMS = {
    # pip expands macOS tags to older releases itself, but not PEP 600 manylinux tags: list glibc 2.17-2.28
    "Linux x86_64": ([f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)] + ["manylinux2014_x86_64"],
                     {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix"}),
    "macOS arm64": (["macosx_14_0_arm64"],
                    {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64", "os_name": "posix"}),
    "Windows amd64": (["win_amd64"],
                      {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64", "os_name": "nt"}),
}
STACKS = {"student": "requirements-student.txt", "instructor": "requirements-instructor.txt"}


def requirements_for(path: Path, environment: dict[str, str]) -> list[str]:
    """The requirement lines of ``path`` (following ``-r``) that apply in ``environment``, markers removed."""
    out = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            out += requirements_for(path.parent / line[3:].strip(), environment)
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(environment):
            req.marker = None
            out.append(str(req))
    return out


def marker_environment(platform: str, python: str) -> dict[str, str]:
    env = dict(PLATFORMS[platform][1])
    env.update(python_version=".".join(python.split(".")[:2]), python_full_version=python, implementation_name="cpython",
               platform_python_implementation="CPython")
    return env


def resolve(platform: str, python: str, workdir: Path) -> tuple[str, int, str, set[str]]:
    """Resolve the instructor stack (which includes the student stack); returns the pins pip chose."""
    tags, _ = PLATFORMS[platform]
    folder = workdir / f"{platform.replace(' ', '_')}-{python}"
    folder.mkdir()
    reqs = folder / "requirements.txt"
    reqs.write_text("\n".join(requirements_for(ROOT / STACKS["instructor"], marker_environment(platform, python))) + "\n")
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
           "--disable-pip-version-check", "--python-version", python, "--target", str(folder / "target"),
           "--report", str(folder / "report.json"), "-r", str(reqs), "-c", str(ROOT / "requirements-lock.txt")]
    for tag in tags:
        cmd += ["--platform", tag]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    errors = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines()
                       if "is ignored" not in line and not line.startswith(("Collecting", "  Using", "  Downloading")))
    chosen = set()
    if proc.returncode == 0:
        report = json.loads((folder / "report.json").read_text())
        chosen = {f"{canonical(i['metadata']['name'])}=={i['metadata']['version']}" for i in report["install"]}
    print(f"resolved on {platform}, Python {python}: {'ok' if proc.returncode == 0 else 'FAILED'}", flush=True)
    return f"{platform}, Python {python}", proc.returncode, errors[-1500:], chosen


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_markers_pick_the_tensorflow_build_of_each_platform():
    def tensorflow(platform, python="3.12.0"):
        return [r for r in requirements_for(ROOT / "requirements-student.txt", marker_environment(platform, python))
                if r.startswith("tensorflow")]

    assert tensorflow("Linux x86_64") == ["tensorflow-cpu==2.21.0"]
    assert tensorflow("Windows amd64") == ["tensorflow-cpu==2.21.0"]
    assert tensorflow("macOS arm64") == ["tensorflow==2.21.0"]
    intel_mac = {"sys_platform": "darwin", "platform_machine": "x86_64", "python_version": "3.12"}
    assert not any(Marker(str(Requirement(line).marker)).evaluate(intel_mac)
                   for line in (ROOT / "requirements-student.txt").read_text().splitlines()
                   if line.startswith("tensorflow"))


@pytest.mark.slow
def test_student_and_instructor_stacks_resolve_on_every_platform_and_python(tmp_path):
    jobs = [(platform, python) for platform in PLATFORMS for python in PYTHONS]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: resolve(*job, tmp_path), jobs))
    failures = [f"{name}:\n{errors}" for name, code, errors, _ in results if code != 0]
    assert not failures, "\n\n".join(failures)
    for (platform, python), (name, _, _, chosen) in zip(jobs, results):
        for pin in requirements_for(ROOT / STACKS["student"], marker_environment(platform, python)):
            req = Requirement(pin)
            assert f"{canonical(req.name)}=={next(iter(req.specifier)).version}" in chosen, f"{name}: {pin}"


@pytest.mark.slow
def test_intel_macs_have_no_tensorflow_wheel_of_the_pinned_version(tmp_path):
    """README: Intel Macs are unsupported because TensorFlow's last macOS x86_64 wheels are 2.16.2.

    If this starts failing, TensorFlow ships Intel Mac wheels again: add the platform to the
    matrix above, to install.py and to the READMEs."""
    version = next(line for line in (ROOT / "requirements-student.txt").read_text().splitlines()
                   if line.startswith("tensorflow==")).split(";")[0]
    proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                           "--disable-pip-version-check", "--platform", "macosx_15_0_x86_64", "--python-version", "3.12.0",
                           "-d", str(tmp_path), version], capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert "No matching distribution found for " + version in proc.stderr, proc.stderr[-1500:]
    available = re.search(r"from versions: ([^)]*)\)", proc.stderr).group(1).split(", ")
    assert available[-1] == "2.16.2"
