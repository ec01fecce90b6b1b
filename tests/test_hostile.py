"""The hostile corpus, graded in three batches, each with a correct submission:

* ``CASES`` (tests/hostile/cases.py), cheats on the NumPy fixture course 00_plain: every one scores 0
  with status graded, error or timeout and a message, and nothing shows a hidden test;
* ``ABUSE`` (tests/hostile/abuse.py) on 00_plain: leaks (the student's kernel never holds a hidden
  test, whatever it prints and however it encodes it), resources, deaths during a call, thousands of
  files, notebooks built to take long: each scores what its honest answers earn, the batch and the
  class report survive, and a slow notebook ends near its timeout;
* ``KERAS_CASES`` (tests/hostile/keras_cases.py) on 00_keras: fake, patched and forged models score 0.

No status is ``tampered``: grading runs the tests in a kernel the student never touches
(autograder/twokernel.py), so a cheat has nothing to be caught at and simply earns nothing.
"""
import base64
import codecs
import html
import json
import re
import time
import warnings
import zlib
from pathlib import Path

import nbformat
import pytest

from autograder import build, grade
from autograder import notebooks as nbtools
from autograder.results import Options
from conftest import FIXTURES
from hostile.abuse import ABUSE, HONEST_LINE, LEAKS, LONG, MANY_FILES
from hostile.cases import CASES, CHECK_LIARS, LIAR_CLASSES
from hostile.keras_cases import KERAS_CASES

ASSIGNMENT = "00_plain"
SOURCE = FIXTURES / "course" / ASSIGNMENT / "plain.ipynb"
KERAS = "00_keras"
KERAS_SOURCE = FIXTURES / "course" / KERAS / "keras_model.ipynb"
NEVER = "tampered"          # the old in-kernel guard's status: no row may have it any more


# --- building and grading a batch ---------------------------------------------------------------

def _blank(assignment, fixture_state, tmp_path):
    build.generate(assignment, fixture_state, tmp_path / "release")
    return next((tmp_path / "release" / assignment).glob("*.ipynb"))


def _build_corpus(cases, blank_path: Path, source: Path, folder: Path, answers: tuple[str, ...]):
    """One folder per case (its notebook named like the blank), and ``zz_correct`` (the source)."""
    blank = nbtools.read(blank_path)
    for case in cases:
        nb = nbformat.from_dict(json.loads(json.dumps(blank)))
        cells = {nbtools.grade_meta(c).get("grade_id"): c for c in nb.cells}
        for gid, code in zip(answers, (case.code, case.count_params)):
            if code is not None:
                cells[gid].source = code
        nb.cells += [nbformat.v4.new_code_cell(code) for code in case.cells]
        if case.edit:
            case.edit(nb)
        (folder / case.name).mkdir(parents=True)
        if case.notebook:
            nbformat.write(nb, str(folder / case.name / blank_path.name))
        for name, text in case.files.items():
            (folder / case.name / name).write_text(text)
    (folder / "zz_correct").mkdir()
    nbformat.write(nbtools.read(source), str(folder / "zz_correct" / blank_path.name))


# Workers per batch. Many NumPy cases only wait (for a time limit, a grace period, a dead kernel), so
# a third worker overlaps the waits instead of leaving a core idle; TensorFlow cases are CPU-bound.
NUMPY_WORKERS, KERAS_WORKERS = 3, 2
GRACE = 3       # seconds an interrupted kernel gets before it is killed (the grader's default: 10)


def _grade(cases, assignment, source, answers, fixture_state, tmp_path, read_grades, workers=NUMPY_WORKERS,
           **timeouts):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _build_corpus(cases, _blank(assignment, fixture_state, tmp_path), source, subs, answers)
    start = time.monotonic()
    grade.grade_batch(assignment, subs, out, Options(fixture_state, **timeouts), workers=workers, progress=False)
    took = time.monotonic() - start
    rows = read_grades(out)
    report = "\n".join(f"{k:32} {r['score']:>5} {r['status']:9} {float(r['duration_s']):6.1f}s {r['message'][:100]}"
                       for k, r in sorted(rows.items()))
    print(f"\n{assignment}: {len(cases)} hostile cases and a correct submission graded in {took:.0f} s\n{report}")
    return subs, out, rows, report


