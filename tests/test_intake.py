"""Bad files get a named status and a sentence; the batch goes on (no execution needed)."""
import json
import os
import zipfile

import pytest

from autograder import intake

GOOD = {"cells": [], "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        "nbformat": 4, "nbformat_minor": 5}


def write(folder, student, content, name="lesson.ipynb"):
    (folder / student).mkdir(parents=True, exist_ok=True)
    path = folder / student / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def statuses(folder, staging):
    subs, _ = intake.collect(folder, "a", ["lesson"], staging)
    return {s.student_id: (s.status, s.message) for s in subs}


@pytest.mark.parametrize("content, status, words", [
    (b"", "invalid", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "invalid", "not a Jupyter notebook"),
    (b"{not json", "invalid", "not a Jupyter notebook"),
    ({**GOOD, "nbformat": 3}, "wrong_format", "nbformat 3"),
    ({**GOOD, "metadata": {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}}, "wrong_kernel", "R kernel"),
    ({"cells": "nope", "nbformat": 4}, "invalid", "no list of cells"),
])
def test_bad_notebook_files(tmp_path, content, status, words):
    write(tmp_path / "in", "student1", content)
    got = statuses(tmp_path / "in", tmp_path / "staging")["student1"]
    assert got[0] == status and words in got[1]


def test_good_missing_extra_symlink_and_oversize(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write(folder, "good", GOOD)
    write(folder, "extra", GOOD)
    write(folder, "extra", GOOD, name="scratch.ipynb")
    write(folder, "renamed", GOOD, name="lesson (1).ipynb")
    (folder / "linked").mkdir()
    os.symlink("/etc/passwd", folder / "linked" / "lesson.ipynb")
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 1000)
    write(folder, "huge", {**GOOD, "metadata": {**GOOD["metadata"], "pad": "x" * 2000}})
    subs, _ = intake.collect(folder, "a", ["lesson"], tmp_path / "staging")
    by = {s.student_id: s for s in subs}
    assert by["good"].status is None
    assert by["extra"].status is None and "scratch.ipynb" in by["extra"].notes[0]
    assert by["renamed"].status is None and by["renamed"].files["lesson"].name == "lesson (1).ipynb"
    assert "graded renamed file lesson (1).ipynb as lesson.ipynb" in by["renamed"].notes
    assert by["linked"].status == "invalid" and "symbolic link" in by["linked"].message
    assert by["huge"].status == "too_large"


def test_lms_zip_with_path_traversal_nested_archives_and_flat_names(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("course/alice/lesson.ipynb", json.dumps(GOOD))
        zf.writestr("course/bob/lesson.ipynb", b"garbage")
        zf.writestr("../../evil/lesson.ipynb", json.dumps(GOOD))
        zf.writestr("course/carol/inner.zip", b"PK...")
    subs, notes = intake.collect(archive, "a", ["lesson"], tmp_path / "staging")
    by = {s.student_id: s for s in subs}
    assert by["alice"].status is None and by["bob"].status == "invalid"
    assert any("unsafe path" in n for n in notes) and any("nested archive" in n for n in notes)
    assert not (tmp_path / "evil").exists()

    flat = tmp_path / "canvas.zip"
    with zipfile.ZipFile(flat, "w") as zf:
        zf.writestr("dave_1234_5678_lesson.ipynb", json.dumps(GOOD))
    subs, _ = intake.collect(flat, "a", ["lesson"], tmp_path / "staging2")
    assert [(s.student_id, s.status) for s in subs] == [("dave", None)]


def test_unreadable_archive_is_a_batch_error(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(intake.IntakeError):
        intake.collect(bad, "a", ["lesson"], tmp_path / "staging")


@pytest.mark.parametrize("names", [["sequences (1).ipynb"], ["Copy of sequences.ipynb"], ["sequences-Copy1.ipynb"],
                                   ["Sequences.ipynb"], ["copy of SEQUENCES (2).ipynb", "notes.ipynb"]])
def test_renamed_notebook_is_graded_when_unambiguous(tmp_path, names):
    for name in names:
        write(tmp_path / "in", "s1", GOOD, name=name)
    (sub,), _ = intake.collect(tmp_path / "in", "a", ["sequences"], tmp_path / "staging")
    assert sub.status is None and sub.files["sequences"].name == names[0]
    assert f"graded renamed file {names[0]} as sequences.ipynb" in sub.notes


def test_renamed_notebooks_that_are_ambiguous_or_absent_are_listed(tmp_path):
    folder = tmp_path / "in"
    write(folder, "two_copies", GOOD, name="sequences (1).ipynb")
    write(folder, "two_copies", GOOD, name="Copy of sequences.ipynb")
    write(folder, "unrelated", GOOD, name="homework.ipynb")
    (folder / "nothing").mkdir()
    (folder / "nothing" / "notes.txt").write_text("hi")
    # one file that could be either of two expected notebooks: not guessed
    write(folder, "either", GOOD, name="rnn_training_copy.ipynb")
    subs, _ = intake.collect(folder, "a", ["sequences"], tmp_path / "staging")
    by = {s.student_id: s for s in subs}
    assert by["two_copies"].status == "missing"
    msg = by["two_copies"].message
    assert "Copy of sequences.ipynb, sequences (1).ipynb could each be sequences.ipynb" in msg, msg
    assert "rename the one to grade" in msg
    assert by["unrelated"].status == "missing" and "found homework.ipynb" in by["unrelated"].message
    assert by["nothing"].status == "missing" and "found no .ipynb file" in by["nothing"].message

    (s,), _ = intake.collect(_only(folder, "either", tmp_path), "a", ["rnn", "rnn_training"], tmp_path / "staging2")
    assert s.status == "missing" and "rnn_training_copy.ipynb could be any of rnn.ipynb, rnn_training.ipynb" in s.message


def _only(folder, student, tmp_path):
    import shutil

    dest = tmp_path / "only"
    shutil.copytree(folder / student, dest / student)
    return dest


def test_nbgrader_layout_is_read_by_its_structure_with_one_student_or_more(tmp_path):
    """``nbgrader collect`` gives submitted/<student>/<assignment>/; one student is not a wrapper folder."""
    folder = tmp_path / "submitted"
    write(folder / "alice", "a", GOOD)
    (sub,), _ = intake.collect(folder, "a", ["lesson"], tmp_path / "staging")
    assert (sub.student_id, sub.status) == ("alice", None)
    write(folder / "bob", "a", GOOD)
    subs, _ = intake.collect(folder, "a", ["lesson"], tmp_path / "staging2")
    assert [(s.student_id, s.status) for s in subs] == [("alice", None), ("bob", None)]
    # a zip of that folder under one wrapper folder, still with one student
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submitted/alice/a/lesson.ipynb", json.dumps(GOOD))
    (sub,), _ = intake.collect(archive, "a", ["lesson"], tmp_path / "staging3")
    assert (sub.student_id, sub.status) == ("alice", None)


def test_file_names_that_are_not_utf8_end_up_in_a_readable_grades_csv(tmp_path):
    from autograder import grades_csv
    from autograder.results import Result

    folder = tmp_path / "in"
    (folder / "s1").mkdir(parents=True)
    (folder / "s2").mkdir(parents=True)
    with open(os.path.join(os.fsencode(folder / "s1"), b"caf\xe9.ipynb"), "wb") as fh:
        fh.write(json.dumps(GOOD).encode())
    with open(os.path.join(os.fsencode(folder / "s2"), b"lesson \xff.ipynb"), "wb") as fh:
        fh.write(json.dumps(GOOD).encode())
    subs, _ = intake.collect(folder, "a", ["lesson"], tmp_path / "staging")
    by = {s.student_id: s for s in subs}
    assert by["s1"].status == "missing" and "caf\ufffd.ipynb" in by["s1"].message
    assert by["s2"].status is None and "graded renamed file lesson \ufffd.ipynb as lesson.ipynb" in by["s2"].notes
    # even a message that still holds an undecodable name is written, and the other rows with it
    results = [Result("s1", "a", status="missing", message=by["s1"].message),
               Result("s3", "a", status="graded", message="caf\udce9.ipynb graded"),
               Result("s4", "a", status="graded")]
    grades_csv.write(results, tmp_path / "grades.csv")
    assert [r.student_id for r in grades_csv.read(tmp_path / "grades.csv")] == ["s1", "s3", "s4"]


@pytest.mark.parametrize("bad_meta", ["just a string", {"grade_id": ["a", "list"], "grade": True, "locked": True},
                                      {"grade_id": {"a": 1}, "solution": True}, 42, ["x"]])
def test_nbgrader_metadata_of_any_json_type_does_not_stop_grading(tmp_path, bad_meta):
    """nbformat accepts any JSON in ``metadata.nbgrader``; the steps before execution read it."""
    import nbformat

    from autograder import safety, stage
    from conftest import FIXTURES

    source = FIXTURES / "course" / "00_plain" / "plain.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": bad_meta}))
    nb.cells[5].metadata["nbgrader"] = bad_meta if isinstance(bad_meta, dict) else nb.cells[5].metadata["nbgrader"]
    path = write(tmp_path / "in", "s1", json.loads(nbformat.writes(nb)), name="plain.ipynb")
    assert intake.vet_notebook(path) is None
    notes = stage.tampering_notes("00_plain", "plain", path, source)
    assert all(isinstance(n, str) for n in notes)
    # nbgrader's own sanitize steps (DeduplicateIds hashes grade_ids) see the notebook only rebuilt
    from nbgrader.preprocessors import OverwriteKernelspec
    from traitlets.config import Config

    from autograder import config, course

    state = course.State(tmp_path / "state", f"sqlite:///{tmp_path / 'gradebook.db'}", FIXTURES / "course")
    c = config.configure(Config(), state)
    steps = c.Autograde.sanitize_preprocessors
    assert steps[0] is safety.RebuildFromRelease
    submitted, resources = nbformat.read(str(path), as_version=4), {"nbgrader": {"assignment": "00_plain",
                                                                               "notebook": "plain"}}
    for step in steps[:steps.index(OverwriteKernelspec)]:      # from here on they read the gradebook
        submitted, resources = step(config=c).preprocess(submitted, resources)
    rebuilt, notes = safety.rebuild(nbformat.read(str(path), as_version=4), nbformat.read(str(source), as_version=4))
    assert all(isinstance(n, str) for n in notes)
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in rebuilt.cells if c.metadata.get("nbgrader")] == \
        [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(str(source), as_version=4).cells]


