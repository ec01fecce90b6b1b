"""``python -m autograder publish DIR``: the student kit, the only part of this repository students get.

The kit holds the released notebooks of ``lessons/`` (all, or the lessons released so far), the
student-facing helper package ``rnncourse`` (without its grading-only ``rnncourse.grading``), the
dataset notes, its own README, the licence, the student requirements and constraints, a conda
environment file and ``install.py`` (the set-up).
Nothing else: not ``solutions/`` (the answers and hidden tests), not the grader, not the
grading-only references, not this repository's history.
``tests/test_kit_leaks.py`` proves that no answer line reaches it.

Three forms: a folder (``DIR``), a zip for an LMS upload (``--zip FILE``), and a git repository
(``--git``: ``DIR`` is initialised or updated, one commit per publish) to push as the public
student repository.
"""
from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from packaging.requirements import Requirement

from autograder import envs
from autograder.paths import GRADING_ONLY, REPO

TEMPLATES = Path(__file__).resolve().parent / "kit"
STUDENT_PACKAGE = "rnncourse"
# what the kit holds besides lessons/ and rnncourse/ (kit path <- repository or template path)
FILES = {
    "README.md": TEMPLATES / "README.md",
    "install.py": TEMPLATES / "install.py",
    ".gitignore": TEMPLATES / "gitignore",
    "LICENSE": REPO / "LICENSE",
    "datasets/README.md": REPO / "datasets" / "README.md",
    "requirements.txt": REPO / "requirements-student.txt",
}


class PublishError(RuntimeError):
    """The kit cannot be written where or as asked."""


def released_lessons() -> list[str]:
    return sorted(p.name for p in (REPO / "lessons").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def select_lessons(wanted: list[str] | None) -> list[str]:
    """Lesson folders named by id (``03_dimensions``) or number (``03``, ``3``); all when ``wanted`` is empty."""
    available = released_lessons()
    if not wanted:
        return available
    chosen = []
    for item in wanted:
        matches = [a for a in available if a == item or a.split("_", 1)[0].lstrip("0") == item.lstrip("0")]
        if len(matches) != 1:
            raise PublishError(f"no released lesson {item!r}; released: {', '.join(available)}")
        chosen += [m for m in matches if m not in chosen]
    return sorted(chosen)


def _requirement_name(line: str) -> str | None:
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("-"):
        return None
    return Requirement(line).name


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def student_constraints() -> str:
    """The lines of requirements-lock.txt for the student stack and everything it pulls in.

    The closure is read from the installed distributions' metadata (this repository's environment
    holds the whole stack); the instructor's and tests' packages are left out."""
    lock = {}
    for line in (REPO / "requirements-lock.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            lock[_canonical(line.split("==")[0])] = line.strip()
    todo = [n for n in map(_requirement_name, (REPO / "requirements-student.txt").read_text().splitlines()) if n]
    seen: set[str] = set()
    while todo:
        name = _canonical(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue   # e.g. the macOS build of TensorFlow, not installed on this machine
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    head = ("# Exact versions of everything the requirements pull in (pip install -r requirements.txt -c constraints.txt).\n")
    return head + "\n".join(lock[n] for n in sorted(seen) if n in lock) + "\n"


def conda_environment() -> str:
    header = ("# The course's packages for conda users:\n"
              "#   conda env create -f environment.yml && conda activate rnn-course && python install.py --no-venv\n")
    return envs.render("rnn-course", header, stacks=("requirements-student.txt",), editable=False)


def _is_previous_kit(folder: Path) -> bool:
    return (folder / "install.py").is_file() and (folder / STUDENT_PACKAGE).is_dir()


def write_kit(dest: Path, lessons: list[str]) -> list[Path]:
    """Write the kit into the empty or new folder ``dest``; returns the files written."""
    for lesson in lessons:
        for nb in sorted((REPO / "lessons" / lesson).glob("*.ipynb")):
            target = dest / "lessons" / lesson / nb.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(nb, target)
    for module in sorted(m for m in (REPO / STUDENT_PACKAGE).glob("*.py") if m.name not in GRADING_ONLY):
        target = dest / STUDENT_PACKAGE / module.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module, target)
    for name, source in FILES.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest / name)
    (dest / "constraints.txt").write_text(student_constraints())
    (dest / "environment.yml").write_text(conda_environment())
    return kit_files(dest)


#: the kit's folder inside the repository (``make student-kit``'s default; git ignores it)
IN_REPO_KIT = REPO / "student-kit"


def _prepare(dest: Path) -> None:
    """Make ``dest`` an empty folder (keeping ``.git``), refusing anything but a new folder or a previous kit."""
    if dest == REPO or dest in REPO.parents:
        raise PublishError(f"{dest} is this repository or holds it; publish to a folder outside it "
                           f"or to {IN_REPO_KIT}")
    if REPO in dest.parents and dest != IN_REPO_KIT:
        raise PublishError(f"{dest} is inside this repository; publish to {IN_REPO_KIT} (which git ignores) "
                           "or to a folder outside it")
    if dest.exists() and any(p.name != ".git" for p in dest.iterdir()) and not _is_previous_kit(dest):
        raise PublishError(f"{dest} is not empty and does not hold a previous kit; refusing to overwrite it")
    dest.mkdir(parents=True, exist_ok=True)
    for item in dest.iterdir():
        if item.name != ".git":
            shutil.rmtree(item) if item.is_dir() else item.unlink()


def kit_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts)


