"""Text hygiene of notebook cells (autograder/notebooks.py): fast, no kernel."""
import nbformat
import pytest

from autograder import notebooks as nbtools


@pytest.mark.parametrize("markdown", [
    r"$a_t = \tanh(W_F x_t + W_R a_{t-1} + b)$ and $$W = [\,W_F \mid W_R\,]$$",
    r"$$a_t = \tanh\!\Big(W \begin{bmatrix} x_t \\ a_{t-1} \end{bmatrix} + b\Big)$$",
    r"`np.where(x > 0, '$', x)` costs \$5 and $r_1 \approx 0.9$",
    "no math at all",
])
def test_well_formed_math_passes(markdown):
    assert nbtools.math_problems(markdown) == []


@pytest.mark.parametrize("markdown, says", [
    (r"$f \aprox 0.73$", r"unknown TeX command.*\\aprox"),
    (r"$\frac{1}{2$", "unbalanced braces"),
    (r"one $ too many $x$", r"\$ that opens"),
    (r"$\left( x$", r"\\left without \\right"),
    (r"$\begin{bmatrix} a \end{pmatrix}$", r"\\begin and \\end"),
    (r"$\begin{tabular} a \end{tabular}$", "unknown environment"),
])
def test_malformed_math_is_named(markdown, says):
    found = nbtools.math_problems(markdown)
    assert found and any(__import__("re").search(says, p) for p in found), found


def test_a_bel_where_approx_was_is_a_problem_in_any_cell(tmp_path):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": dict(nbtools.KERNELSPEC)})
    nb.cells = [nbformat.v4.new_markdown_cell("$f \approx 0.73$"),          # "\a" is BEL in a plain string
                nbformat.v4.new_code_cell("print('ok\x1b[0m')"),
                nbformat.v4.new_code_cell("x = 1\n\ty = 2\r\n", metadata={"nbgrader": {
                    "grade": True, "grade_id": "x_test", "points": 1, "schema_version": 3}})]
    nbtools.normalise(nb)
    path = tmp_path / "lesson.ipynb"
    nbtools.write(nb, path)
    found = nbtools.problems(path)
    assert len(found) == 2, found
    assert "'\\x07'" in found[0] and "pprox 0.73" in found[0]
    assert "'\\x1b'" in found[1]
