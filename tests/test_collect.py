"""Grading the folder `nbgrader collect` fills never alters it (the grader stages its own copies)."""
import pytest

from autograder import build, grade
from autograder.results import Options
from conftest import FIXTURES


@pytest.mark.slow
def test_grading_the_collected_folder_leaves_it_untouched(tmp_path, checksums):
    from autograder import course

    state = course.State.from_env(tmp_path / "state", source=FIXTURES / "course")
    build.generate("00_plain", state, tmp_path / "release")
    blank = (tmp_path / "release" / "00_plain" / "plain.ipynb").read_bytes()
    for student in ("s1", "s2"):
        folder = state.collected / student / "00_plain"
        folder.mkdir(parents=True)
        (folder / "plain.ipynb").write_bytes(blank)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    before = checksums(state.collected)

    results = grade.grade_batch("00_plain", state.collected, tmp_path / "out", Options(state), progress=False)

    assert [r.status for r in results] == ["graded", "graded"]
    assert checksums(state.collected) == before
    assert (state.staged / "s1" / "00_plain" / "timestamp.txt").is_file(), "the collect timestamp is kept"
