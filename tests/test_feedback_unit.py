"""Feedback hardening (autograder/feedback.py), tested directly: the Content-Security-Policy every
feedback page carries, and test-cell tracebacks cut to the check's message. No grading run; the
end-to-end pages are checked in tests/test_grading.py and tests/test_hostile.py."""
from __future__ import annotations

import os

import nbformat

from autograder import feedback

PAGE = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>plain</title>\n</head>\n<body>x</body>\n</html>\n"


def first_in_head(page: str) -> str:
    return page.split("<head", 1)[1].split(">", 1)[1].lstrip()


def test_the_policy_forbids_script_and_network():
    directives = dict(d.strip().split(" ", 1) for d in feedback.CSP.split(";"))
    assert directives == {"default-src": "'none'", "style-src": "'unsafe-inline'", "img-src": "data:"}
    assert feedback.META == f'<meta http-equiv="Content-Security-Policy" content="{feedback.CSP}">'


def test_the_policy_is_the_first_element_of_head():
    page = feedback.with_csp(PAGE)
    assert first_in_head(page).startswith(feedback.META)
    assert page.replace("\n" + feedback.META, "", 1) == PAGE      # nothing else changed


def test_head_with_attributes_or_upper_case_and_pages_without_head():
    for head in ('<head lang="en">', "<HEAD>", "<head\tdata-x=1>"):
        page = feedback.with_csp(PAGE.replace("<head>", head))
        assert page.split(head, 1)[1].lstrip().startswith(feedback.META), head
    assert feedback.with_csp("<p>fragment</p>") == feedback.META + "\n<p>fragment</p>"


def test_a_head_like_element_name_is_not_taken_for_head():
    page = "<html><header>student</header><head><title>t</title></head></html>"
    assert feedback.with_csp(page) == page.replace("<head>", "<head>\n" + feedback.META)


def test_adding_the_policy_twice_changes_nothing():
    once = feedback.with_csp(PAGE)
    assert feedback.with_csp(once) == once
    assert once.count(feedback.META) == 1


def test_secure_locks_every_page_under_the_folder_once(tmp_path):
    pages = [tmp_path / "plain.html", tmp_path / "sub" / "deeper" / "other.html"]
    for page in pages:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE)
    (tmp_path / "notes.txt").write_text("<head>")
    assert feedback.secure(tmp_path) == sorted(pages)
    assert all(first_in_head(p.read_text()).startswith(feedback.META) for p in pages)
    assert (tmp_path / "notes.txt").read_text() == "<head>"
    assert feedback.secure(tmp_path) == []                       # already locked: nothing rewritten


def test_secure_never_writes_through_a_symlink(tmp_path):
    """A link planted in the feedback folder must not make the grader rewrite a file elsewhere."""
    outside = tmp_path / "outside.html"
    outside.write_text(PAGE)
    folder = tmp_path / "feedback"
    folder.mkdir()
    os.symlink(outside, folder / "link.html")
    assert feedback.secure(folder) == []
    assert outside.read_text() == PAGE


def test_secure_survives_bytes_that_are_not_utf8(tmp_path):
    page = tmp_path / "odd.html"
    page.write_bytes(PAGE.encode().replace(b"x</body>", b"\xff\xfe</body>"))
    assert feedback.secure(tmp_path) == [page]
    assert first_in_head(page.read_text()).startswith(feedback.META)


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
