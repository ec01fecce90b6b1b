"""Execute step: run a submission's kernel in a sandbox, then strip library noise from stderr.

Only the *kernel* runs sandboxed; nbgrader's executor (nbclient) stays in the grader and talks to
the kernel over ZeroMQ IPC sockets in a private scratch folder, so the sandbox can have no network
at all. The kernel sees a read-only system and Python, the course helper package, its scratch
folder, and nothing else: not ``solutions/``, not the gradebook, not other submissions, not the
repository's history. See ``sandbox.py`` for the exact rules.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from autograder import integrity, sandbox


#: error names only the grader writes into a graded notebook (a student's error of that name is renamed)
TIMEOUT = "CellTimeoutError"        # nbgrader's name for a cell stopped at its time limit
KERNEL_DIED = "KernelDied"          # the kernel died in or before this cell
RESERVED_ENAMES = (TIMEOUT, KERNEL_DIED, integrity.INTEGRITY_ERROR)
DIED_HERE, DIED_BEFORE = " while this cell ran", " before this cell ran"   # ends of a KernelDied message


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel process starts inside ``self.jail`` (set per run)."""

    jail: sandbox.Jail | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.jail.wrap(cmd) if self.jail else cmd

    async def _async_interrupt_kernel(self):
        # A signal would reach bubblewrap, not the kernel (bwrap does not forward SIGINT), so a
        # timed-out cell would never stop; ask the kernel itself over its control channel.
        if self.jail is not None and self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel  # AsyncKernelManager's public name is the coroutine

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.jail is not None:
            self.jail.give(Path(self.connection_file))   # written 0600 by the grader; the kernel reads it
            kw["env"] = self.jail.environment()
            kw["cwd"] = str(self.jail.workdir)
            # The kernel's own fds never reach the grader's terminal; what the student prints
            # travels as messages, which LimitOutput bounds.
            kw["stdout"] = subprocess.DEVNULL
            kw["stderr"] = None if os.environ.get("RNNCOURSE_DEBUG_KERNEL") else subprocess.DEVNULL
            kw["stdin"] = subprocess.DEVNULL
        await super()._async_launch_kernel(kernel_cmd, **kw)


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in a sandbox and a wall-clock budget per notebook."""

    notebook_timeout = Integer(
        300, help="Wall-clock seconds for a whole notebook; cells after the budget is spent time out."
    ).tag(config=True)
    unsafe = Bool(
        False, help="Run student code WITHOUT a sandbox. Only for trusted notebooks (e.g. solutions)."
    ).tag(config=True)
    guard = Bool(
        True, help="Re-arm the kernel before each test cell and verify each test ran to its end."
    ).tag(config=True)
    kernel_threads = Integer(
        0, help="CPU threads for the kernel's TensorFlow/BLAS pools (0: all cores). The batch sets "
                "cores // workers so that parallel kernels do not oversubscribe the machine."
    ).tag(config=True)
    max_output_bytes = Integer(
        4 << 20, help="Bytes of output kept per notebook; later output is dropped (iopub flood cap)."
    ).tag(config=True)
    read_only_factor = Integer(
        5, help="A read-only (instructor) cell may run this many times the per-cell timeout, within the "
                "notebook's budget: its code is the reference's, so a busy machine must not time it out."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, retry=None):
        path = Path(resources.get("metadata", {}).get("path") or ".")
        scratch = Path(tempfile.mkdtemp(prefix="rnncourse-run-"))
        self._tampered, self._token, self._token_seen, self._guarded = None, None, False, False
        self._output_bytes, self._flood_noted, self._dead = 0, set(), None
        cgroup = jail = None
        try:
            workdir = scratch / "work"
            if self.unsafe:
                shutil.copytree(path, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".*"))
                sandbox.warn_unsafe(self.log)
            else:
                cgroup = sandbox.Cgroup(sandbox.Limits(), scratch.name)
                jail = sandbox.Jail(scratch=scratch, workdir=workdir, cgroup=cgroup,
                                    threads=self.kernel_threads).open()
                shutil.copytree(path, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".*"), dirs_exist_ok=True)
                jail.share = sorted(workdir.iterdir())
            self._cgroup = cgroup
            self.kernel_manager_class = type(
                "BoundSandboxedKernelManager", (SandboxedKernelManager,), {"jail": jail}
            )
            resources.setdefault("metadata", {})["path"] = str(workdir)
            deadline = time.monotonic() + self.notebook_timeout
            self.timeout_func = lambda cell: self.cell_limit(cell, deadline - time.monotonic())
            try:
                nb, resources = super().preprocess(nb, resources, retry)
            except Exception:
                if cgroup is not None and cgroup.oom_killed():
                    raise MemoryError(f"the notebook used more than {sandbox.Limits().memory_bytes >> 20} MiB "
                                      "of memory and its kernel was killed") from None
                raise
            if self._tampered:
                self._mark_tampered(nb)
            return nb, resources
        finally:
            resources.setdefault("metadata", {})["path"] = str(path)
            if cgroup is not None:
                cgroup.close()
            if jail is not None:
                jail.close()
            shutil.rmtree(scratch, ignore_errors=True)

    def cell_limit(self, cell: NotebookNode, budget_left: float) -> int:
        """Seconds ``cell`` may run: the per-cell timeout, or ``read_only_factor`` times it for a
        read-only instructor cell (demonstrations, data loading), never past the notebook's budget."""
        meta = cell.metadata.get("nbgrader", {}) or {}
        read_only = meta.get("locked") and not meta.get("grade") and not meta.get("solution")
        limit = self.timeout * (self.read_only_factor if read_only else 1)
        return max(1, min(limit, int(budget_left)))

    # --- integrity (see integrity.py) ------------------------------------------------------

    async def _silent(self, code: str, what: str) -> None:
        if self._tampered or self._dead:
            return
        try:
            reply = await self.kc.execute_interactive(
                code, silent=True, store_history=False, allow_stdin=False, timeout=30,
                output_hook=lambda msg: None)
        except Exception:  # timeout or a kernel that stopped answering
            reply = None
        if not reply or reply["content"].get("status") != "ok":
            if not await ensure_async(self.kc.is_alive()):
                self._dead = self._death()       # a dead kernel is an error, not tampering
            else:
                self._tampered = f"the kernel did not complete the grader's {what} step"

    # --- a dead kernel keeps what completed (points earned stay earned) -----------------------

    def _death(self) -> str:
        if self._cgroup is not None and self._cgroup.oom_killed():
            return (f"the notebook used more than {sandbox.Limits().memory_bytes >> 20} MiB of memory "
                    "and its kernel was killed")
        return "the notebook's kernel died (the code exited, crashed or was killed)"

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """Execute one cell; when the kernel dies, this cell and every later code cell get a
        ``KernelDied`` error (0 points for a test among them) and the cells that completed keep
        their outputs, so test cells that passed before keep their points."""
        if cell.cell_type != "code" or not cell.source.strip():
            return await self._execute_cell(cell, cell_index, execution_count, store_history)
        if self._dead is None:
            try:
                return await self._execute_cell(cell, cell_index, execution_count, store_history)
            except DeadKernelError:
                self._dead = self._death()
                self._token = None
            except CellTimeoutError as exc:    # no output arrived after the reply: keep going
                cell.outputs.append(_error(TIMEOUT, str(exc).splitlines()[0][:200]))
                return cell
            cell.outputs = list(cell.get("outputs", []))
            cell.outputs.append(_error(KERNEL_DIED, f"{self._dead}{DIED_HERE}"))
            return cell
        cell.outputs = [_error(KERNEL_DIED, f"{self._dead}{DIED_BEFORE}")]
        return cell

    async def _execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if not self.guard or cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        meta = cell.metadata.get("nbgrader", {}) or {}
        if not self._guarded:
            self._guarded = True
            await self._silent(integrity.GUARD, "set-up")
        if not (meta.get("grade") and not meta.get("solution")):
            if meta.get("locked"):
                await self._silent(integrity.MARK, "snapshot")
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            if meta.get("locked"):
                await self._silent(integrity.EXTEND, "snapshot")
            integrity.neutralize_outputs(cell)
            return cell
        await self._silent(integrity.REARM, "re-arm")
        original = cell.source
        self._token, self._token_seen = integrity.new_token(), False
        cell.source = integrity.with_token(original, self._token)
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            cell.source = original
            self._token = None
        failed = any(o.get("output_type") == "error" for o in cell.outputs)
        if not failed and not self._token_seen and not self._tampered:
            self._tampered = (f"test cell {meta.get('grade_id')!r} reported success without running "
                              "to its end (the kernel's error reporting was changed)")
        integrity.neutralize_outputs(cell)
        return cell

    execute_cell = run_sync(async_execute_cell)

    def _mark_tampered(self, nb: NotebookNode) -> None:
        message = f"Flagged for review: {self._tampered}; autograded tests score 0."
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {}) or {}
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
                cell.outputs.append(integrity.integrity_error(message))

    def on_cell_executed(self, **kwargs):
        reply = kwargs.get("execute_reply") or {}
        content = reply.get("content", {})
        # a reply from the kernel (it has a header; nbclient's own timeout reply has none) may not
        # carry a name only the grader writes: nbgrader would append it as an error output
        if "header" in reply and content.get("ename") in RESERVED_ENAMES:
            content["ename"] = f"{content['ename']} (raised by the notebook)"
        return super().on_cell_executed(**kwargs)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if self._token and msg.get("msg_type") == "stream" and self._token in content.get("text", ""):
            content["text"] = content["text"].replace(self._token + "\n", "").replace(self._token, "")
            self._token_seen = True
            if not content["text"]:
                return None
        if msg.get("msg_type") == "error" and content.get("ename") in RESERVED_ENAMES:
            content["ename"] = f"{content['ename']} (raised by the notebook)"   # only the grader names these
        # everything a message adds to the notebook counts: text, data, metadata, error name/value/traceback
        size = sum(len(str(content.get(k, ""))) for k in ("text", "data", "metadata", "ename", "evalue", "traceback"))
        self._output_bytes += size
        if self._output_bytes > self.max_output_bytes:
            if cell_index not in self._flood_noted:
                self._flood_noted.add(cell_index)
                outs.append(NotebookNode(output_type="stream", name="stdout", text=(
                    f"\n[output over {self.max_output_bytes >> 20} MiB for this notebook: the rest was dropped]\n")))
            if msg.get("msg_type") != "error":
                return None
            # an error is never dropped (it decides the score); it is kept cut down to its name
            content.update(evalue=str(content.get("evalue", ""))[:200], traceback=[])
            content["ename"] = str(content.get("ename", "Error"))[:100]
        return super().output(outs, msg, display_id, cell_index)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if getattr(self.kernel_manager_class, "jail", None) is not None:
            jail = self.kernel_manager_class.jail
            # ZeroMQ over unix sockets inside the scratch folder: the sandbox needs no network.
            km.transport = "ipc"
            km.ip = str(jail.scratch / "kernel")
            km.connection_file = str(jail.scratch / "kernel.json")
        return km


