"""Plain data of grading (autograder/results.py) and grades.csv: statuses, bounded messages, and a
grades.csv that reads back whatever the length of its fields."""
from __future__ import annotations

import csv
import json

from autograder import grade, grades_csv, intake
from autograder.results import MAX_MESSAGE, Result, Status, bounded, join_notes, listing

GOOD = {"cells": [], "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        "nbformat": 4, "nbformat_minor": 5}


def test_statuses_are_the_words_of_grades_csv(tmp_path):
    assert [s.value for s in Status] == ["graded", "timeout", "error", "invalid", "wrong_format",
                                         "wrong_kernel", "too_large", "missing"]
    assert Status.GRADED == "graded" and f"{Status.TOO_LARGE}" == "too_large" and json.dumps(Status.ERROR) == '"error"'
    grades_csv.write([Result("s1", "a", status=Status.TIMEOUT)], tmp_path / "grades.csv")
    assert "s1,a,0.0,0.0,timeout," in (tmp_path / "grades.csv").read_text()


def test_messages_are_bounded_and_say_what_was_left_out():
    assert bounded("short") == "short"
    long = bounded("x" * 10_000)
    assert len(long) == MAX_MESSAGE and long.endswith("more characters)")
    assert listing(["a", "b", "c"]) == "a, b, c"
    assert listing([f"n{i}" for i in range(1000)], 3) == "n0, n1, n2 … (997 more)"
    joined = join_notes([f"note {i} " + "y" * 50 for i in range(500)], 400)
    assert len(joined) < 450 and joined.endswith("more)") and joined.startswith("note 0 ")
    row = Result("s1", "a", message="z" * 300_000).row()
    assert len(row["message"]) == MAX_MESSAGE


def test_thousands_of_extra_notebooks_make_a_short_message(tmp_path):
    """A submission that hands in thousands of extra notebooks: one note naming a few of them, a
    row of grades.csv within bounds, read back as written."""
    folder = tmp_path / "in" / "s1"
    folder.mkdir(parents=True)
    (folder / "lesson.ipynb").write_text(json.dumps(GOOD))
    for i in range(3000):
        (folder / f"scratch_{i:04d}_with_a_rather_long_name.ipynb").write_text("{}")
    (sub,), _ = intake.collect(tmp_path / "in", "a", ["lesson"], tmp_path / "staging")
    assert sub.status is None and len(sub.notes) == 1
    assert sub.notes[0].startswith("ignored extra notebook(s): scratch_0000") and sub.notes[0].endswith("(2980 more)")
    notes = sub.notes + [f"lesson: read-only cell 'c{i}' was edited and has been restored" for i in range(500)]
    result = Result("s1", "a", 1.0, 3.0)
    result.message = grade.message(result, notes)
    assert len(result.message) <= MAX_MESSAGE and "more)" in result.message
    grades_csv.write([result], tmp_path / "grades.csv")
    assert len((tmp_path / "grades.csv").read_bytes()) < 3 * MAX_MESSAGE
    assert grades_csv.read(tmp_path / "grades.csv")[0].message == result.message


def test_a_grades_csv_with_a_huge_field_reads_back(tmp_path):
    """A file written before messages were bounded (or edited by hand) still reads: the csv module's
    own field limit (128 KiB) is lifted while reading, and put back afterwards."""
    path = tmp_path / "grades.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(Result("s", "a").row()))
        writer.writeheader()
        writer.writerow({**Result("s1", "a", 2.0, 3.0, "graded").row(), "message": "m" * 300_000})
    limit = csv.field_size_limit()
    (r,) = grades_csv.read(path)
    assert (r.student_id, r.score, len(r.message)) == ("s1", 2.0, 300_000)
    assert csv.field_size_limit() == limit