def _check_rows(cases, rows, report, full_marks):
    """Each case scores what it should, with one of its statuses and a message; the correct one full marks."""
    assert set(rows) == {c.name for c in cases} | {"zz_correct"}, report
    assert rows["zz_correct"]["score"] == rows["zz_correct"]["max_score"] == full_marks, report
    assert rows["zz_correct"]["status"] == "graded", report
    gained = {c.name: rows[c.name]["score"] for c in cases if float(rows[c.name]["score"]) != c.expected}
    assert not gained, f"cases scored other than their honest answers earn: {gained}\n{report}"
    assert not [k for k, r in rows.items() if r["status"] == NEVER], report
    wrong = {c.name: rows[c.name]["status"] for c in cases if rows[c.name]["status"] not in c.statuses}
    assert not wrong, f"unexpected statuses: {wrong}\n{report}"
    silent = [c.name for c in cases if not rows[c.name]["message"].strip()]
    assert not silent, f"rows without a message: {silent}\n{report}"


def _check_reasons(cases, autograded: Path, notebook: str, source: Path):
    """A test cell that earns nothing says why: each one of a case that scores 0 shows an error."""
    tests = _test_ids(source)
    mute = {}
    for case in cases:
        path = autograded / case.name / notebook
        if case.expected or not path.is_file():
            continue
        for cell in nbtools.read(path).cells:
            if nbtools.grade_meta(cell).get("grade_id") in tests:
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error" and o.get("ename")]
                if not errors:
                    mute.setdefault(case.name, []).append(nbtools.grade_meta(cell)["grade_id"])
    assert not mute, f"test cells that scored 0 without an error saying why: {mute}"


# --- hidden tests ---------------------------------------------------------------------------------

HIDDEN_BLOCK = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$(.*?)^\s*### END HIDDEN TESTS\s*$", re.M | re.S)
QUOTED = re.compile(r"""'([^'\n]{8,})'|"([^"\n]{8,})\"""")


def hidden_lines(source: str) -> set[str]:
    """The stripped lines (12 characters or more) of a test cell's hidden tests."""
    try:
        from autograder.feedback import hidden_lines as grader_hidden_lines
    except ImportError:
        return {line.strip() for block in HIDDEN_BLOCK.findall(source) for line in block.splitlines()
                if len(line.strip()) >= 12}
    return grader_hidden_lines(source)


def _secrets(source_path: Path) -> tuple[set[str], set[str]]:
    """The hidden lines of a source notebook, and the string literals in them (which a truncated or
    escaped print of a hidden line would still show)."""
    cells = [c for c in nbtools.read(source_path).cells if c.cell_type == "code"]
    lines = set().union(*(hidden_lines(c.source) for c in cells))
    literals = {a or b for block in (HIDDEN_BLOCK.findall(c.source) for c in cells) for text in block
                for a, b in QUOTED.findall(text)}
    return lines, literals


def _test_ids(source_path: Path) -> set[str]:
    return {nbtools.grade_meta(c).get("grade_id") for c in nbtools.read(source_path).cells
            if nbtools.grade_meta(c).get("grade") and not nbtools.grade_meta(c).get("solution")}


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HEX_RUN = re.compile(r"(?:[0-9a-f]{2}){8,}")


