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