@pytest.mark.parametrize("text, note", [
    ("not a date at all", "timestamp.txt is not a date"),
    ("2026-13-45 99:99:99", "timestamp.txt is not a date"),
    ("\udcff", "timestamp.txt is not a date"),
    ("2020-01-01 00:00:00 UTC", "before the assignment was released (2026-11-01 00:00 UTC)"),
    ("2999-01-01 00:00:00 UTC", "after the submission was collected"),
    ("2026-11-20 10:00:00.000000 UTC", None),
])
def test_submission_times_that_are_not_dates_or_not_plausible_are_flagged(tmp_path, text, note):
    from datetime import datetime

    from autograder import stage

    stamp = tmp_path / "timestamp.txt"
    stamp.write_bytes(text.encode("utf-8", "surrogateescape"))
    when, got = stage.submission_time(stamp, released_at=datetime(2026, 11, 1), now=datetime(2026, 11, 30))
    if note is None:
        assert got is None and when == datetime(2026, 11, 20, 10)
    else:
        assert when is None and note in got


def test_a_submission_from_a_zip_is_filed_where_nbgrader_collect_puts_them(tmp_path):
    """formgrader's Manage Assignments counts nbgrader's submitted folder, not the gradebook: what the
    grader grades from a folder or an LMS zip is filed there too, with what nbgrader collect left
    beside it; a folder nbgrader collect wrote is never touched, and one filed earlier is replaced."""
    from autograder import course, stage

    state = course.State.from_env(tmp_path / "state")
    path = write(tmp_path / "in", "ada", GOOD)
    (tmp_path / "in" / "ada" / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    stage.keep_as_collected(intake.Submission("ada", {"lesson": path}), "a", state)
    filed = state.collected / "ada" / "a"
    assert sorted(p.name for p in filed.iterdir()) == sorted([stage.KEPT_MARKER, "lesson.ipynb", "timestamp.txt"])
    assert (filed / "lesson.ipynb").read_bytes() == path.read_bytes()

    newer = write(tmp_path / "in2", "ada", {**GOOD, "cells": [{"cell_type": "markdown", "source": "v2", "metadata": {}}]})
    stage.keep_as_collected(intake.Submission("ada", {"lesson": newer}), "a", state)
    assert (filed / "lesson.ipynb").read_bytes() == newer.read_bytes()
    assert not (filed / "timestamp.txt").exists()

    collected = state.collected / "bob" / "a"
    collected.mkdir(parents=True)
    (collected / "lesson.ipynb").write_bytes(b"what nbgrader collect wrote")
    stage.keep_as_collected(intake.Submission("bob", {"lesson": write(tmp_path / "in", "bob", GOOD)}), "a", state)
    assert sorted(p.name for p in collected.iterdir()) == ["lesson.ipynb"]
    assert (collected / "lesson.ipynb").read_bytes() == b"what nbgrader collect wrote"
