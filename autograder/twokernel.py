"""The Execute step of grading: two sandboxed kernels, and the verdict from the one the student never touches.

``TwoKernelExecute`` is the Execute preprocessor of nbgrader's Autograde converter (see
``config.py``), so ``python -m autograder grade``, ``nbgrader autograde`` and formgrader's
Autograde button all run it. For each notebook it starts

* the **student kernel**: runs the submission's own cells (read-only cells from the release,
  answer cells and the student's extra cells, in order) and nothing else: it never receives the
  source of a test cell, an expected value or a reference;
* the **checker kernel**: runs every test cell in full (from the instructor's source notebook) and
  the read-only cells the tests need (``plan.py``); it never runs a line the student wrote.

Names a test reads from the student's notebook are fetched from the student kernel just before the
test runs; values cross as plain data and everything else as proxies (``wire.py``,
``kernelside.py``): the grader relays the requests between the kernels and reads neither. A test
cell's points depend only on whether it completed in the checker kernel: its outputs there become the
test cell's outputs (stdout and its error, if any; the checker's stderr is library noise and
dropped). Both kernels run in the sandbox of ``sandbox.py`` (``kernels.py`` starts them). The
checker kernel comes from this process's ``checkerpool``: the one that graded the last notebook of
the same assignment when its state could be put back exactly, else a fresh one.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Dict, Float, Integer, Unicode

from autograder import checkerpool, kernelside, paths, plan, safety, wire
from autograder.kernels import GRACE_S, Execution, Kernel
# the error names only the grader writes into a graded notebook (a student's error of that name is renamed)
from autograder.results import DIED_BEFORE, DIED_HERE, KERNEL_DIED, RESERVED_ENAMES
from autograder.results import TIMEOUT as CELL_TIMEOUT

PREFIX, MIME = kernelside.PREFIX, kernelside.MIME
#: what a skipped demonstration cell shows in the graded notebook and the feedback
SKIPPED_NOTE = ("(A demonstration: not run when grading, since no test needs it. "
                "Run it in your own notebook to see its output.)\n")


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class Relay:
    """Carries requests between the checker and the student kernel (it reads no value)."""

    def __init__(self, checker: Kernel, student: Kernel, call_timeout: float, deadline: float):
        self.checker, self.student = checker, student
        self.call_timeout, self.deadline = call_timeout, deadline
        self.cell_deadline = deadline          # the running checker cell's own limit (set per cell)
        self.serving: Execution | None = None
        self.watch: asyncio.Task | None = None
        self.for_cell(deadline)

    def for_cell(self, cell_deadline: float, call_limit: float | None = None) -> None:
        """A checker cell begins: its deadline, its limit per call (from the model solution's
        times, see calltimes.py; None: ``call_timeout``), and fresh counts of its calls."""
        self.cell_deadline, self.call_limit = cell_deadline, call_limit
        self.timed_out = False                 # a call of the running checker cell ran past its limit
        self.calls, self.longest = 0, 0.0      # requests served for it, and the longest one's seconds

    def _answer_checker(self, envelope_json: str) -> None:
        self.checker.reply_input(PREFIX + "A" + envelope_json)

    def _fail(self, message: str, channel: bool = False) -> str:
        return wire.dumps({"error": {"type": "ChannelError" if channel else "TimeoutError",
                                     "message": message, "channel": channel}})

    def from_checker(self, prompt: str) -> None:
        if not prompt.startswith(PREFIX):
            self.checker.reply_input("\x04")
            return
        if self.student.pending_input:              # an answer to, or a request for, a waiting student
            self.student.reply_input(prompt)
            return
        kind, body = prompt[len(PREFIX):len(PREFIX) + 1], prompt[len(PREFIX) + 1:]
        if kind != "Q" or self.serving is not None:
            self._answer_checker(self._fail("the grading channel was interrupted", channel=True))
            return
        if self.student.dead:
            self._answer_checker(self._fail(f"the notebook's kernel is not running: {self.student.dead}", channel=True))
            return
        code = f"__import__('sys').modules['_grading'].side.serve({body!r})"
        self.serving = self.student.execute(code, silent=True, store_history=False, allow_stdin=True,
                                            on_input=self.from_student, keep_outputs=False)
        self.watch = asyncio.ensure_future(self._finish(self.serving, time.monotonic()))

    def from_student(self, prompt: str) -> None:
        if prompt.startswith(PREFIX) and self.checker.pending_input:
            self.checker.reply_input(prompt)
        else:                                       # the student's own input(): end of file
            self.student.reply_input("\x04")

    async def _finish(self, ex: Execution, started: float) -> None:
        # a call ends before the test that made it, so the test can still report it
        own = self.call_limit is not None and self.call_limit < self.call_timeout
        limit = max(0.5, min(self.call_limit if own else self.call_timeout, self.cell_deadline - started - 2,
                             self.deadline - started))
        finished = await self.student.wait(ex, limit)
        self.serving = None
        self.calls += 1
        self.longest = max(self.longest, time.monotonic() - started)
        if not finished:
            self.timed_out = True
            why = (", this test's limit for one call (from the model solution's time)"
                   if own and limit >= self.call_limit else "")
            answer = self._fail(f"the call did not return within {limit:.1f} s{why}; the notebook's code was stopped")
        elif self.student.dead:
            answer = self._fail(f"the notebook's kernel died during the call: {self.student.dead}", channel=True)
        elif ex.answer is None:
            answer = self._fail("the notebook's code did not return an answer (it changed how the kernel "
                                "answers the grader, or raised outside its function)", channel=True)
        else:
            answer = ex.answer
        if self.checker.pending_input:
            self._answer_checker(answer)


@dataclass(frozen=True)
class Limits:
    """How long and how much one notebook's grading may take."""

    timeout: float = 60                  # seconds per cell
    notebook_timeout: float = 300        # seconds for the whole notebook
    read_only_factor: float = 5          # a read-only (instructor) cell may take this many times longer
    call_timeout: float = 0              # seconds per call of the notebook's code (0: the cell timeout)
    call_limits: Mapping[str, float] = field(default_factory=dict)   # test grade_id -> seconds per call
    max_output_bytes: int = 4 << 20      # output kept per notebook
    startup_timeout: float = 120         # seconds a kernel may take to start
    kernel_threads: int = 0              # CPU threads per kernel (0: the libraries' default)
    unsafe: bool = False                 # no sandbox (trusted notebooks only)
    full: bool = False                   # run the cells tagged plan.SKIP_TAG too
    reuse_checker: bool = True           # a checker kernel kept from the last notebook may grade this one
    interrupt_grace: float = GRACE_S   # seconds the student kernel gets to stop after an interrupt