def _png_texts(raw: bytes) -> list[str]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG file."""
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return []
    found, i = [], 8
    while i + 8 <= len(raw):
        size, kind = int.from_bytes(raw[i:i + 4], "big"), raw[i + 4:i + 8]
        data, i = raw[i + 8:i + 8 + size], i + 12 + size
        try:
            if kind == b"tEXt":
                found.append(data.split(b"\0", 1)[1].decode("utf-8", "replace"))
            elif kind == b"zTXt":
                found.append(zlib.decompress(data.split(b"\0", 1)[1][1:]).decode("latin-1"))
            elif kind == b"iTXt":
                rest = data.split(b"\0", 1)[1]
                compressed, text = rest[0], rest[2:].split(b"\0", 2)[2]
                found.append((zlib.decompress(text) if compressed else text).decode("utf-8", "replace"))
        except (IndexError, zlib.error):
            continue
    return found


def _channels(output) -> list[tuple[str, str]]:
    """(channel, text) for everything one output holds: its text, and its images decoded."""
    found = []
    for key in ("text", "evalue"):
        if key in output:
            found.append(("plain", str(output[key])))
    if output.get("traceback"):
        found.append(("plain", "\n".join(map(str, output["traceback"]))))
    for mime, value in (output.get("data") or {}).items():
        value = value if isinstance(value, str) else json.dumps(value)
        found.append(("plain", value))
        if mime.startswith("image/"):
            try:
                raw = base64.b64decode(value)
            except ValueError:
                continue
            found.append(("png-raw", raw.decode("utf-8", "replace")))
            found += [("png-text", t) for t in _png_texts(raw)]
    return [(channel, ANSI.sub("", text)) for channel, text in found]


def decoded(output) -> list[tuple[str, str]]:
    """Every text an output holds, decoded every way the leak cases encode: plain, hex, rot13,
    reversed, escaped (a repr), and images (base64 text, PNG text chunks)."""
    out = []
    for channel, text in _channels(output):
        out.append((channel, text))
        out.append(("rot13", codecs.decode(text, "rot13")))
        out.append(("reversed", text[::-1]))
        runs = [bytes.fromhex(run).decode("utf-8", "replace") for run in HEX_RUN.findall(text)]
        out.append(("hex", "\n".join(runs)))
        try:
            with warnings.catch_warnings():           # "\:" and the like in ordinary output are not escapes
                warnings.simplefilter("ignore", DeprecationWarning)
                out.append(("escaped", codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")))
        except UnicodeDecodeError:
            pass
    return out


def student_outputs(graded: Path, source_path: Path) -> list[tuple[str, str, str]]:
    """(cell, channel, text) for every output of every cell of a graded notebook that the
    student's kernel ran (every cell but the tests, which the checker ran)."""
    tests = _test_ids(source_path)
    found = []
    for i, cell in enumerate(nbtools.read(graded).cells):
        if cell.cell_type != "code" or nbtools.grade_meta(cell).get("grade_id") in tests:
            continue
        for output in cell.get("outputs", []):
            found += [(f"cell {i}", channel, text) for channel, text in decoded(output)]
    return found


def shown_secrets(texts, secrets) -> list:
    return sorted({(where, channel, s[:60]) for where, channel, text in texts for s in secrets if s in text})


