"""The harness, for every lesson: tests are never vacuous (see autograder/harness.py).

Grading each lesson's solution and blank release is slow (it executes the notebooks), so one
harness run per lesson is shared by the three checks that read it.
"""
import pytest

from autograder import course, harness
from conftest import per_assignment, per_notebook_group


@pytest.fixture(scope="session")
def checked():
    """``checked((assignment, notebooks))``: the harness run of one lesson or one of lesson 07's
    notebooks, made once and shared by the four tests that read it. xdist keeps a group's tests on
    one worker; the cache lives for the session because a worker may run another module's test
    between them (a module-scoped cache was torn down then, and most lessons were checked twice: CI
    spent 895 s and 720 s on lesson 07). The lesson's hygiene is its own test."""
    runs: dict[tuple, harness.AssignmentCheck] = {}

    def run(part: tuple) -> harness.AssignmentCheck:
        if part not in runs:
            assignment, notebooks = part
            runs[part] = harness.check(assignment, workers=1,
                                       notebooks=list(notebooks or course.notebooks(assignment)))
        return runs[part]
    return run


def only(failures, needle):
    return [f for f in failures if needle in f]


@pytest.mark.parametrize("assignment", per_assignment())
def test_notebooks_are_clean_and_lessons_up_to_date(assignment):
    assert harness.hygiene(assignment) == []


@pytest.mark.slow
@pytest.mark.parametrize("part", per_notebook_group())
def test_solution_scores_full_marks_on_every_test_cell(part, checked):
    result = checked(part)
    assert result.test_cells and all(result.test_cells.values()), "no autograded test cells"
    assert only(result.failures(), "solution scores") == []


@pytest.mark.slow
@pytest.mark.parametrize("part", per_notebook_group())
def test_blank_release_scores_zero_on_every_test_cell(part, checked):
    assert only(checked(part).failures(), "blank release") == []


@pytest.mark.slow
@pytest.mark.parametrize("part", per_notebook_group())
def test_hidden_tests_reject_a_hard_coded_answer(part, checked):
    result = checked(part)
    assert any(o == "rejected" for nb in result.replay.values() for o in nb.values()), \
        "no hidden test calls student code with new arguments"
    assert only(result.failures(), "hard-coded") == []


@pytest.mark.slow
@pytest.mark.parametrize("part", per_notebook_group())
def test_answer_corpus_valid_answers_pass_and_mistakes_are_named(part, checked):
    """tests/answers/: valid alternatives keep full points; common mistakes lose them, named."""
    assert only(checked(part).failures(), "answer corpus") == []


@pytest.mark.slow
@pytest.mark.parametrize("part", per_notebook_group())
def test_skipping_demonstrations_changes_no_score(part, checked):
    """Cells tagged skip-when-grading: the scores, the replay and the corpus are the same in full."""
    assert only(checked(part).failures(), "skipping demonstrations") == []
