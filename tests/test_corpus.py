"""The answer-corpus judge (autograder/corpus.py) itself: fast, no kernel."""
from autograder import corpus, course
from autograder import notebooks as nbtools


def test_exercises_map_each_answer_cell_to_its_test_cells():
    nb = nbtools.read(course.SOLUTIONS / "01_sequences" / "sequences.ipynb")
    assert corpus.exercises(nb) == {"make_windows": ["make_windows_test"], "time_split": ["time_split_test"]}


def test_judge_reports_a_valid_answer_that_loses_points_and_an_uncaught_or_unnamed_mistake():
    slots = {"f": ["f_test", "f_more"]}
    answers = [corpus.Valid("f", "loop", "..."), corpus.Mistake("f", "off by one", "...", says="off.by.one"),
               corpus.Mistake("f", "transposed", "...", says="transpose"), corpus.Mistake("f", "fine", "...", says="x")]
    seen = [{"slot": "f", "name": "loop", "tests": {"f_test": None, "f_more": "AssertionError: shape"}},
            {"slot": "f", "name": "off by one", "tests": {"f_test": None, "f_more": None}},
            {"slot": "f", "name": "transposed", "tests": {"f_test": "AssertionError: wrong shape", "f_more": None}},
            {"slot": "f", "name": "fine", "tests": {"f_test": "AssertionError: x is wrong", "f_more": None}}]
    failures = corpus.judge(answers, slots, seen)
    assert len(failures) == 3
    assert "valid answer 'loop' loses f_more" in failures[0]
    assert "'off by one' passes f_test" in failures[1]
    assert "does not name the mistake" in failures[2]


def test_every_exercise_needs_a_valid_alternative_and_a_mistake():
    assert corpus.coverage({"f": ["f_test"]}, [corpus.Valid("f", "a", "")]) == ["f: no common mistake in the answer corpus"]
