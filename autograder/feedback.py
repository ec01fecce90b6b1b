"""Feedback pages are locked down: a strict Content-Security-Policy in every generated HTML file.

Student output in feedback is already reduced to safe mime types and escaped markdown
(``safety.py``); the policy is the second wall: even if markup slipped through, the instructor's
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



MAX_FEEDBACK_MESSAGE = 1000


class FeedbackWithoutTestCode(NbGraderPreprocessor):
    """Feedback preprocessor: a test cell shows only its errors, each as ``ErrorName: message``.

    A test cell's outputs come from the checker kernel (``twokernel.py``), where IPython's traceback of
    a failing check quotes the test's lines, hidden ones included; the check's message names the
    quantity that is wrong and the likely mistake, and that is what the student reads. Printed and
    displayed output of a test cell (a hidden test may print what it compares) is left out, and a
    message is cut to ``MAX_FEEDBACK_MESSAGE`` characters. Runs before nbgrader's
    ``ClearHiddenTests``, which removes the hidden tests from the source.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            for out in errors:
                message = str(out.get("evalue", ""))[:MAX_FEEDBACK_MESSAGE]
                out["evalue"] = message
                out["traceback"] = [f"{out.get('ename', 'Error')}: {message}"]
            cell.outputs = errors
        return cell, resources
