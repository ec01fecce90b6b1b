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



HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
MIN_HIDDEN_LINE = 12      # shorter hidden lines (``)``, ``x = 1``) would erase innocent output
MAX_FEEDBACK_MESSAGE = 1000


def hidden_lines(source: str) -> set[str]:
    """The lines of a test cell's hidden tests, stripped (the ones long enough to recognise)."""
    return {line.strip() for block in HIDDEN_BLOCK.findall(source) for line in block.splitlines()
            if len(line.strip()) >= MIN_HIDDEN_LINE}


class FeedbackWithoutTestCode(NbGraderPreprocessor):
    """Feedback preprocessor: no output in a feedback page carries hidden test code.

    The student's code runs inside the test cells, where it can read the running cell's source,
    hidden tests included (``get_ipython().kernel.get_parent('shell')['content']['code']``), and
    print it, display it, or raise it; IPython's traceback of a failing check quotes hidden lines
    too. So:

    * a test cell keeps only its errors, each as ``ErrorName: message`` (the check's message names
      the quantity that is wrong and the likely mistake): printed, displayed and stderr output of a
      test cell is dropped;
    * in every cell, any output line that contains a line of a hidden test is removed (code saved
      during a test and printed by a later cell), and a test's error message is cut to
      ``MAX_FEEDBACK_MESSAGE`` characters.

    Runs before nbgrader's ``ClearHiddenTests``, which removes the hidden tests from the source.
    """

    def preprocess(self, nb, resources):
        self._hidden = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_grade(cell):
                self._hidden |= hidden_lines(cell.source)
        return super().preprocess(nb, resources)

    def _scrub(self, text: str) -> str:
        if not self._hidden:
            return text
        return "".join(line for line in str(text).splitlines(keepends=True)
                       if not any(h in line for h in self._hidden))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if utils.is_grade(cell) and not utils.is_solution(cell):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            for out in errors:
                message = self._scrub(out.get("evalue", ""))[:MAX_FEEDBACK_MESSAGE]
                out["evalue"] = message
                out["traceback"] = [f"{out.get('ename', 'Error')}: {message}"]
            cell.outputs = errors
            return cell, resources
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = self._scrub(out["text"])
            for key, value in (out.get("data") or {}).items():
                if isinstance(value, str) and not key.startswith("image/"):
                    out["data"][key] = self._scrub(value)
            if out.get("output_type") == "error":
                out["evalue"] = self._scrub(out.get("evalue", ""))
                out["traceback"] = [self._scrub(line) for line in out.get("traceback", [])]
        return cell, resources