# Lines that TensorFlow, absl, oneDNN, CUDA and Python's warnings module write to stderr on their
# own. nbgrader zeroes a test cell with *any* stderr output, so a correct answer whose cell merely
# triggered a library warning would lose its points; these lines are removed before scoring.
NOISE_PATTERNS = [
    r"^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$",
    r"^[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] .*$",     # absl / glog C++ lines (clock or epoch timestamps)
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+:\d+\] .*$",                # TF C++ logging
    r"^(WARNING|INFO|ERROR):(tensorflow|absl|keras)?:?.*$",                      # Python logging of TF/absl
    r"^To enable the following instructions: .*$",                               # cpu_feature_guard
    r"^.*\.py:\d+: \w*Warning: .*$",                                             # warnings.warn(...) lines
]


class StripLibraryNoise(NbGraderPreprocessor):
    """Remove library log and warning lines from stderr so they never cost a student points."""

    enabled = Bool(True).tag(config=True)
    patterns = List(Unicode(), default_value=NOISE_PATTERNS).tag(config=True)

    @property
    def regex(self) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns))  # re caches the compiled form

    def strip(self, text: str) -> str:
        kept, skip_source_line = [], False
        for line in text.splitlines(keepends=True):
            bare = line.rstrip("\n")
            if skip_source_line and line.startswith("  "):
                # warnings.warn prints the offending source line, indented, after the message.
                skip_source_line = False
                continue
            skip_source_line = False
            if self.regex.match(bare):
                skip_source_line = "Warning: " in bare
                continue
            kept.append(line)
        return "".join(kept)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        if cell.cell_type != "code" or not self.enabled:
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output.text = self.strip(output.text)
                if not output.text.strip():
                    continue
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources


class ScoreByErrors(NbGraderPreprocessor):
    """A test cell scores 0 when it has an error (or stderr) output *anywhere*, whatever the order.

    nbgrader scores a test cell by its first error, stderr or ``execute_result`` output, and counts
    a non-numeric result as full credit, so a value displayed before the error
    (``get_ipython().displayhook('ok')`` inside the student's function, then ``raise``) would win.
    Here errors and stderr are moved first, and results a test cell displays become display data:
    still shown, never read as a score. Runs after the noise on stderr is stripped.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        meta = cell.metadata.get("nbgrader", {}) or {}
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        failures, others = [], []
        for out in cell.get("outputs", []):
            failing = out.get("output_type") == "error" or (
                out.get("output_type") == "stream" and out.get("name") == "stderr")
            (failures if failing else others).append(out)
            if out.get("output_type") == "execute_result":
                out.output_type = "display_data"
                out.pop("execution_count", None)
        cell.outputs = failures + others
        return cell, resources
