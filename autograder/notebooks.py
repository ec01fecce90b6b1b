"""Notebook JSON hygiene: one normal form for every notebook in solutions/ and lessons/.

``normalise`` clears outputs and execution counts, sets the python3 kernelspec, makes nbgrader
cells' ids equal to their ``grade_id`` and gives every other cell a stable id. ``problems`` lists
what the test suite rejects.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]$")
GENERATED_ID = re.compile(r"^cell-[0-9a-f]{8}$")  # nbgrader's and Jupyter's anonymous ids


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def grade_meta(cell) -> dict:
    """A cell's nbgrader metadata. A submitted file can hold anything there (nbformat accepts any
    JSON): metadata that is not a mapping counts as none, and a ``grade_id`` that is not a string
    as absent, so no reader of a student's notebook trips over it."""
    meta = (cell.get("metadata") or {}).get("nbgrader")
    if not isinstance(meta, dict):
        return {}
    if "grade_id" in meta and not isinstance(meta["grade_id"], str):
        return {k: v for k, v in meta.items() if k != "grade_id"}
    return meta


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        gid = grade_meta(cell).get("grade_id")
        cid = gid or cell.get("id")
        if not cid or cid in seen:
            digest = hashlib.sha1(f"{index}:{cell.source}".encode()).hexdigest()[:8]
            cid = f"cell-{digest}"
        cell.id = cid
        seen.add(cid)
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write ``nb`` in normal form; returns True when the file changed."""
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    old = path.read_text() if path.exists() else None
    if old != text:
        path.write_text(text)
        return True
    return False


def problems(path: Path) -> list[str]:
    """Hygiene problems of one committed notebook (empty list when clean)."""
    found = []
    nb = read(path)
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        found.append("kernelspec is not python3")
    grade_ids: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            found.append(f"cell {cell.get('id')} has outputs")
        meta = grade_meta(cell)
        gid = meta.get("grade_id")
        if meta:
            if not gid:
                found.append(f"cell {cell.get('id')} has nbgrader metadata but no grade_id")
                continue
            if gid in grade_ids:
                found.append(f"grade_id {gid!r} is used twice")
            grade_ids.add(gid)
            if not GRADE_ID.match(gid) or gid.startswith("cell"):
                found.append(f"grade_id {gid!r} is not a descriptive snake_case name")
            if cell.get("id") != gid:
                found.append(f"cell id {cell.get('id')!r} differs from its grade_id {gid!r}")
            if meta.get("grade") and not meta.get("points"):
                found.append(f"graded cell {gid!r} has no points")
    if not any(grade_meta(c).get("grade") for c in nb.cells):
        found.append("no graded cells")
    return found


def execute_plain(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600,
                  allow_errors: bool = True) -> nbformat.NotebookNode:
    """Execute ``nb`` in place with nbclient in an ordinary kernel started in ``cwd``.

    No sandbox: only for trusted notebooks (the harness's replay of the solutions, benchmarks).
    """
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, allow_errors=allow_errors, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb
