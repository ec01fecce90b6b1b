"""Feedback pages: what a test cell shows, and the templates every generated page goes through.

* ``FeedbackWithoutTestCode`` keeps only a test cell's errors, each as ``ErrorName: message``;
* ``GradesWithStatus`` is nbgrader's ``GetGrades`` that also says which answers nobody has graded
  yet and the autograded and written totals apart, so the page can say "not graded yet" and show
  the autograded score grades.csv shows;
* the page is nbgrader's feedback template extended by ``templates/feedback/with_csp.html.j2``: a
  strict Content-Security-Policy (``templates/feedback/csp.j2``, also in the class report) is the
  first element of its head. Student output in feedback is already reduced to safe mime types and
  escaped markdown (``safety.py``); the policy is the second wall: the browser runs no script,
  loads nothing from the network, and shows only inline styles and ``data:`` images (the plots).
  MathJax cannot run under it, so ``math_to_mathml`` turns the lesson text's LaTeX into MathML,
  which browsers draw themselves, when the page is made.

``FeedbackExporter`` is nbconvert's HTML exporter with one difference: the templates it compiles
are kept for the life of the process (Jinja's bytecode cache, checked against each template's
source), so a batch compiles them once instead of once per page.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter
from nbgrader import utils
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

from autograder.paths import TEMPLATES


def template_dirs() -> list[str]:
    """Where feedback's exporter finds templates: the course's first, then nbgrader's own (which
    nbgrader adds itself only when none are configured)."""
    import nbgrader

    return [str(TEMPLATES), str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates in memory; Jinja recompiles one whose source changed."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


class FeedbackExporter(HTMLExporter):
    """The feedback page's exporter (configured as ``HTMLExporter``): each page gets a new Jinja
    environment, as nbconvert makes it, sharing the templates compiled for earlier pages."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED
        return environment


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


class GradesWithStatus(GetGrades):
    """nbgrader's ``GetGrades``, and per graded cell ``graded`` (False while an answer waits for a
    person in formgrader); in ``resources["nbgrader"]``: ``code_score`` / ``max_code_score`` (the
    autograded points, as grades.csv has them), ``written_score`` / ``max_written_score``,
    ``ungraded`` (the points of the answers nobody has graded yet) and ``ungraded_written`` (those
    of written answers)."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        with self.gradebook:
            notebook = self.gradebook.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
            waiting = [g for g in notebook.grades if g.needs_manual_grade]
            resources["nbgrader"].update(
                code_score=float(notebook.code_score), max_code_score=float(notebook.max_code_score),
                written_score=float(notebook.written_score), max_written_score=float(notebook.max_written_score),
                ungraded=sum(float(g.max_score) for g in waiting),
                ungraded_written=sum(float(g.max_score) for g in waiting if g.cell_type == "markdown"))
        return nb, resources

    def _get_score(self, cell, resources):
        """``GetGrades._get_score`` (score and points) and ``graded``, from one gradebook lookup."""
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        cell.metadata.nbgrader["score"] = grade.score
        cell.metadata.nbgrader["points"] = grade.max_score
        cell.metadata.nbgrader["graded"] = not grade.needs_manual_grade


#: the parts of an HTML fragment math is never looked for in
_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.S)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$]+?)(?<!\s)\$(?!\d)", re.S)


def math_to_mathml(fragment: str) -> str:
    """Each ``$…$`` and ``$$…$$`` of rendered markdown (outside code) as MathML; a formula the
    converter cannot read stays as its LaTeX source. A jinja filter of the feedback template, used
    on the lesson's own text only: a student's written answer is shown as written."""
    from latex2mathml.converter import convert

    def one(match: re.Match) -> str:
        block, inline = match.groups()
        try:
            return convert(html.unescape(block if block is not None else inline),
                           display="block" if block is not None else "inline")
        except Exception:   # the converter's errors have no common base; the source is still readable
            return match.group(0)

    parts = _VERBATIM.split(fragment)
    return "".join(part if i % 2 else _MATH.sub(one, part) for i, part in enumerate(parts))
