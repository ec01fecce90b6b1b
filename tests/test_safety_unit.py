"""What a submission may not carry into grading, one rule at a time (autograder/safety.py): the
sanitize step that rebuilds a submission on the released skeleton, and the neutralised rich outputs. Fast and direct: no kernel, no nbgrader run; the whole
pipeline is exercised by the hostile batch in tests/test_hostile.py."""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from autograder import safety
from autograder.notebooks import grade_meta


def _cell(kind: str, grade_id: str, source: str, **meta):
    nb_meta = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": False}
    nb_meta.update(meta)
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    cell.id = grade_id
    cell.metadata["nbgrader"] = nb_meta
    return cell


def release_notebook():
    """A released notebook: read-only intro, a code answer and its test, a written answer, a demo."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [
        _cell("markdown", "intro", "# Squares", locked=True),
        _cell("code", "square", "def square(x):\n    raise NotImplementedError()", solution=True),
        _cell("code", "square_test", "assert square(3) == 9", grade=True, locked=True, points=2),
        _cell("markdown", "why", "YOUR ANSWER HERE", solution=True, grade=True, points=1),
        _cell("code", "demo", "print(square(4))", locked=True),
    ]
    return nb


@pytest.fixture
def release(tmp_path):
    path = tmp_path / "release" / "squares.ipynb"
    path.parent.mkdir()
    nbformat.write(release_notebook(), str(path))
    return path


def submit(tmp_path, nb) -> Path:
    path = tmp_path / "staged" / "squares.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def student(answer: str = "def square(x):\n    return x * x"):
    nb = release_notebook()
    nb.cells[1].source = answer
    return nb


def sanitized(tmp_path, release, nb):
    """``nb`` handed in as a file and rebuilt on the release, as grading does."""
    path = submit(tmp_path, nb)
    out, notes = safety.rebuild(nbformat.read(str(path), as_version=4), nbformat.read(str(release), as_version=4))
    return nbformat.reads(nbformat.writes(out), as_version=4), notes


def by_id(nb, grade_id):
    return [c for c in nb.cells if grade_meta(c).get("grade_id") == grade_id]


def graded_ids(nb):
    return [grade_meta(c).get("grade_id") for c in nb.cells if grade_meta(c)]


# --- sanitize: instructor cells come from the release ------------------------------------------

def test_an_honest_submission_keeps_its_answer_and_every_released_cell(tmp_path, release):
    out, notes = sanitized(tmp_path, release, student())
    assert notes == []
    ref = nbformat.read(str(release), as_version=4)
    assert graded_ids(out) == graded_ids(ref) == ["intro", "square", "square_test", "why", "demo"]
    assert by_id(out, "square")[0].source == "def square(x):\n    return x * x"
    for gid in ("intro", "square_test", "demo"):
        assert by_id(out, gid)[0].source == by_id(ref, gid)[0].source
        assert by_id(out, gid)[0].metadata.nbgrader == by_id(ref, gid)[0].metadata.nbgrader


def test_an_edited_test_cell_is_restored(tmp_path, release):
    nb = student()
    nb.cells[2].source = "assert True  # a test I like better"
    nb.cells[2].metadata.nbgrader["points"] = 100
    out, _ = sanitized(tmp_path, release, nb)
    (test,) = by_id(out, "square_test")
    assert test.source == "assert square(3) == 9" and test.metadata.nbgrader["points"] == 2


def test_a_deleted_test_cell_is_back(tmp_path, release):
    nb = student()
    del nb.cells[2]
    out, _ = sanitized(tmp_path, release, nb)
    assert [c.source for c in by_id(out, "square_test")] == ["assert square(3) == 9"]


def test_a_test_cell_retagged_as_an_answer_is_the_released_test_again(tmp_path, release):
    nb = student()
    nb.cells[2].source = "pass"
    nb.cells[2].metadata.nbgrader.update(solution=True, grade=False, locked=False)
    out, _ = sanitized(tmp_path, release, nb)
    (test,) = by_id(out, "square_test")
    assert test.source == "assert square(3) == 9"
    assert test.metadata.nbgrader["grade"] is True and test.metadata.nbgrader["solution"] is False
    assert "pass" not in [c.source for c in out.cells]


def test_a_duplicated_test_cell_counts_once(tmp_path, release):
    nb = student()
    extra = copy.deepcopy(nb.cells[2])
    extra.source, extra.id = "assert True", "copy"
    nb.cells.insert(3, extra)
    out, _ = sanitized(tmp_path, release, nb)
    assert [c.source for c in by_id(out, "square_test")] == ["assert square(3) == 9"]
    assert "assert True" not in [c.source for c in out.cells]


def test_a_duplicated_answer_cell_is_graded_once_and_noted(tmp_path, release):
    nb = student()
    second = copy.deepcopy(nb.cells[1])
    second.source, second.id = "def square(x):\n    return 9", "second"
    nb.cells.insert(2, second)
    out, notes = sanitized(tmp_path, release, nb)
    assert notes == ["duplicate of answer cell 'square' ignored for grading"]
    (answer,) = by_id(out, "square")
    assert answer.source == "def square(x):\n    return x * x"
    kept = [c for c in out.cells if c.source == "def square(x):\n    return 9"]
    assert len(kept) == 1 and "nbgrader" not in kept[0].metadata   # the student's code runs, ungraded


def test_a_retyped_answer_cell_is_replaced_by_the_released_stub(tmp_path, release):
    nb = student()
    nb.cells[1] = nbformat.v4.new_markdown_cell("def square(x): ...", metadata=nb.cells[1].metadata, id="square")
    out, notes = sanitized(tmp_path, release, nb)
    assert notes == ["answer cell(s) square missing; the released stub was used"]
    (answer,) = by_id(out, "square")
    assert answer.cell_type == "code" and "NotImplementedError" in answer.source


def test_a_missing_answer_is_noted_and_the_stub_used(tmp_path, release):
    nb = student()
    del nb.cells[1]
    out, notes = sanitized(tmp_path, release, nb)
    assert notes == ["answer cell(s) square missing; the released stub was used"]
    assert "NotImplementedError" in by_id(out, "square")[0].source


def test_cells_the_student_added_carry_no_grading_metadata_and_keep_their_place(tmp_path, release):
    nb = student()
    forged = _cell("code", "bonus", "print('free points')", grade=True, locked=True, points=100)
    nb.cells.insert(2, forged)                                    # after the answer, before its test
    nb.cells.insert(0, nbformat.v4.new_raw_cell("raw first"))
    out, _ = sanitized(tmp_path, release, nb)
    sources = [c.source for c in out.cells]
    assert sources[0] == "raw first"
    assert sources.index("print('free points')") == sources.index("def square(x):\n    return x * x") + 1
    added = out.cells[sources.index("print('free points')")]
    assert "nbgrader" not in added.metadata
    assert "bonus" not in graded_ids(out)


def test_the_notebook_metadata_is_reset_to_the_python3_kernel(tmp_path, release):
    nb = student()
    nb.metadata["kernelspec"] = {"display_name": "Evil", "language": "python", "name": "evil"}
    nb.metadata["nbgrader"] = {"late_penalty": 0}
    out, _ = sanitized(tmp_path, release, nb)
    assert out.metadata["kernelspec"]["name"] == "python3"
    assert "nbgrader" not in out.metadata


def test_student_markdown_is_escaped_in_answers_and_in_added_cells(tmp_path, release):
    nb = student()
    nb.cells[3].source = "<script>alert(1)</script> because *order* matters"
    nb.cells.append(nbformat.v4.new_markdown_cell('<img src=x onerror="alert(2)">'))
    out, _ = sanitized(tmp_path, release, nb)
    (why,) = by_id(out, "why")
    assert why.source == "&lt;script&gt;alert(1)&lt;/script&gt; because *order* matters"
    assert out.cells[-1].source == '&lt;img src=x onerror="alert(2)"&gt;'
    assert not any("<script" in c.source or "<img" in c.source for c in out.cells)


@pytest.mark.filterwarnings("ignore::nbformat.warnings.DuplicateCellId")   # what the student wrote
def test_outputs_are_dropped_and_cell_ids_made_unique(tmp_path, release):
    nb = student()
    nb.cells[4].outputs = [nbformat.v4.new_output("stream", name="stdout", text="forged output")]
    nb.cells[4].execution_count = 7
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", id="square_test"))   # a student cell posing as the test
    out, _ = sanitized(tmp_path, release, nb)
    (demo,) = by_id(out, "demo")
    assert demo.outputs == [] and demo.execution_count is None
    ids = [c.id for c in out.cells]
    assert len(ids) == len(set(ids)) and by_id(out, "square_test")[0].id == "square_test"
    nbformat.validate(out)


def test_the_sanitize_step_rebuilds_on_the_release_made_from_the_source(tmp_path):
    """``RebuildFromRelease``, as nbgrader's sanitize step: the skeleton is the source notebook with
    nbgrader's own ClearSolutions applied, so a deleted answer comes back as the released stub."""
    source = tmp_path / "source" / "a1" / "squares.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(release_notebook(), str(source))
    nb = student()
    nb.cells[2].source = "assert True"
    del nb.cells[1]
    step = safety.RebuildFromRelease(source_directory=str(tmp_path / "source"))
    out, _ = step.preprocess(nb, {"nbgrader": {"assignment": "a1", "notebook": "squares"}})
    assert by_id(out, "square_test")[0].source == "assert square(3) == 9"
    assert "raise NotImplementedError" in by_id(out, "square")[0].source
    with pytest.raises(FileNotFoundError):
        step.preprocess(nb, {"nbgrader": {"assignment": "a2", "notebook": "squares"}})


# --- rich outputs become text --------------------------------------------------------------------

def test_html_javascript_and_svg_outputs_become_text():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<script>alert(1)</script>",
                                                     "text/plain": "<IPython.core.display.HTML object>"},
                               metadata={"isolated": True}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(2)",
                                                     "image/svg+xml": "<svg onload=alert(3)>"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
        nbformat.v4.new_output("stream", name="stdout", text="<b>printed</b>"),
    ]
    safety.neutralize_outputs(cell)
    html, script, png, stream = cell.outputs
    assert dict(html.data) == {"text/plain": "<IPython.core.display.HTML object>"} and html.metadata == {}
    assert dict(script.data) == {
        "text/plain": "[rich output (application/javascript, image/svg+xml) not shown in feedback]"}
    assert dict(png.data) == {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    assert stream.text == "<b>printed</b>"                      # streams are shown as text anyway