def _feedback_shows_no_hidden_line(out: Path, hidden: set[str]):
    pages = list((out / "feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        shown = [h for h in hidden if h in text or html.escape(h) in text or html.escape(h, quote=False) in text]
        assert not shown, (page, shown)
    return pages


# --- batch 1: every cheat scores 0 ------------------------------------------------------------------

@pytest.mark.slow
def test_every_cheat_scores_zero_and_the_correct_submission_keeps_full_marks(fixture_state, tmp_path, read_grades,
                                                                             checksums):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _build_corpus(CASES, _blank(ASSIGNMENT, fixture_state, tmp_path), SOURCE, subs,
                  ("rnn_step_answer", "count_params_answer"))
    originals = checksums(subs)
    start = time.monotonic()
    # headroom for a loaded CI machine; a sleeping cell stops within milliseconds of an interrupt, so
    # the cases that swallow interrupts are killed after a short grace instead of the default 10 s
    opts = Options(fixture_state, cell_timeout=10, notebook_timeout=60, interrupt_grace=GRACE)
    grade.grade_batch(ASSIGNMENT, subs, out, opts, workers=NUMPY_WORKERS, progress=False)
    took = time.monotonic() - start
    rows = read_grades(out)
    report = "\n".join(f"{k:32} {r['score']:>5} {r['status']:9} {float(r['duration_s']):6.1f}s {r['message'][:100]}"
                       for k, r in sorted(rows.items()))
    print(f"\n{len(CASES)} hostile cases graded in {took:.0f} s\n{report}")

    _check_rows(CASES, rows, report, full_marks="3.0")
    _check_reasons(CASES, fixture_state.autograded, f"{ASSIGNMENT}/plain.ipynb", SOURCE)
    # nothing is lost: the submissions are byte-for-byte unchanged
    assert checksums(subs) == originals
    # a printed or raised timeout name is not a timeout
    assert rows["timeout_words"]["status"] == "graded", report
    # error messages count toward the output cap: no 24 MiB graded notebook
    graded = fixture_state.autograded / "error_flood" / ASSIGNMENT / "plain.ipynb"
    assert graded.stat().st_size < 5 << 20, graded.stat().st_size
    # no feedback page shows a line of a hidden test, whatever the student printed, showed or raised
    hidden, literals = _secrets(SOURCE)
    assert len(hidden) >= 4 and literals
    pages = _feedback_shows_no_hidden_line(out, hidden)
    assert any("leak_hidden_tests" in str(p) for p in pages)
    # ... and the hidden tests never were in the student's kernel: her cells' outputs hold none
    for name in ("leak_hidden_tests", "call_prints_prefix", "call_asks_the_checker"):
        texts = student_outputs(fixture_state.autograded / name / ASSIGNMENT / "plain.ipynb", SOURCE)
        assert not shown_secrets(texts, hidden | literals), (name, shown_secrets(texts, hidden | literals))
    # student markup never reaches the feedback as live HTML (test_student_markdown_is_escaped_once: as text)
    feedback = (out / "feedback" / "markdown_xss" / "plain.html").read_text()
    assert "<script>alert" not in feedback and "<img src=x" not in feedback


@pytest.mark.slow
def test_student_markdown_is_escaped_once(fixture_state, tmp_path, read_grades):
    """Student markup is shown as the text she wrote: escaped once, never live, never mangled."""
    from hostile.cases import Case, markdown_xss

    cases = [Case("markdown_xss", "script in a markdown cell", edit=markdown_xss)]
    _, out, rows, report = _grade(cases, ASSIGNMENT, SOURCE, ("rnn_step_answer", "count_params_answer"),
                                  fixture_state, tmp_path, read_grades, cell_timeout=10, notebook_timeout=60)
    feedback = (out / "feedback" / "markdown_xss" / "plain.html").read_text()
    assert "<script>alert" not in feedback and "<img src=x" not in feedback
    assert "&lt;script&gt;alert(1)" in feedback and "&amp;lt;script" not in feedback


# --- batch 2: leaks, resources, many files, long notebooks -------------------------------------------

NOTEBOOK_TIMEOUT = 60


@pytest.mark.slow
def test_leaks_resources_many_files_and_slow_notebooks(fixture_state, tmp_path, read_grades):
    from autograder import cli

    subs, out, rows, report = _grade(ABUSE, ASSIGNMENT, SOURCE, ("rnn_step_answer", "count_params_answer"),
                                     fixture_state, tmp_path, read_grades, cell_timeout=10,
                                     notebook_timeout=NOTEBOOK_TIMEOUT, interrupt_grace=GRACE)
    _check_rows(ABUSE, rows, report, full_marks="3.0")
    _check_reasons(ABUSE, fixture_state.autograded, f"{ASSIGNMENT}/plain.ipynb", SOURCE)

    # the student's kernel never held a hidden test: whatever the leak cases read (history,
    # linecache, the call's parent message and frames, gc, files, processes, other kernels) and
    # however they print it, no output of theirs shows one, decoded
    hidden, literals = _secrets(SOURCE)
    for case in LEAKS:
        texts = student_outputs(fixture_state.autograded / case.name / ASSIGNMENT / "plain.ipynb", SOURCE)
        leaked = shown_secrets(texts, hidden | literals)
        assert not leaked, f"{case.name} shows hidden test code: {leaked}"
        # the decoding reads what they print: their own answer's line shows up in every encoding
        channels = {channel for _, channel, text in texts if HONEST_LINE in text}
        assert channels >= {"plain", "hex", "rot13", "reversed", "png-raw", "png-text"}, (case.name, channels)
    _feedback_shows_no_hidden_line(out, hidden)

    # thousands of files: a bounded message, and the class report still works on the batch
    for case in MANY_FILES:
        assert len(rows[case.name]["message"]) < 3000, (case.name, len(rows[case.name]["message"]))
    assert cli.main(["report", ASSIGNMENT, "--grades", str(out), "--state", str(fixture_state.root),
                     "--out", str(tmp_path / "report")]) == 0
    page = (tmp_path / "report" / "report.html").read_text()
    assert "many_files_beside" in page and len(page) < 2 << 20

    # a notebook built to take long ends near its notebook timeout, whatever its cells do
    for case in LONG:
        assert float(rows[case.name]["duration_s"]) <= NOTEBOOK_TIMEOUT + 60, (case.name, report)


# --- batch 3: Keras models ----------------------------------------------------------------------------

@pytest.mark.slow
def test_fake_patched_and_forged_keras_models_score_zero(fixture_state, tmp_path, read_grades):
    subs, out, rows, report = _grade(KERAS_CASES, KERAS, KERAS_SOURCE, ("build_model_answer",), fixture_state,
                                     tmp_path, read_grades, workers=KERAS_WORKERS, cell_timeout=20, notebook_timeout=120)
    _check_rows(KERAS_CASES, rows, report, full_marks="2.0")
    hidden, literals = _secrets(KERAS_SOURCE)
    assert hidden
    _feedback_shows_no_hidden_line(out, hidden)
    _check_reasons(KERAS_CASES, fixture_state.autograded, f"{KERAS}/keras_model.ipynb", KERAS_SOURCE)
    # ... in words: each failed check names what is wrong with the model
    for case in KERAS_CASES:
        graded = nbtools.read(fixture_state.autograded / case.name / KERAS / "keras_model.ipynb")
        test = next(c for c in graded.cells if nbtools.grade_meta(c).get("grade_id") == "build_model_test")
        errors = [o for o in test.outputs if o.get("output_type") == "error"]
        assert len(str(errors[0].get("evalue", ""))) > 20, (case.name, test.outputs)


# --- no grading needed ----------------------------------------------------------------------------------

def test_the_corpus_is_well_formed():
    """Unique names, code that parses, and the leak decoding reads each encoding back."""
    import ast

    from hostile.abuse import EMIT

    for cases in (CASES, ABUSE, KERAS_CASES):
        names = [c.name for c in cases]
        assert len(names) == len(set(names)), names
        for case in cases:
            for code in (case.code, case.count_params, *case.cells):
                if code is not None:
                    ast.parse(code)
    assert not {c.name for c in CASES} & {c.name for c in ABUSE}
    # run the leak cases' emit() here, capture what it prints and displays, decode it back
    outputs = []
    namespace = {}
    exec(EMIT.replace("from IPython.display import display", ""), namespace)
    namespace["display"] = lambda data, raw=True: outputs.append({"output_type": "display_data", "data": data})
    namespace["print"] = lambda text: outputs.append({"output_type": "stream", "name": "stdout", "text": text + "\n"})
    namespace["emit"]("In", ["x = 1", "def rnn_step(x, h, W_x, W_h, b):\n    " + HONEST_LINE])
    channels = {channel for output in outputs for channel, text in decoded(output) if HONEST_LINE in text}
    assert channels >= {"plain", "hex", "rot13", "reversed", "png-raw", "png-text"}, channels


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
