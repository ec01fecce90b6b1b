"""The answer corpus: realistic student answers that every lesson's checks must judge right.

For each exercise (an answer cell of ``solutions/``, named by its ``grade_id``) a lesson keeps, in
``tests/answers/<assignment>/<notebook>.py``, a list ``ANSWERS`` of

* ``Valid(slot, name, source)`` — a correct answer written differently from the model solution
  (a loop instead of a vectorised expression, a library helper, another container the instructions
  allow). Every test cell of the exercise must pass with it: a valid answer that loses points is
  the worst defect a grader can have.
* ``Mistake(slot, name, source, says=..., test=None)`` — a common wrong answer. The exercise's test
  cell ``test`` (default: its first test cell) must fail, and its message must match the regular
  expression ``says`` (case-insensitive), so the student is told *which* mistake they made.

``proof.py`` runs the corpus on the grading path: the solution runs in a two-kernel session; right
after an exercise's last test cell each answer of that exercise is defined in the student kernel,
the exercise's test cells run in full in the checker (visible and hidden parts, as at grading
time), and the model solution is defined again before the notebook goes on. ``judge`` reads the
outcomes.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import course
from autograder import notebooks as nbtools

CORPUS = course.REPO / "tests" / "answers"


@dataclass(frozen=True)
class Valid:
    slot: str        # grade_id of the answer cell
    name: str        # what this answer does differently, e.g. "explicit loop"
    source: str


@dataclass(frozen=True)
class Mistake:
    slot: str
    name: str        # the mistake, e.g. "forgot the feature axis"
    source: str
    says: str        # regex the failing check's message must match (names the mistake)
    test: str | None = None   # grade_id of the test cell that must fail (default: the first one)


def corpus_file(assignment: str, notebook: str) -> Path:
    return CORPUS / assignment / f"{notebook}.py"


def load(assignment: str, notebook: str) -> list[Valid | Mistake]:
    path = corpus_file(assignment, notebook)
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"answers_{assignment}_{notebook}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.ANSWERS)


def exercises(nb: nbformat.NotebookNode) -> dict[str, list[str]]:
    """{answer grade_id: [grade_ids of the autograded test cells that follow it]} for code answers."""
    found: dict[str, list[str]] = {}
    current = None
    for cell in nb.cells:
        meta = nbtools.grade_meta(cell)
        if cell.cell_type != "code":
            continue
        if meta.get("solution") and not meta.get("grade"):
            current = meta["grade_id"]
            found[current] = []
        elif meta.get("grade") and not meta.get("solution") and current is not None:
            found[current].append(meta["grade_id"])
    return {slot: tests for slot, tests in found.items() if tests}


def judge(answers: list[Valid | Mistake], slots: dict[str, list[str]], seen: list[dict]) -> list[str]:
    """Failures of the checks on the corpus, in words a lesson author can act on."""
    failures = []
    by_key = {(o["slot"], o["name"]): o for o in seen}
    for answer in answers:
        label = f"{answer.slot}: {'valid answer' if isinstance(answer, Valid) else 'mistake'} {answer.name!r}"
        if answer.slot not in slots:
            failures.append(f"{label}: no exercise {answer.slot!r} with autograded tests in this notebook")
            continue
        outcome = by_key.get((answer.slot, answer.name))
        if outcome is None:
            failures.append(f"{label}: was not run (did the notebook stop before it?)")
            continue
        if "define_error" in outcome:
            failures.append(f"{label}: the answer itself does not run: {outcome['define_error']}")
            continue
        results = outcome["tests"]
        if isinstance(answer, Valid):
            for gid, error in results.items():
                if error is not None:
                    failures.append(f"{label} loses {gid}: {error[:300]}")
        else:
            gid = answer.test or slots[answer.slot][0]
            error = results.get(gid)
            if gid not in results:
                failures.append(f"{label}: {gid!r} is not a test cell of this exercise")
            elif error is None:
                failures.append(f"{label} passes {gid} (the checks do not catch it)")
            elif not re.search(answer.says, error, re.I | re.S):
                failures.append(f"{label}: {gid} fails with a message that does not name the mistake "
                                f"(wanted /{answer.says}/): {error[:300]}")
    return failures


def coverage(slots: dict[str, list[str]], answers: list[Valid | Mistake]) -> list[str]:
    """Exercises without at least one valid alternative and one mistake in the corpus."""
    missing = []
    for slot in slots:
        kinds = {type(a) for a in answers if a.slot == slot}
        for kind, word in ((Valid, "valid alternative"), (Mistake, "common mistake")):
            if kind not in kinds:
                missing.append(f"{slot}: no {word} in the answer corpus")
    return missing