def zip_time() -> tuple[int, int, int, int, int, int]:
    """Every zip entry's timestamp (UTC): ``SOURCE_DATE_EPOCH`` if set, else the time of the
    repository's last commit, else now. The same commit gives the same zip, and a student's file
    browser shows the lessons as recent, not years old."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        try:
            epoch = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True,
                                   text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))    # a zip holds no earlier date


def write_zip(folder: Path, zip_path: Path, top: str = "rnn-course") -> Path:
    """Zip the kit in ``folder`` under one top folder, every entry with ``zip_time()``."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = zip_time()
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in kit_files(folder):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return zip_path


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


def commit(folder: Path, lessons: list[str]) -> str | None:
    """Initialise (once) and commit the kit in ``folder``; returns the new commit, or None if nothing changed."""
    if not (folder / ".git").exists():
        _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    if not _git(folder, "status", "--porcelain").strip():
        return None
    identity = []
    for key, default in (("user.name", "RNN course staff"), ("user.email", "rnn-course@example.invalid")):
        if subprocess.run(["git", "-C", str(folder), "config", key], capture_output=True).returncode != 0:
            identity += ["-c", f"{key}={default}"]
    numbers = [lesson.split("_", 1)[0] for lesson in lessons]
    span = numbers[0] if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
    subprocess.run(["git", "-C", str(folder), *identity, "commit", "-q", "-m",
                    f"Publish lessons {span} ({', '.join(lessons)})"], check=True, capture_output=True)
    return _git(folder, "rev-parse", "HEAD").strip()


def publish(dest: Path, lessons: list[str] | None = None, zip_path: Path | None = None,
            git: bool = False) -> dict:
    """Stage the kit, check it for answers, then write it to ``dest`` (and the zip, and the commit)."""
    chosen = select_lessons(lessons)
    dest = dest.resolve()
    with tempfile.TemporaryDirectory(prefix="rnncourse-kit-") as staging:
        write_kit(Path(staging), chosen)
        leaks = find_leaks(Path(staging))
        if leaks:
            raise PublishError("the kit would contain answers; nothing was written:\n  " + "\n  ".join(leaks))
        _prepare(dest)
        shutil.copytree(staging, dest, dirs_exist_ok=True)
    files = kit_files(dest)
    result = {"folder": dest, "lessons": chosen, "files": files, "bytes": sum(p.stat().st_size for p in files)}
    if zip_path is not None:
        result["zip"] = write_zip(dest, zip_path)
    if git:
        result["commit"] = commit(dest, chosen)
    return result


# --------------------------------------------------------------------------- the leak check
SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)
TRIVIAL = re.compile(r"(return|pass|raise NotImplementedError|else:|try:|continue|break)\b.{0,20}|[)\]}:,]*")
MIN_CHARS = 24   # shorter lines (`out = []`, `return total`) are idioms, not answers


def normalise(text: str) -> str:
    return " ".join(text.split())


def _secret_parts(cell: dict) -> list[str]:
    """The parts of a source-notebook cell that the release withholds: solution regions (a whole
    solution cell without markers, and a manually graded model answer) and hidden-test blocks."""
    source = "".join(cell.get("source", ""))
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("solution") and cell.get("cell_type") == "markdown":
        return [source]   # a manually graded model answer
    parts = HIDDEN_REGION.findall(source)
    if meta.get("solution"):
        parts += SOLUTION_REGION.findall(source) or [source]   # no markers: nbgrader withholds the whole cell
    return parts


def answer_lines(solutions: Path | None = None) -> dict[str, str]:
    """Every non-trivial line withheld from students, normalised -> where it comes from.

    Lines that the lessons show anyway (the same text in a read-only cell or in the prose, e.g. an
    equation that the exercise then implements) are no secret and are left out."""
    import json

    secret, public = {}, []
    for path in sorted((solutions or REPO / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell.get("source", ""))
            parts = _secret_parts(cell)
            shown = source
            for part in parts:
                shown = shown.replace(part, "\n")
            public.append(normalise(shown))
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", cell.get("id"))
            for part in parts:
                for line in part.splitlines():
                    norm = normalise(line)
                    if len(norm) >= MIN_CHARS and not TRIVIAL.fullmatch(norm):
                        secret.setdefault(norm, f"{path.parent.name}/{path.name}:{gid}")
    shown_anyway = "\n".join(public)
    return {line: where for line, where in secret.items() if line not in shown_anyway}


def _kit_texts(folder: Path):
    import json

    for path in kit_files(folder):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            yield path, path.read_bytes().decode("latin-1")
            continue
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            text = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []))
        yield path, text


def find_leaks(folder: Path, secrets: dict[str, str] | None = None) -> list[str]:
    """'<kit file>: <answer line> (from <notebook:cell>)' for every withheld line found in the kit."""
    secrets = answer_lines() if secrets is None else secrets
    found = []
    for path, text in _kit_texts(folder):
        flat = normalise(text)
        for line, where in secrets.items():
            if line in flat:
                found.append(f"{path.relative_to(folder).as_posix()}: {line!r} (from {where})")
    return found
