"""The hard-coded replay and the answer corpus, run on the grading path: one two-kernel session per notebook.

The lesson harness (``harness.py``) proves that tests mean something. Two of its proofs need more
than grading a submission, and both run here in the same ``twokernel.Session`` grading uses, with the
solution notebook as the submission:

* **the hard-coded replay** (``replay.py``): after each answer cell, the student kernel wraps the
  answer's functions in a recorder. Each test cell runs in the checker in two parts; between them
  the student kernel is told that the hidden part begins, and from then on the recorder answers only
  calls it has seen before (a memorising, hard-coded answer can do no better). A hidden part that
  still passes, having called the student's code, accepts a hard-coded answer.
* **the answer corpus** (``corpus.py``): right after an exercise's last test cell, each corpus
  answer is defined in the student kernel and the exercise's test cells run again in the checker,
  exactly as at grading time, with the limit per call grading would give each test
  (``calltimes.limit`` of the model solution's longest call in it, timed in this session: an
  answer too slow to be graded fails here too); then the model solution is defined again.

With ``grade_solution``, each hidden part also runs once more with the recorder paused, so the
proof says which test cells the model solution itself passes in this session (``Proof.solution``):
the harness reads that instead of grading the solution once more in full.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import calltimes, checkerpool, corpus, plan, replay, twokernel

HIDDEN_BEGIN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$", re.M)
HIDDEN_END = re.compile(r"^[ \t]*### END HIDDEN TESTS[ \t]*$", re.M)


@dataclass
class Proof:
    replay: dict[str, str] = field(default_factory=dict)       # test grade_id -> rejected | exempt | passed
    corpus: list[dict] = field(default_factory=list)           # corpus.judge's outcomes
    answers: list = field(default_factory=list)                # the corpus answers that were tried
    slots: dict = field(default_factory=dict)                  # corpus.exercises of the notebook
    errors: list[str] = field(default_factory=list)            # cells of the solution that failed
    calls: dict[str, float] = field(default_factory=dict)      # test grade_id -> the solution's longest call
    solution: dict[str, bool] = field(default_factory=dict)    # test grade_id -> the model solution passes it


def split_hidden(source: str) -> tuple[str, str] | None:
    """A test cell's visible part and its hidden part (None without hidden tests)."""
    begin = HIDDEN_BEGIN.search(source)
    if begin is None:
        return None
    end = HIDDEN_END.search(source, begin.end())
    return source[:begin.start()], source[begin.end():end.start() if end else len(source)]


_REPLAY_SETUP = '''
def __replay_setup(src):
    import sys, types
    m = types.ModuleType("_grading_replay"); exec(compile(src, "<replay>", "exec"), m.__dict__)
    sys.modules["_grading_replay"] = m
    return m.Replay()
__replay__ = __replay_setup(%r); del __replay_setup
'''


def _error_text(outputs: list) -> str | None:
    errors = [o for o in outputs if o.get("output_type") == "error"]
    return f"{errors[0].get('ename')}: {errors[0].get('evalue')}" if errors else None


async def _silent(session: twokernel.Session, code: str, expressions: dict | None = None) -> dict:
    ex = session.student.execute(code, silent=True, store_history=False, keep_outputs=False,
                                 user_expressions=expressions)
    await session.student.wait(ex, 60)
    return ex.reply or {}


async def _prove(source: nbformat.NotebookNode, folder: Path, answers: list, limits: twokernel.Limits,
                 grade_solution: bool) -> Proof:
    slots = corpus.exercises(source)
    proof = Proof(answers=list(answers), slots=slots)
    last_test = {tests[-1]: slot for slot, tests in slots.items()}
    by_slot: dict[str, list] = {}
    for answer in answers:
        by_slot.setdefault(answer.slot, []).append(answer)
    async with twokernel.Session(source, folder, folder, limits) as session:
        await _silent(session, _REPLAY_SETUP % Path(replay.__file__).read_text())
        for cell in source.cells:
            if cell.cell_type != "code":
                continue
            step = session.step(cell)
            gid = step.grade_id
            if step.role == plan.TEST:
                await _replay_test(session, cell, step, proof, grade_solution)
                for answer in by_slot.get(last_test.get(gid), []):
                    proof.corpus.append(await _try_answer(session, answer, slots, source, proof))
                continue
            run = nbformat.from_dict(cell)
            await session.run_cell(run)
            failed = _error_text(run.outputs)
            if failed:
                proof.errors.append(f"{gid}: {failed[:200]}")
            if step.role == plan.ANSWER and gid:
                names = sorted(plan.names(cell.source).functions)
                if names:
                    await _silent(session, f"__replay__.wrap(globals(), {names!r})")
    return proof