class Session:
    """The two kernels of one notebook, and the relay between them.

    ``async with Session(reference, folder, source_folder, limits) as s`` starts both kernels;
    ``run_cell(cell)`` runs one cell of the notebook being graded where the plan says (its outputs
    are the notebook's); ``in_student`` and ``in_checker`` run code in one kernel (the answer corpus
    and the hard-coded replay drive a session this way, see ``harness.py``)."""

    def __init__(self, reference: NotebookNode, folder: Path, source_folder: Path, limits: Limits, log=None):
        self.plan = plan.make_plan(reference.cells, skip_tagged=not limits.full)
        self.sources = {plan.grade_id(c): c.source for c in reference.cells if plan.grade_id(c)}
        self.folder, self.source_folder, self.limits, self.log = folder, source_folder, limits, log
        self.output_left = limits.max_output_bytes
        self.call_seconds: dict[str, float] = {}    # test grade_id -> its longest call (calls it made)
        self.kernels: list[Kernel] = []          # the student kernel, once prepared
        self.checker: Kernel | None = None         # from the pool (checkerpool.py)
        self.checker_key: tuple = ()

    async def __aenter__(self) -> "Session":
        limits = self.limits
        checkers = checkerpool.pool()

        async def checker() -> None:
            self.checker, self.checker_key = await checkers.take(
                self.source_folder, unsafe=limits.unsafe, threads=limits.kernel_threads,
                startup_timeout=limits.startup_timeout, reuse=limits.reuse_checker, log=self.log)
        try:
            # the references hidden tests import exist only in the checker's world
            self.student = Kernel.sandboxed("student", self.folder, unsafe=limits.unsafe,
                                            threads=limits.kernel_threads, hide=paths.grading_only_files(),
                                            log=self.log)
            self.student.grace = limits.interrupt_grace
            self.kernels.append(self.student)
            await asyncio.gather(self.student.start(limits.startup_timeout), checker())
            self.deadline = time.monotonic() + limits.notebook_timeout
            self.relay = Relay(self.checker, self.student, limits.call_timeout or limits.timeout, self.deadline)
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop the student kernel; give the checker back to the pool (which keeps it only if it can
        be put back exactly, see checkerpool.py)."""
        for kernel in self.kernels:
            await kernel.close()
        self.kernels = []
        checker, self.checker = self.checker, None
        if checker is not None:
            await checkerpool.pool().give_back(checker, self.checker_key, self.limits.reuse_checker)

    def step(self, cell) -> plan.Step:
        gid = plan.grade_id(cell)
        step = self.plan.steps.get(gid) if gid else None
        # the student's own cell, or a cell the source lacks: hers
        return step or plan.Step(gid, plan.ANSWER, student=True, checker=False)

    def cell_limit(self, cell) -> float:
        """Seconds ``cell`` may run: the per-cell timeout, or ``read_only_factor`` times it for a read-only
        instructor cell (demonstrations, data loading), never past the notebook's budget."""
        factor = self.limits.read_only_factor if plan.role(cell) == plan.READONLY else 1
        return max(0.5, min(self.limits.timeout * factor, self.deadline - time.monotonic()))

    async def run_cell(self, cell) -> None:
        """Run one cell of the notebook being graded where the plan says; set its outputs."""
        if cell.cell_type != "code":
            return
        step = self.step(cell)
        cell.outputs, cell.execution_count = [], None
        if step.skip:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=SKIPPED_NOTE)]
            return
        if not cell.source.strip() and not step.checker:
            return
        if time.monotonic() >= self.deadline:       # the notebook's budget is spent: nothing more runs
            if step.student or step.role == plan.TEST:
                cell.outputs = [_error(CELL_TIMEOUT, f"not run: the notebook used up its "
                                                     f"{self.limits.notebook_timeout:.0f} s")]
            return
        limit = self.cell_limit(cell)
        source = self.sources.get(step.grade_id, cell.source)
        if step.checker and step.student and not step.fetch:
            # a read-only cell both kernels need: side by side; the notebook shows the student's run
            await asyncio.gather(self.in_student(cell, limit), self.in_checker(source, [], limit))
            return
        if step.checker:
            test = step.role == plan.TEST
            outputs, ok = await self.in_checker(source, step.fetch, limit,
                                                self.limits.call_limits.get(step.grade_id) if test else None)
            if test:
                cell.outputs = outputs
                if self.relay.calls:
                    self.call_seconds[step.grade_id] = self.relay.longest
        if step.student:
            await self.in_student(cell, limit)

    async def in_student(self, cell, limit: float) -> None:
        """Run ``cell`` in the student kernel and set its outputs."""
        student = self.student
        if student.dead:
            cell.outputs = [_error(KERNEL_DIED, f"{student.dead}{DIED_BEFORE}")]
            return
        ex = student.execute(cell.source, max_bytes=max(1, self.output_left))
        finished = await student.wait(ex, limit)
        self.output_left -= ex.bytes
        cell.outputs = [_renamed(o) for o in ex.outputs]
        if ex.reply and ex.reply.get("execution_count"):
            cell.execution_count = ex.reply["execution_count"]
        if not finished:
            cell.outputs.append(_error(CELL_TIMEOUT, f"the cell ran past its time limit ({limit:.0f} s)"))
        elif student.dead:
            cell.outputs.append(_error(KERNEL_DIED, f"{student.dead}{DIED_HERE}"))
        safety.neutralize_outputs(cell)

    async def in_checker(self, source: str, fetch: list[str], limit: float,
                         call_limit: float | None = None) -> tuple[list, bool]:
        """Run ``source`` in the checker after fetching ``fetch`` from the student kernel, each request
        to the student kernel within ``call_limit`` seconds if given; its outputs (stdout, displays,
        its error) and whether it completed."""
        checker, relay = self.checker, self.relay
        if checker.dead:
            return [_error(KERNEL_DIED, f"the grading kernel stopped: {checker.dead}")], False
        start = time.monotonic()
        relay.for_cell(start + limit, call_limit)
        if fetch:
            ex = checker.execute(f"__import__('sys').modules['_grading'].side.fetch({fetch!r})", silent=True,
                                 store_history=False, allow_stdin=True, on_input=relay.from_checker)
            if not await checker.wait(ex, limit):
                return [_error(CELL_TIMEOUT, "reading the notebook's names took too long")], False
            if (ex.reply or {}).get("status") != "ok":
                return self._with_death(_errors_only(ex, "the notebook's names could not be read")), False
        ex = checker.execute(source, allow_stdin=True, on_input=relay.from_checker,
                             max_bytes=self.limits.max_output_bytes)
        relay.cell_deadline = start + limit
        finished = await checker.wait(ex, limit - (time.monotonic() - start))
        if relay.watch is not None and not relay.watch.done():      # a call still out: let it end first
            await relay.watch
        outputs = [o for o in ex.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        for o in outputs:
            if o.get("output_type") == "execute_result":      # a test's value is shown, never a score
                o["output_type"] = "display_data"
                o.pop("execution_count", None)
        if not finished:
            outputs.append(_error(CELL_TIMEOUT, f"the test ran past its time limit ({limit:.0f} s)"))
            return outputs, False
        if checker.dead:
            outputs.append(_error(KERNEL_DIED, f"the grading kernel stopped: {checker.dead}"))
            return outputs, False
        ok = (ex.reply or {}).get("status") == "ok"
        if not ok and not any(o.get("output_type") == "error" for o in outputs):
            reply = ex.reply or {}
            outputs.append(_error(str(reply.get("ename", "Error")), str(reply.get("evalue", ""))))
        if not ok and relay.timed_out:          # the test failed because the student's code ran too long
            outputs.append(_error(CELL_TIMEOUT, "a call of the notebook's code ran past its time limit"))
        return (outputs if ok else self._with_death(outputs)), ok

    def _with_death(self, outputs: list) -> list:
        """A test that failed after the student's kernel died says so (the status is then ``error``)."""
        if self.student.dead and not any(o.get("ename") == KERNEL_DIED for o in outputs):
            outputs.append(_error(KERNEL_DIED, f"{self.student.dead}{DIED_BEFORE}"))
        return outputs


class TwoKernelExecute(NbGraderPreprocessor):
    """nbgrader's Execute step, run as a student kernel and a checker kernel (see the module docstring)."""

    source_directory = Unicode("", help="The instructor's source folder (<source>/<assignment>/<notebook>.ipynb): "
                                        "test cells and the grading plan come from there.").tag(config=True)
    timeout = Integer(60, help="Seconds per cell (a read-only cell gets read_only_factor times that).").tag(config=True)
    notebook_timeout = Integer(300, help="Wall-clock seconds for a whole notebook.").tag(config=True)
    read_only_factor = Integer(5, help="Time factor for read-only (instructor) cells.").tag(config=True)
    call_timeout = Float(0, help="Seconds one call of the notebook's code may take (0: the cell timeout).").tag(config=True)
    call_limits = Dict(help="Seconds one call may take in each test, from the model solution (calltimes.py): "
                            "{'<assignment>/<notebook>': {test grade_id: seconds}}; a test not named gets "
                            "call_timeout.").tag(config=True)
    unsafe = Bool(False, help="Run both kernels WITHOUT a sandbox (only for trusted notebooks).").tag(config=True)
    kernel_threads = Integer(0, help="CPU threads per kernel (0: the libraries' default).").tag(config=True)
    max_output_bytes = Integer(4 << 20, help="Bytes of output kept per notebook.").tag(config=True)
    startup_timeout = Integer(120, help="Seconds a kernel may take to start.").tag(config=True)
    full = Bool(False, help=f"Also run the demonstration cells tagged {plan.SKIP_TAG!r} "
                            "(skipped by default: no test needs them).").tag(config=True)
    reuse_checker = Bool(True, help="Keep the checker kernel warm from one notebook to the next when its state "
                                    "can be put back exactly (checkerpool.py); False: a new one for each "
                                    "notebook.").tag(config=True)
    interrupt_grace = Float(GRACE_S, help="Seconds the student's kernel gets to stop after an interrupt "
                                                  "before it is killed.").tag(config=True)

    def limits(self, notebook: str = "") -> Limits:
        """The limits of ``notebook`` ('<assignment>/<notebook>')."""
        return Limits(self.timeout, self.notebook_timeout, self.read_only_factor, self.call_timeout,
                      dict(self.call_limits.get(notebook, {})), self.max_output_bytes, self.startup_timeout,
                      self.kernel_threads, self.unsafe, self.full, self.reuse_checker, self.interrupt_grace)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        meta = resources.get("nbgrader", {})
        source = Path(self.source_directory) / meta.get("assignment", "") / f"{meta.get('notebook', '')}.ipynb"
        if not self.source_directory or not source.is_file():
            raise FileNotFoundError(f"the source notebook {source} is needed to grade (its tests and plan); "
                                    "grade with `python -m autograder grade`")
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        reference = nbformat.read(str(source), as_version=4)
        # the student's kernel gets the files handed in with the notebook, the checker the assignment's own
        limits = self.limits(f"{meta.get('assignment', '')}/{meta.get('notebook', '')}")
        checkerpool.run(self._grade(nb, Session(reference, folder, source.parent, limits, self.log)))
        return nb, resources

    async def _grade(self, nb: NotebookNode, session: Session) -> None:
        async with session:
            for cell in nb.cells:
                await session.run_cell(cell)


def _errors_only(ex: Execution, fallback: str) -> list[NotebookNode]:
    errors = [o for o in ex.outputs if o.get("output_type") == "error"]
    return errors or [_error("GradingError", fallback)]


def _renamed(out: NotebookNode) -> NotebookNode:
    """A student's error may not carry a name only the grader writes (it would set the status)."""
    if out.get("output_type") == "error" and out.get("ename") in RESERVED_ENAMES:
        out["ename"] = f"{out['ename']} (raised by the notebook)"
    return out
