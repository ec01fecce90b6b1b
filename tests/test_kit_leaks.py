"""The student kit (``python -m autograder publish``) holds no answer.

Every non-trivial line of every solution region and hidden-test block of ``solutions/`` must be
absent from every file of the kit (``autograder.publish.find_leaks``), and no helper module shipped
to students may define what an exercise asks the student to write. The leak check itself is shown
to fail on a line planted in a copy of the kit.
"""
from __future__ import annotations

import ast
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder import publish

ROOT = publish.REPO

# Every module shipped to students, and why it gives no exercise away (read against every
# exercise of every lesson; a new module must be audited and added here).
AUDIT = {
    "__init__.py": "setup(): seeding, TensorFlow log level, device name",
    "applications.py": "07 helpers: CharVocabulary (encode/decode only), n-gram perplexity and known-word "
                       "baselines, mae/autocorrelation (evaluation metrics), greedy_decoder (decodes with the "
                       "student's sorter; translation's greedy_decode exercise takes encoder/decoder_step "
                       "callables and pads after the end token, which greedy_decoder cannot do)",
    "app_checks.py": "07 behaviour checks of any Keras model for the builders of 7.1, 7.2 and 7.5 (output shapes, "
                     "which input steps move which outputs, padding invariance, id 0 read, state, embedding and "
                     "cell sizes); they build no model, so no builder exercise is here",
    "architecture.py": "02/03 helpers: random inputs and weights (no outputs), named_mistake, the unrolled "
                       "drawing, shape-answer format checks (values come from the test), forbid_keras. "
                       "The parameter-count reference lives in rnncourse/grading.py, not shipped",
    "checks.py": "generic assertions with messages",
    "data.py": "checksummed dataset loaders",
    "design_checks.py": "04 behaviour checks of any Keras model (output shapes, probabilities, which input steps "
                        "move which outputs, state and embedding sizes); they build no model, so no builder "
                        "exercise is here",
    "drawbacks.py": "06 data (recall and adding tasks, lags) and the cuDNN-compatibility probe; the exercises "
                    "(spectral radius, gradient regime, gates, LSTM/GRU steps) are not here",
    "liblog.py": "TensorFlow's C++ log-line patterns and a stderr filter for the notebook; no exercise "
                 "handles logs or streams",
    "model_checks.py": "04 checks that inspect any Keras model (layers by type, output shapes, a linear or "
                       "probability read-out); they build no model, so no builder exercise is here",
    "progress.py": "a Keras callback printing one line per epoch for the given training cells; no exercise "
                   "trains with callbacks or formats metrics",
    "selfcheck.py": "runs the visible part of a released test cell",
    "seq2seq.py": "07 translation/sentiment: data, vocabularies, the given GRU/LSTM encoder-decoder of the "
                  "translation notebook, metrics, baselines; shift_right, greedy_decode, vectorize and "
                  "build_birnn (the exercises) are not here. Closest calls: encode() maps symbols to ids "
                  "but has no out-of-vocabulary id and refuses long sequences (vectorize needs both); "
                  "build_seq2seq masks id 0 and shares one vocabulary size per side, so it is not "
                  "sorting's build_sorter (0 is a real value there, GO is an extra id)",
    "sequences_data.py": "04 synthetic data generators (waveforms, tags, gap filling, dates)",
    "sequences_intro.py": "01 demonstration data (ordered sentences) and the bag-of-words comparison",
}


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kit") / "rnn-course"
    publish.publish(folder)
    return folder


def exercise_names() -> dict[str, str]:
    """Functions and classes that answer cells of solutions/ define -> the notebook that asks for them."""
    names = {}
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if cell["cell_type"] == "code" and meta.get("solution"):
                for node in ast.walk(ast.parse("".join(cell["source"]))):
                    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                        names[node.name] = f"{path.parent.name}/{path.name}"
    return names