async def _replay_test(session: twokernel.Session, cell, step: plan.Step, proof: Proof, grade_solution: bool) -> None:
    parts = split_hidden(cell.source)
    limit = session.cell_limit(cell)
    if parts is None:
        outputs, ok = await session.in_checker(cell.source, step.fetch, limit)
        _timed(session, step, proof)
        if not ok:
            proof.errors.append(f"{step.grade_id}: {(_error_text(outputs) or '')[:200]}")
        if grade_solution:
            proof.solution[step.grade_id] = ok
        return
    visible, hidden = parts
    outputs, ok = await session.in_checker(visible, step.fetch, limit)
    _timed(session, step, proof)
    if not ok:
        proof.errors.append(f"{step.grade_id} (visible part): {(_error_text(outputs) or '')[:200]}")
        if grade_solution:
            proof.solution[step.grade_id] = False
        return
    await _silent(session, "__replay__.freeze()")
    outputs, ok = await session.in_checker(hidden, [], limit)
    reply = await _silent(session, "__replay__.thaw()", {"calls": "__replay__.frozen_calls"})
    calls = ((reply.get("user_expressions") or {}).get("calls") or {}).get("data", {}).get("text/plain", "0")
    if not ok:
        proof.replay[step.grade_id] = "rejected"
    else:
        proof.replay[step.grade_id] = "exempt" if calls.strip() == "0" else "passed"
    if grade_solution:                   # the model solution's own answers to the hidden part
        await _silent(session, "__replay__.pause()")
        outputs, ok = await session.in_checker(hidden, [], limit)
        await _silent(session, "__replay__.resume()")
        proof.solution[step.grade_id] = ok


def _timed(session: twokernel.Session, step: plan.Step, proof: Proof) -> None:
    """Keep the solution's longest call in a test (its visible part, where the replay is not yet
    frozen and the model solution answers every call)."""
    if session.relay.calls:
        proof.calls[step.grade_id] = max(proof.calls.get(step.grade_id, 0.0), session.relay.longest)


async def _try_answer(session: twokernel.Session, answer, slots: dict, source, proof: Proof) -> dict:
    kind = "valid" if isinstance(answer, corpus.Valid) else "mistake"
    outcome = {"slot": answer.slot, "kind": kind, "name": answer.name, "tests": {}}
    cells = {plan.grade_id(c): c for c in source.cells if plan.grade_id(c)}
    trial = nbformat.v4.new_code_cell(textwrap.dedent(answer.source).strip())
    await session.in_student(trial, session.cell_limit(cells[answer.slot]))
    defined = _error_text(trial.outputs)
    if defined:
        outcome["define_error"] = defined
    else:
        for gid in slots[answer.slot]:
            step = session.plan.steps[gid]
            call_limit = calltimes.limit(proof.calls.get(gid, 0.0))      # as grading would give it
            outputs, ok = await session.in_checker(cells[gid].source, step.fetch, session.cell_limit(cells[gid]),
                                                   call_limit)
            outcome["tests"][gid] = None if ok else (_error_text(outputs) or "the test did not complete")
    model = nbformat.v4.new_code_cell(cells[answer.slot].source)
    await session.in_student(model, session.cell_limit(cells[answer.slot]))
    names = sorted(plan.names(cells[answer.slot].source).functions)
    if names:
        await _silent(session, f"__replay__.wrap(globals(), {names!r})")
    return outcome


def proof_limits(full: bool = False) -> twokernel.Limits:
    """A proof's limits: generous (it runs the corpus too); ``full`` runs the demonstration cells
    grading skips."""
    return twokernel.Limits(timeout=300, notebook_timeout=1800, full=full)


def prove(assignment: str, notebook: str, source_dir: Path, limits: twokernel.Limits | None = None,
          grade_solution: bool = False) -> Proof:
    """The replay outcomes and the corpus outcomes of one notebook of ``source_dir/assignment``
    (and, with ``grade_solution``, the test cells the model solution passes)."""
    folder = Path(source_dir) / assignment
    source = nbformat.read(str(folder / f"{notebook}.ipynb"), as_version=4)
    answers = corpus.load(assignment, notebook)
    return checkerpool.run(_prove(source, folder, answers, limits or proof_limits(), grade_solution))   # a kept checker


def differences(one: Proof, other: Proof) -> list[str]:
    """Where two proofs of one notebook disagree: a replay outcome, or a corpus answer's test that
    passed in one and failed in the other."""
    found = [f"{gid}: the hard-coded replay is {outcome!r} with skipping, {other.replay.get(gid)!r} in full"
             for gid, outcome in one.replay.items() if other.replay.get(gid) != outcome]

    def passed(proof: Proof) -> dict:
        return {(o["name"], gid): error is None for o in proof.corpus for gid, error in o["tests"].items()}
    mine, theirs = passed(one), passed(other)
    found += [f"{gid}: corpus answer {name!r} {'passes' if ok else 'fails'} with skipping, not in full"
              for (name, gid), ok in mine.items() if theirs.get((name, gid)) != ok]
    return found
