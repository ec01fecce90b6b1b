"""Intake step: find each student's notebooks in a folder or an LMS zip and vet every file.

Input layouts:
- a folder with one sub-folder per student: ``<student>/<notebook>.ipynb`` (what ``nbgrader
  collect`` and most LMS exports give once unpacked);
- a zip of that folder (optionally under one top-level folder);
- a flat LMS zip (Canvas style): ``<student>_<anything>_<notebook>.ipynb``.

Nothing here modifies the input: zips are read member by member into a staging folder with caps on
sizes and counts, and folder submissions are only read. Every problem becomes a named ``status``
and a one-sentence ``message`` for grades.csv, never an exception that stops the batch.
"""
from __future__ import annotations

import json
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.results import Status, listing

MAX_NOTEBOOK_BYTES = 20 << 20          # a lesson notebook without outputs is ~50 kB
MAX_ZIP_MEMBER_BYTES = 25 << 20
MAX_ZIP_TOTAL_BYTES = 2 << 30
MAX_ZIP_MEMBERS = 20000
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")


class IntakeError(ValueError):
    """The submissions container as a whole cannot be read (not one student's problem)."""


@dataclass
class Submission:
    student_id: str
    files: dict[str, Path] = field(default_factory=dict)   # notebook name -> vetted file
    status: Status | None = None                            # None while nothing is wrong
    message: str = ""
    notes: list[str] = field(default_factory=list)          # things worth telling, not failures
    found: list[str] = field(default_factory=list)          # notebook file names seen (for messages)
    unclear: list[str] = field(default_factory=list)        # why a renamed notebook was not matched

    def reject(self, status: Status, message: str) -> "Submission":
        self.status, self.message = status, message
        return self