def test_kit_holds_the_lessons_the_helpers_and_its_own_files_only(kit):
    files = {p.relative_to(kit).as_posix() for p in publish.kit_files(kit)}
    lessons = {p.relative_to(ROOT).as_posix() for p in (ROOT / "lessons").glob("*/*.ipynb")}
    helpers = {f"rnncourse/{m}" for m in AUDIT}
    own = {"README.md", "LICENSE", "install.py", ".gitignore", "requirements.txt", "constraints.txt",
           "environment.yml", "datasets/README.md"}
    assert files == lessons | helpers | own
    assert not (kit / "rnncourse" / "grading.py").exists()


def test_every_shipped_helper_module_was_audited_against_the_exercises():
    shipped = {p.name for p in (ROOT / "rnncourse").glob("*.py")} - set(publish.GRADING_ONLY)
    assert shipped == set(AUDIT), "audit the new or removed module against every exercise and update AUDIT"


def test_no_answer_line_or_hidden_test_line_is_in_the_kit(kit):
    secrets = publish.answer_lines()
    assert len(secrets) > 300    # the lessons' solution regions and hidden tests, not an empty scan
    assert publish.find_leaks(kit, secrets) == []


def test_the_leak_check_reports_a_line_planted_in_a_helper(kit, tmp_path):
    secrets = publish.answer_lines()
    line, where = next((s, w) for s, w in secrets.items() if w.startswith("02_rnn_architecture/"))
    copy = tmp_path / "kit"
    shutil.copytree(kit, copy)
    helper = copy / "rnncourse" / "data.py"
    # re-indented and re-spaced: the check normalises whitespace
    helper.write_text(helper.read_text() + "\n\ndef _planted():\n        " + line.replace(" ", "  ") + "\n")
    leaks = publish.find_leaks(copy, secrets)
    assert leaks == [f"rnncourse/data.py: {line!r} (from {where})"]


def test_the_leak_check_reports_a_hidden_test_planted_in_a_lesson(kit, tmp_path):
    secrets = publish.answer_lines()
    line = next(s for s, w in secrets.items() if w.endswith(":stacked_params_count") and "keras_param_count(i" in s)
    copy = tmp_path / "kit"
    shutil.copytree(kit, copy)
    nb_path = copy / "lessons" / "03_dimensions" / "dimensions.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"][-1]["source"] += "\n" + line
    nb_path.write_text(json.dumps(nb))
    assert [leak.split(":")[0] for leak in publish.find_leaks(copy, secrets)] == ["lessons/03_dimensions/dimensions.ipynb"]


