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
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from autograder import integrity, sandbox


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

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, retry=None):
        path = Path(resources.get("metadata", {}).get("path") or ".")
        scratch = Path(tempfile.mkdtemp(prefix="rnncourse-run-"))
        self._tampered, self._token, self._token_seen, self._guarded = None, None, False, False
        self._output_bytes, self._flood_noted = 0, set()
        cgroup = None
        try:
            workdir = scratch / "work"
            shutil.copytree(path, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".*"))
            if self.unsafe:
                jail = None
                sandbox.warn_unsafe(self.log)
            else:
                cgroup = sandbox.Cgroup(sandbox.Limits(), scratch.name)
                jail = sandbox.Jail(scratch=scratch, workdir=workdir, cgroup=cgroup,
                                    share=sorted(workdir.iterdir()), threads=self.kernel_threads)
            self.kernel_manager_class = type(
                "BoundSandboxedKernelManager", (SandboxedKernelManager,), {"jail": jail}
            )
            resources.setdefault("metadata", {})["path"] = str(workdir)
            deadline = time.monotonic() + self.notebook_timeout
            self.timeout_func = lambda cell: max(1, min(self.timeout, int(deadline - time.monotonic())))
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
            shutil.rmtree(scratch, ignore_errors=True)

    # --- integrity (see integrity.py) ------------------------------------------------------

    async def _silent(self, code: str, what: str) -> None:
        if self._tampered:
            return
        try:
            reply = await self.kc.execute_interactive(
                code, silent=True, store_history=False, allow_stdin=False, timeout=30,
                output_hook=lambda msg: None)
        except Exception:  # timeout or a kernel that stopped answering
            reply = None
        if not reply or reply["content"].get("status") != "ok":
            self._tampered = f"the kernel did not complete the grader's {what} step"

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if not self.guard or cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        meta = cell.metadata.get("nbgrader", {}) or {}
        if not self._guarded:
            self._guarded = True
            await self._silent(integrity.GUARD, "set-up")
        if not (meta.get("grade") and not meta.get("solution")):
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

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if self._token and msg.get("msg_type") == "stream" and self._token in content.get("text", ""):
            content["text"] = content["text"].replace(self._token + "\n", "").replace(self._token, "")
            self._token_seen = True
            if not content["text"]:
                return None
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in (content.get("data") or {}).values())
        self._output_bytes += size
        if self._output_bytes > self.max_output_bytes:
            if cell_index not in self._flood_noted:
                self._flood_noted.add(cell_index)
                outs.append(NotebookNode(output_type="stream", name="stdout", text=(
                    f"\n[output over {self.max_output_bytes >> 20} MiB for this notebook: the rest was dropped]\n")))
            return None
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

