"""What a submission may not carry into grading or feedback: a notebook rebuilt on the release.

``rebuild`` makes the notebook that is graded from the released skeleton and the student's file:
every instructor cell (read-only, tests) comes from the release; a student cell keeps its nbgrader
metadata only if it is the first cell with the grade_id of a released *solution* cell of the same
cell type. Deleted, re-tagged, duplicated, re-typed or re-pointed test cells are therefore back
exactly as released, extra cells lose any grading metadata, and the notebook metadata is reset to
the python3 kernelspec. Student markdown is HTML-escaped so it cannot carry script into feedback or
formgrader. ``RebuildFromRelease`` is the same step as one of nbgrader's sanitize preprocessors, so
``nbgrader autograde`` (formgrader's button) rebuilds exactly as ``python -m autograder grade`` does.

``neutralize_outputs`` keeps only output types that cannot run script in a browser.
"""
from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.notebooks import grade_meta


def rebuild(student: NotebookNode, skeleton: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """The notebook to grade: ``student``'s answers and extra cells on the release ``skeleton``;
    and notes on what was dropped or missing."""
    notes: list[str] = []
    solution_ids = {grade_meta(c)["grade_id"]: c.cell_type for c in skeleton.cells
                    if grade_meta(c).get("solution") and grade_meta(c).get("grade_id")}
    known_ids = {grade_meta(c).get("grade_id") for c in skeleton.cells if grade_meta(c).get("grade_id")}

    answers: dict[str, NotebookNode] = {}
    free_after: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in student.cells:
        gid = grade_meta(cell).get("grade_id")
        if gid in solution_ids and gid not in answers and cell.cell_type == solution_ids[gid]:
            answers[gid] = cell
            anchor = gid
            continue
        if gid in known_ids:
            if gid in solution_ids and gid in answers:
                notes.append(f"duplicate of answer cell {gid!r} ignored for grading")
            anchor = gid  # an instructor cell (or a copy): the released version is used
            if gid not in solution_ids:
                continue
        if cell.cell_type not in ("code", "markdown", "raw"):
            continue
        free = nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code" else (
            nbformat.v4.new_markdown_cell(_escape(cell.source)) if cell.cell_type == "markdown"
            else nbformat.v4.new_raw_cell(cell.source))
        free_after.setdefault(anchor, []).append(free)

    cells = list(free_after.get(None, []))
    for ref in skeleton.cells:
        gid = grade_meta(ref).get("grade_id")
        if gid in solution_ids and gid in answers:
            got = answers[gid]
            cell = (nbformat.v4.new_code_cell(got.source) if ref.cell_type == "code"
                    else nbformat.v4.new_markdown_cell(_escape(got.source)))
            cell.metadata["nbgrader"] = dict(grade_meta(ref))
            cell.id = ref.get("id") or cell.id
        else:
            cell = nbformat.from_dict(ref)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        cells += free_after.get(gid, []) if gid else []
    missing = sorted(set(solution_ids) - set(answers))
    if missing:
        notes.append(f"answer cell(s) {', '.join(missing)} missing; the released stub was used")
    out = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    seen = set()
    for i, cell in enumerate(out.cells):
        if not cell.get("id") or cell.id in seen:
            cell.id = f"student-{i}"
        seen.add(cell.id)
    return out, notes


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


# --- rich output is shown as text ----------------------------------------------------------------

SAFE_MIME = ("text/plain", "image/png", "image/jpeg", "image/gif")


def neutralize_outputs(cell: NotebookNode) -> None:
    """Keep only mime types that cannot run script in a browser (HTML, JS, SVG, markdown, LaTeX
    and widgets become their text/plain form or a note)."""
    for out in cell.get("outputs", []):
        data = out.get("data")
        if not data:
            continue
        dropped = [k for k in data if k not in SAFE_MIME]
        if not dropped:
            continue
        for key in dropped:
            del data[key]
        if "text/plain" not in data and not any(k in data for k in SAFE_MIME):
            data["text/plain"] = f"[rich output ({', '.join(sorted(dropped))}) not shown in feedback]"
        out.get("metadata", {}).clear() if isinstance(out.get("metadata"), dict) else None


def released(source: NotebookNode, config=None) -> NotebookNode:
    """The released skeleton of a source notebook: nbgrader's own ClearSolutions applied in memory
    (answer cells become the stub; tests and read-only cells stay)."""
    from nbgrader.preprocessors import ClearSolutions

    skeleton, _ = ClearSolutions(config=config).preprocess(nbformat.from_dict(source), {})
    return skeleton


class RebuildFromRelease(NbGraderPreprocessor):
    """nbgrader sanitize step: the notebook is rebuilt on the released skeleton (``rebuild``), made from
    the instructor's source notebook, so no release folder is needed where grading runs."""

    source_directory = Unicode("", help="The source folder (<source>/<assignment>/<notebook>.ipynb).").tag(config=True)

    def preprocess(self, nb, resources):
        meta = resources.get("nbgrader", {})
        source = Path(self.source_directory) / meta.get("assignment", "") / f"{meta.get('notebook', '')}.ipynb"
        if not self.source_directory or not source.is_file():
            raise FileNotFoundError(f"the source notebook {source} is needed to grade")
        skeleton = released(nbformat.read(str(source), as_version=4), self.config)
        out, _ = rebuild(nb, skeleton)
        return out, resources