def test_no_shipped_helper_defines_what_an_exercise_asks_for(kit):
    exercises = exercise_names()
    assert {"make_windows", "keras_param_count"} - set(exercises) == {"keras_param_count"}
    for module in sorted((kit / "rnncourse").glob("*.py")):
        defined = {node.name for node in ast.walk(ast.parse(module.read_text()))
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        clash = {name: exercises[name] for name in defined & set(exercises)}
        assert not clash, f"{module.name} defines exercises: {clash}"


def test_grading_references_stay_on_the_grading_side(kit):
    """Hidden tests import their references from rnncourse.grading; nothing in the kit does, and the
    parameter-count reference of lesson 03 is not in the kit under any name."""
    hidden_imports = set()
    for path in (ROOT / "solutions").glob("*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            for block in publish.HIDDEN_REGION.findall("".join(cell["source"])):
                hidden_imports |= {line.strip() for line in block.splitlines() if "rnncourse.grading" in line}
    assert hidden_imports == {"from rnncourse.grading import keras_param_count"}
    for path, text in publish._kit_texts(kit):
        assert "rnncourse.grading" not in text and "keras_param_count" not in text, path


def test_publish_subset_zip_and_git(tmp_path):
    folder, archive = tmp_path / "kit", tmp_path / "upload" / "rnn-course.zip"
    first = publish.publish(folder, ["01", "2", "03_dimensions"], zip_path=archive, git=True)
    assert first["lessons"] == ["01_sequences", "02_rnn_architecture", "03_dimensions"]
    assert sorted(p.name for p in (folder / "lessons").iterdir()) == first["lessons"]
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
    assert names == {f"rnn-course/{p.relative_to(folder).as_posix()}" for p in first["files"]}
    assert first["commit"] and publish.publish(folder, ["01", "02", "03"], git=True)["commit"] is None
    second = publish.publish(folder, ["01", "02", "03", "04"], git=True)
    log = subprocess.run(["git", "-C", str(folder), "log", "--format=%s"], capture_output=True, text=True, check=True)
    assert log.stdout.splitlines() == [
        "Publish lessons 01-04 (01_sequences, 02_rnn_architecture, 03_dimensions, 04_types_of_rnn)",
        "Publish lessons 01-03 (01_sequences, 02_rnn_architecture, 03_dimensions)"]
    assert second["commit"] != first["commit"]
    with pytest.raises(publish.PublishError, match="no released lesson"):
        publish.publish(tmp_path / "other", ["99"])
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("an instructor's own file")
    with pytest.raises(publish.PublishError, match="refusing to overwrite"):
        publish.publish(tmp_path / "mine")


def test_publish_refuses_a_kit_that_would_leak(tmp_path, monkeypatch):
    readme_line = publish.normalise((ROOT / "autograder" / "kit" / "README.md").read_text().splitlines()[0])
    monkeypatch.setattr(publish, "answer_lines", lambda: {readme_line: "a planted answer"})
    with pytest.raises(publish.PublishError, match="nothing was written") as raised:
        publish.publish(tmp_path / "kit", zip_path=tmp_path / "kit.zip", git=True)
    assert f"README.md: {readme_line!r} (from a planted answer)" in str(raised.value)
    assert not (tmp_path / "kit").exists() and not (tmp_path / "kit.zip").exists()


def test_make_student_kit_works_as_the_readme_writes_it(tmp_path):
    """`make student-kit` (README, Makefile default: student-kit/ and student-kit.zip in the
    repository, both git-ignored) writes the kit; other folders inside the repository are refused."""
    kit, zipped = ROOT / "student-kit", ROOT / "student-kit.zip"
    saved = {p: tmp_path / p.name for p in (kit, zipped) if p.exists()}
    for p, backup in saved.items():
        shutil.move(p, backup)
    try:
        proc = subprocess.run(["make", "-s", "student-kit"], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert (kit / "lessons" / "01_sequences" / "sequences.ipynb").is_file() and zipped.is_file()
        ignored = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "student-kit",
                                  "student-kit.zip"], capture_output=True, text=True)
        assert ignored.stdout == "", ignored.stdout
        for inside in (ROOT / "lessons", ROOT / "kit-here", ROOT):
            with pytest.raises(publish.PublishError, match="repository"):
                publish.publish(inside)
    finally:
        for p in (kit, zipped):
            shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
        for p, backup in saved.items():
            shutil.move(backup, p)


def test_the_zip_is_dated_by_the_last_commit_not_years_ago(tmp_path, monkeypatch):
    """A student's file browser shows the unzipped lessons' dates: the zip's entries carry the time
    of the commit the kit was published from (or SOURCE_DATE_EPOCH), the same for the same commit."""
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "a.txt").write_text("a")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    committed = int(subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True,
                                   text=True, check=True).stdout)
    with zipfile.ZipFile(publish.write_zip(tmp_path / "kit", tmp_path / "kit.zip")) as zf:
        [info] = zf.infolist()
    from datetime import datetime, timezone

    stored = datetime(*info.date_time, tzinfo=timezone.utc)                  # a zip keeps even seconds
    assert 0 <= committed - stored.timestamp() < 2, (info.date_time, committed)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")          # 2026-01-01 00:00 UTC
    with zipfile.ZipFile(publish.write_zip(tmp_path / "kit", tmp_path / "again.zip")) as zf:
        assert zf.infolist()[0].date_time == (2026, 1, 1, 0, 0, 0)
