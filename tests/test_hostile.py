"""The hostile corpus (tests/hostile/cases.py), graded as ONE batch with a correct submission."""
import html
import json
import time
from pathlib import Path

import nbformat
import pytest

from autograder import build, grade
from autograder import notebooks as nbtools
from autograder.results import Options
from conftest import FIXTURES
from hostile.cases import CASES, CHECK_LIARS, LIAR_CLASSES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"


def _blank(fixture_state, tmp_path):
    build.generate(ASSIGNMENT, fixture_state, tmp_path / "release")
    return nbtools.read(tmp_path / "release" / ASSIGNMENT / "plain.ipynb")


def _build_corpus(blank, folder: Path):
    for case in CASES:
        nb = nbformat.from_dict(json.loads(json.dumps(blank)))
        if case.code is not None:
            answer = next(c for c in nb.cells if nbtools.grade_meta(c).get("solution"))
            answer.source = case.code
        if case.edit:
            case.edit(nb)
        (folder / case.name).mkdir(parents=True)
        nbformat.write(nb, str(folder / case.name / "plain.ipynb"))
        for name, text in case.files.items():
            (folder / case.name / name).write_text(text)
    (folder / "zz_correct").mkdir()
    nbformat.write(nbtools.read(SOURCE), str(folder / "zz_correct" / "plain.ipynb"))


@pytest.mark.slow
def test_every_cheat_scores_zero_and_the_correct_submission_keeps_full_marks(fixture_state, tmp_path, read_grades,
                                                                             checksums):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _build_corpus(_blank(fixture_state, tmp_path), subs)
    originals = checksums(subs)

    start = time.monotonic()
    opts = Options(fixture_state, cell_timeout=10, notebook_timeout=60)  # headroom for a loaded CI machine
    grade.grade_batch(ASSIGNMENT, subs, out, opts, workers=2, progress=False)
    took = time.monotonic() - start
    rows = read_grades(out)

    report = "\n".join(f"{k:28} {r['score']:>5} {r['status']:9} {r['message'][:110]}" for k, r in sorted(rows.items()))
    print(f"\n{len(CASES)} hostile cases graded in {took:.0f} s\n{report}")
    assert rows["zz_correct"]["score"] == rows["zz_correct"]["max_score"] == "3.0", report
    assert rows["zz_correct"]["status"] == "graded", report
    gained = {k: r["score"] for k, r in rows.items() if k != "zz_correct" and float(r["score"]) != 0.0}
    assert not gained, f"cheats gained points: {gained}\n{report}"
    assert set(rows) == {c.name for c in CASES} | {"zz_correct"}
    # nothing is lost: the submissions are byte-for-byte unchanged
    assert checksums(subs) == originals
    # a printed or raised timeout name is not a timeout
    assert rows["timeout_words"]["status"] == "graded", report
    # error messages count toward the output cap: no 24 MiB graded notebook
    graded = fixture_state.autograded / "error_flood" / ASSIGNMENT / "plain.ipynb"
    assert graded.stat().st_size < 5 << 20, graded.stat().st_size
    # no feedback page shows a line of a hidden test, whatever the student printed, showed or raised
    from autograder.feedback import hidden_lines

    hidden = set().union(*(hidden_lines(c.source) for c in nbtools.read(SOURCE).cells if c.cell_type == "code"))
    assert len(hidden) >= 4
    pages = list((out / "feedback").rglob("*.html"))
    assert any("leak_hidden_tests" in str(p) for p in pages)
    for page in pages:
        text = page.read_text()
        shown = [h for h in hidden if h in text or html.escape(h) in text or html.escape(h, quote=False) in text]
        assert not shown, (page, shown)
    # student markup never reaches the feedback as live HTML
    feedback = (out / "feedback" / "markdown_xss" / "plain.html").read_text()
    assert "<script>alert" not in feedback and "<img src=x" not in feedback
    assert "&lt;script&gt;alert(1)" in feedback


@pytest.mark.parametrize("name, code, check, args", CHECK_LIARS, ids=[c[0] for c in CHECK_LIARS])
def test_lying_values_fail_the_course_checks(name, code, check, args):
    """Objects that lie about equality, type or shape fail rnncourse.checks (no grading needed)."""
    import numpy as np
    from rnncourse import checks

    namespace = {"np": np}
    exec(LIAR_CLASSES + code, namespace)
    with pytest.raises(AssertionError):
        getattr(checks, check)(namespace["value"], *args)


def test_honest_values_still_pass_the_course_checks():
    import collections

    import numpy as np
    from rnncourse import checks

    Pair = collections.namedtuple("Pair", "a b")
    checks.check_equal(np.int64(18), 18, "n")
    checks.check_equal(True, 1, "flag")
    checks.check_equal((None, np.int64(5), 3), (None, 5, 3), "shape")
    checks.check_equal([int, float], [int, float], "types")
    checks.check_equal(Pair(1, "x"), Pair(1, "x"), "pair")
    checks.check_equal({"a": [1, 2]}, {"a": [1, 2]}, "dict")
    checks.check_close([1, 2, 3], np.array([1.0, 2.0, 3.0]), "list")
    checks.check_shape([[1, 2, 3]], (1, 3), "nested list")
    checks.check_shape(np.zeros((2, 3)), np.zeros((2, 3)).shape, "array")
    checks.check_type(np.int32(3), (int, np.integer), "k")
