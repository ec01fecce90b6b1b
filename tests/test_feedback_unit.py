"""Feedback hardening (autograder/feedback.py), tested directly: the Content-Security-Policy every
feedback page carries, and test-cell tracebacks cut to the check's message. No grading run; the
end-to-end pages are checked in tests/test_grading.py and tests/test_hostile.py."""
from __future__ import annotations


import nbformat
from traitlets.config import Config

from autograder import feedback

CSP = {"default-src": "'none'", "style-src": "'unsafe-inline'", "img-src": "data:"}


def first_in_head(page: str) -> tuple[str, dict]:
    """The first element inside <head>, and its attributes."""
    from html.parser import HTMLParser

    found = []

    class First(HTMLParser):
        in_head = False

        def handle_starttag(self, tag, attrs):
            if self.in_head and not found:
                found.append((tag, dict(attrs)))
            self.in_head = self.in_head or tag == "head"

    First().feed(page)
    return found[0] if found else ("", {})


def has_policy_first(page: str) -> bool:
    tag, attrs = first_in_head(page)
    directives = dict(d.strip().split(" ", 1) for d in attrs.get("content", "").split(";") if d.strip())
    return tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy" and directives == CSP


def feedback_exporter(tmp_path):
    """The exporter nbgrader's feedback step builds with the project's configuration."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from autograder import config, course

    c = config.configure(Config(), course.State(tmp_path, f"sqlite:///{tmp_path / 'gb.db'}", tmp_path))
    c.CourseDirectory.root = str(tmp_path)
    app = GenerateFeedback(coursedir=CourseDirectory(config=c), config=c)
    return app.exporter_class(parent=app, config=app.config)


def test_feedback_pages_carry_the_policy_first_in_their_head(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("$x$ <b>hi</b>")])
    page, _ = feedback_exporter(tmp_path).from_notebook_node(nb, resources={"nbgrader": {
        "notebook": "plain", "score": 1, "max_score": 2, "late_penalty": 0}})
    assert has_policy_first(page), page[:500]
    assert page.count("Content-Security-Policy") == 1 and "(Score: 1.0 / 2.0)" in page


def test_formgraders_own_exporter_keeps_its_template(tmp_path):
    """The feedback template is configured for the feedback step only: formgrader's views render as before."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from autograder import config, course

    c = config.configure(Config(), course.State(tmp_path, f"sqlite:///{tmp_path / 'gb.db'}", tmp_path))
    assert HTMLExporter(config=c).template_file != "with_csp.html.j2"


def test_the_class_report_is_autoescaped_and_carries_the_policy():
    from autograder import report
    from autograder.results import Result

    results = [Result("<script>alert(1)</script>", "a", score=1, max_score=2, status="error", message="<img src=x>")]
    page = report._templates().get_template("report.html.j2").render(
        assignment="01", results=results, items=[{"notebook": "n", "check": "<c>", "points": 1.0, "passed": 0,
                                                  "n": 1, "pass_rate": 0.0}],
        flagged=results, timing="none", plot_uri="data:image/png;base64,")
    assert has_policy_first(page)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<img src=x>" not in page and "&lt;c&gt;" in page


def _grade_cell(source, outputs, grade=True):
    cell = nbformat.v4.new_code_cell(source, outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": "t", "locked": True, "points": 1,
                                 "schema_version": 3, "solution": False}
    return cell


def test_test_cells_keep_only_the_checks_message_and_no_hidden_line():
    source = "x = 1\n### BEGIN HIDDEN TESTS\nassert rnn_step(x2, h2) == secret_value\n### END HIDDEN TESTS\n"
    hidden = ["\x1b[0;31m---------\x1b[0m", "Cell In[3], line 4", "      3 ### BEGIN HIDDEN TESTS",
              "----> 4 assert rnn_step(x2, h2) == secret_value", "AssertionError: h has the wrong shape"]
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="h has the wrong shape", traceback=hidden)
    stream = nbformat.v4.new_output("stream", name="stdout", text="assert rnn_step(x2, h2) == secret_value\n")
    nb = nbformat.v4.new_notebook(cells=[_grade_cell(source, [stream, error])])
    nb, _ = feedback.FeedbackWithoutTestCode().preprocess(nb, {})
    assert [o["output_type"] for o in nb.cells[0].outputs] == ["error"]     # printed output is dropped
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: h has the wrong shape"]
    assert "secret_value" not in str(nb.cells[0].outputs)


def test_feedback_names_each_graded_cell_says_not_graded_yet_and_renders_the_lessons_math(tmp_path):
    """What the student reads at the top of the page: each exercise by name, a written answer nobody
    has graded as "not graded yet" (not 0 points), the autograded total grades.csv shows; and the
    lesson's formulas as MathML (MathJax cannot run under the policy), code and answers as written."""
    from autograder import config, course

    lesson = nbformat.v4.new_markdown_cell(
        r"The cell is $a_t = \tanh(W_F x_t + W_R a_{t-1} + b)$, so `$x$` is code and" + "\n\n$$\\rho(W_R) < 1$$")
    test = _grade_cell("assert True", [])
    test.metadata.nbgrader.update(grade_id="make_windows_test", points=3, score=3.0, graded=True)
    written = nbformat.v4.new_markdown_cell("My answer: $i-1$ and $i+1$ overlap.")
    written.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "split_answer", "points": 2,
                                    "score": 0.0, "graded": False, "locked": False, "schema_version": 3}
    nb = nbformat.v4.new_notebook(cells=[lesson, test, written])
    page, _ = feedback_exporter(tmp_path).from_notebook_node(nb, resources={"nbgrader": {
        "notebook": "sequences", "score": 3, "max_score": 5, "late_penalty": 0, "code_score": 3.0,
        "max_code_score": 3.0, "written_score": 0.0, "max_written_score": 2.0, "ungraded": 2.0,
        "ungraded_written": 2.0}})
    toc = page[page.index('<div id="toc">'):page.index("</ol>")]
    assert "Test cell" not in toc and "<code>make_windows_test</code>" in toc and "Score: 3.0 / 3.0" in toc, toc
    assert "<code>split_answer</code>" in toc and "not graded yet (2.0 points)" in toc and "0.0 / 2.0" not in page, toc
    assert "Autograded tests: 3.0 / 3.0 · 2.0 points not graded yet</p>" in page
    assert page.count("<math") == 2 and r"\tanh" not in page and r"\rho" not in page
    assert "<code>$x$</code>" in page, "math is not looked for in code"
    assert "$i-1$" in page, "a written answer is shown as the student wrote it"
    c = config.configure(Config(), course.State(tmp_path, f"sqlite:///{tmp_path / 'gb.db'}", tmp_path))
    assert c.GenerateFeedback.preprocessors[0] is feedback.GradesWithStatus


def test_math_to_mathml_leaves_code_prices_and_unreadable_formulas_alone():
    assert feedback.math_to_mathml("<p>costs $5 and $10</p>") == "<p>costs $5 and $10</p>"
    assert feedback.math_to_mathml("<pre><code>$a$</code></pre>") == "<pre><code>$a$</code></pre>"
    assert "<math" in feedback.math_to_mathml("<p>$1 &lt; 2$</p>")
    assert feedback.math_to_mathml(r"<p>$\frac{1}{$</p>").startswith("<p>")
