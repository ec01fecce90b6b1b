from pathlib import Path

import pytest

from autograder import course

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def per_assignment():
    """One pytest param per lesson, grouped so xdist runs a lesson's tests on one worker."""
    return [pytest.param(a, id=a, marks=pytest.mark.xdist_group(a)) for a in course.assignments()]


@pytest.fixture
def fixture_state(tmp_path):
    """A grading state whose nbgrader source is the tiny fixture course in tests/fixtures/course."""
    return course.State.from_env(tmp_path / "state", source=FIXTURES / "course")
