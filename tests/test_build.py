"""``autograder build`` says why nbgrader refused, and what to do, in a few lines (no kernel runs)."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from autograder import build, course
from conftest import FIXTURES


def test_a_build_nbgrader_refuses_says_nbgraders_reason_and_what_to_do(tmp_path):
    from nbgrader.api import Gradebook

    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "course", source)
    state = course.State.from_env(tmp_path / "state", source=source)
    build.generate("00_plain", state, tmp_path / "release")
    with Gradebook(state.db_url, course.COURSE_ID) as gb:           # a graded submission exists
        gb.update_or_create_student("s1")
        gb.add_submission("00_plain", "s1")
    path = source / "00_plain" / "plain.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    meta = {"grade": True, "grade_id": "new_test", "locked": True, "points": 1, "schema_version": 3,
            "solution": False, "task": False}
    cell = nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": meta})
    cell.id = "new_test"
    nb.cells.append(cell)                                            # a test cell added after grading
    nbformat.write(nb, str(path))

    with pytest.raises(build.BuildError) as refused:
        build.generate("00_plain", state, tmp_path / "release")
    message = str(refused.value)
    assert message.startswith("nbgrader could not generate 00_plain: RuntimeError: Cannot add or remove cells "
                              "for notebook 'plain' because there are submissions associated with it"), message
    assert "nbgrader db assignment remove 00_plain --force" in message and "keep their grade_ids" in message
    assert "Traceback" not in message and len(message.splitlines()) <= 3, message


def test_the_reason_is_nbgraders_last_specific_error():
    log = ("[INFO] Converting notebook x\n[ERROR] There was an error processing assignment: x\n"
           "    nbgrader.converters.base.NbGraderException: Please see the the above traceback\n"
           "[ERROR] No notebooks were found in the source folder\n")
    assert build.reason(log) == "No notebooks were found in the source folder"
    assert "no reason" in build.reason("[INFO] fine\n")
