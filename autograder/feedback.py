"""Feedback pages are locked down: a strict Content-Security-Policy in every generated HTML file.

Student output in feedback is already reduced to safe mime types and escaped markdown
(``integrity.py``); the policy is the second wall: even if markup slipped through, the instructor's
or student's browser runs no script, loads nothing from the network, and shows only inline styles
and ``data:`` images (the plots). nbconvert's own MathJax/require.js tags are blocked with it, so
formulas show as their LaTeX source.
"""
from __future__ import annotations

import re
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def with_csp(page: str) -> str:
    """``page`` with the policy as the first element of its <head> (a policy applies only to what
    follows it); unchanged if it already starts with it."""
    match = _HEAD.search(page)
    if match:
        if page[match.end():].lstrip().startswith(META):
            return page
        return page[:match.end()] + "\n" + META + page[match.end():]
    return META + "\n" + page


def secure(folder: Path) -> list[Path]:
    """Add the policy to every .html file under ``folder``; returns the files changed."""
    changed = []
    for path in sorted(Path(folder).rglob("*.html")):
        if path.is_symlink() or not path.is_file():
            continue
        page = path.read_text(encoding="utf-8", errors="replace")
        new = with_csp(page)
        if new != page:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed



class ShortTestTracebacks(NbGraderPreprocessor):
    """Feedback preprocessor: an error in a test cell shows only ``ErrorName: message``.

    IPython's traceback for a failing check quotes the lines around it, and in a test cell with
    hidden tests those include hidden lines; nbgrader's ``ClearHiddenTests`` clears the cell's
    source but not its outputs. The check's own message (the quantity that is wrong and the likely
    mistake) is what a student needs, so that is all that is kept.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