def printable(name: str) -> str:
    """A file or folder name as text that can be written anywhere (grades.csv, the terminal): bytes
    that are not UTF-8 (an LMS zip made on another system) become U+FFFD instead of lone surrogates."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def vet_notebook(path: Path) -> tuple[Status, str] | None:
    """(status, message) when ``path`` is not a gradable Jupyter notebook, else None."""
    try:
        return _vet(path)
    except Exception as exc:  # an unreadable file is this submission's problem, never the batch's
        return Status.INVALID, f"{printable(path.name)} could not be read ({type(exc).__name__})."


def _vet(path: Path) -> tuple[Status, str] | None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return Status.INVALID, f"{path.name} is a symbolic link, not a notebook file."
    if not stat.S_ISREG(info.st_mode):
        return Status.INVALID, f"{path.name} is not a regular file."
    if info.st_size == 0:
        return Status.INVALID, f"{path.name} is empty."
    if info.st_size > MAX_NOTEBOOK_BYTES:
        return Status.TOO_LARGE, (f"{path.name} is {info.st_size / 2**20:.1f} MB, over the "
                             f"{MAX_NOTEBOOK_BYTES >> 20} MB limit; clear the outputs and resubmit.")
    raw = path.read_bytes()
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return Status.INVALID, f"{path.name} is not a Jupyter notebook (not valid JSON text)."
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return Status.INVALID, f"{path.name} is JSON but not a Jupyter notebook (no list of cells)."
    if nb.get("nbformat") != 4:
        return Status.WRONG_FORMAT, (f"{path.name} is nbformat {nb.get('nbformat')}; save it with a "
                                "current Jupyter (nbformat 4).")
    import nbformat

    try:
        nbformat.validate(nbformat.reads(raw.decode("utf-8"), as_version=4))
    except Exception as exc:  # nbformat raises several types for malformed notebooks
        return Status.INVALID, f"{path.name} is not a valid notebook ({str(exc).splitlines()[0][:120]})."
    kernel = (nb.get("metadata") or {}).get("kernelspec") or {}
    language = kernel.get("language") or (nb.get("metadata") or {}).get("language_info", {}).get("name")
    if language and str(language).lower() != "python":
        return Status.WRONG_KERNEL, f"{path.name} uses a {language} kernel; the lessons are graded with Python 3."
    return None


def _safe_member_path(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or any(part in ("..", "") for part in path.parts) or ":" in path.parts[0]:
        return None
    return path


def unpack_zip(archive: Path, staging: Path) -> list[str]:
    """Copy the ``.ipynb`` members of ``archive`` into ``staging``; returns notes on what was skipped."""
    notes: list[str] = []
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IntakeError(f"{archive.name} is not a readable zip archive ({exc}).") from exc
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise IntakeError(f"{archive.name} has {len(members)} members, over the {MAX_ZIP_MEMBERS} limit.")
        total = 0
        for info in members:
            if info.is_dir():
                continue
            path = _safe_member_path(info.filename)
            if path is None:
                notes.append(f"skipped {info.filename!r}: unsafe path in the archive")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                notes.append(f"skipped {info.filename!r}: symbolic link in the archive")
                continue
            if path.name.lower().endswith(ARCHIVE_SUFFIXES):
                notes.append(f"skipped {info.filename!r}: nested archive")
                continue
            if not path.name.endswith(".ipynb") or path.name.startswith("."):
                continue
            if info.file_size > MAX_ZIP_MEMBER_BYTES:
                notes.append(f"skipped {info.filename!r}: {info.file_size >> 20} MB, over the member size limit")
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"")          # keeps the student visible as too large
                (target.parent / (target.name + ".too_large")).write_text(str(info.file_size))
                continue
            total += info.file_size
            if total > MAX_ZIP_TOTAL_BYTES:
                raise IntakeError(f"{archive.name} unpacks to more than {MAX_ZIP_TOTAL_BYTES >> 30} GB.")
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                copied = 0
                while block := src.read(1 << 20):
                    copied += len(block)
                    if copied > MAX_ZIP_MEMBER_BYTES:  # the header lied about the size
                        break
                    dst.write(block)
    return notes


def _normalised(name: str) -> str:
    """``Copy of Sequences (1)`` -> ``copy_of_sequences_1``: lower case, runs of other characters as ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def match_renamed(unmatched: dict[str, Path], missing: list[str]) -> tuple[dict[str, Path], list[str]]:
    """Pair each missing notebook with the one leftover notebook whose normalised name contains its
    normalised name (``sequences (1).ipynb``, ``Copy of sequences.ipynb``, ``sequences-Copy1.ipynb``
    for ``sequences``). Returns the unambiguous pairs and, for the rest, why they were not paired."""
    candidates = {name: sorted((stem for stem in unmatched if _normalised(name) in _normalised(stem)),
                               key=str.lower) for name in missing}
    claimed: dict[str, list[str]] = {}
    for name, stems in candidates.items():
        for stem in stems:
            claimed.setdefault(stem, []).append(name)
    pairs, unclear = {}, []
    for name, stems in candidates.items():
        if len(stems) == 1 and len(claimed[stems[0]]) == 1:
            pairs[name] = unmatched[stems[0]]
        elif len(stems) > 1:
            unclear.append(f"{listing(unmatched[s].name for s in stems)} could each be {name}.ipynb")
        elif stems:
            unclear.append(f"{unmatched[stems[0]].name} could be any of "
                           f"{listing(n + '.ipynb' for n in claimed[stems[0]])}")
    return pairs, list(dict.fromkeys(unclear))


