"""Feedback pages: what a test cell shows, and the templates every generated page goes through.

* ``FeedbackWithoutTestCode`` keeps only a test cell's errors, each as ``ErrorName: message``;
* the page is nbgrader's feedback template extended by ``templates/feedback/with_csp.html.j2``: a
  strict Content-Security-Policy (``templates/feedback/csp.j2``, also in the class report) is the
  first element of its head. Student output in feedback is already reduced to safe mime types and
  escaped markdown (``safety.py``); the policy is the second wall: the browser runs no script,
  loads nothing from the network, and shows only inline styles and ``data:`` images (the plots).
"""
from __future__ import annotations

from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.paths import TEMPLATES


def template_dirs() -> list[str]:
    """Where feedback's exporter finds templates: the course's first, then nbgrader's own (which
    nbgrader adds itself only when none are configured)."""
    import nbgrader

    return [str(TEMPLATES), str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]


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