def _student_folders(root: Path, assignment: str) -> Path:
    """The folder whose sub-folders are students (skips one wrapper folder from a zip).

    A single folder that holds ``<assignment>/`` is a student in nbgrader's
    ``submitted/<student>/<assignment>/`` layout, not a wrapper, however many students there are.
    """
    entries = [p for p in root.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() \
            and not (entries[0] / assignment).is_dir():
        inner = [p for p in entries[0].iterdir() if not p.name.startswith(".")]
        if inner and all(p.is_dir() for p in inner):
            return entries[0]
    return root


def collect(source: Path, assignment: str, expected: list[str], staging: Path) -> tuple[list[Submission], list[str]]:
    """Submissions found under ``source`` (folder or zip), each vetted; plus batch-level notes."""
    source = Path(source)
    batch_notes: list[str] = []
    if source.is_file():
        staging.mkdir(parents=True, exist_ok=True)
        batch_notes += unpack_zip(source, staging)
        root = staging
    elif source.is_dir():
        root = source
    else:
        raise IntakeError(f"{source} is neither a folder nor a zip file.")
    root = _student_folders(root, assignment)

    by_student: dict[str, Submission] = {}
    flat = sorted(p for p in root.iterdir() if p.name.endswith(".ipynb"))
    for path in flat:  # Canvas style: <student>_<anything>_<notebook>.ipynb
        student = path.name.split("_", 1)[0]
        sub = by_student.setdefault(student, Submission(student))
        sub.found.append(path.name)
        for name in expected:
            if path.name == f"{name}.ipynb" or path.name.endswith(f"_{name}.ipynb"):
                sub.files[name] = path
    for folder in sorted(p for p in root.iterdir() if p.is_dir() or p.is_symlink()):
        if folder.name.startswith((".", "__MACOSX")):
            continue
        sub = by_student.setdefault(folder.name, Submission(folder.name))
        if folder.is_symlink():
            sub.reject(Status.INVALID, "The submission folder is a symbolic link; submit the notebook files themselves.")
            continue
        try:
            _read_folder(folder, assignment, expected, sub)
        except Exception as exc:  # one unreadable folder is that student's status, never the batch's
            sub.reject(Status.INVALID, f"The submission folder could not be read ({type(exc).__name__}).")

    subs = []
    for student, sub in sorted(by_student.items()):
        subs.append(sub)
        if sub.status:
            continue
        if not STUDENT_ID.match(student):
            sub.student_id = re.sub(r"[^A-Za-z0-9._@+-]", "_", student)[:64] or "unnamed"
            sub.reject(Status.INVALID, f"The folder name {student!r} is not a usable student id.")
            continue
        missing = [n for n in expected if n not in sub.files]
        if len(missing) == len(expected):
            found = listing(sub.found) if sub.found else "no .ipynb file"
            why = (f"; {listing(sub.unclear, 5, '; ')}, so none was graded: rename the one to grade"
                   if sub.unclear else "")
            sub.reject(Status.MISSING, f"No expected notebook found (expected {listing(n + '.ipynb' for n in expected)}; "
                                       f"found {found}{why}).")
            continue
        for name, path in sorted(sub.files.items()):
            if (path.parent / (path.name + ".too_large")).exists():
                sub.reject(Status.TOO_LARGE, f"{path.name} is over the size limit for a notebook.")
                break
            problem = vet_notebook(path)
            if problem:
                sub.reject(*problem)
                break
        if not sub.status and missing:
            sub.notes.append(f"missing notebook(s), scored 0: {listing(n + '.ipynb' for n in missing)}"
                             + (f" ({listing(sub.unclear, 5, '; ')})" if sub.unclear else ""))
    for sub in subs:   # file names quoted in messages may not be UTF-8
        sub.message, sub.notes = printable(sub.message), [printable(n) for n in sub.notes]
    return subs, batch_notes


def _read_folder(folder: Path, assignment: str, expected: list[str], sub: Submission) -> None:
    """Fill ``sub`` from one student's folder."""
    # nbgrader's exchange puts notebooks in <student>/<assignment>/; accept both layouts.
    inner = folder / assignment if (folder / assignment).is_dir() else folder
    present = {p.stem: p for p in inner.iterdir() if p.name.endswith(".ipynb")}
    sub.files.update({n: present[n] for n in expected if n in present})
    renamed, unclear = match_renamed({k: v for k, v in present.items()
                                      if k not in expected and not v.name.startswith(".")},
                                     [n for n in expected if n not in present])
    for name, path in sorted(renamed.items()):
        sub.files[name] = path
        sub.notes.append(f"graded renamed file {path.name} as {name}.ipynb")
    sub.found = sorted(p.name for p in present.values())
    sub.unclear = unclear
    extra = sorted(set(present) - set(expected) - {p.stem for p in renamed.values()})
    if extra:
        sub.notes.append(f"ignored extra notebook(s): {listing(e + '.ipynb' for e in extra)}")
