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
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from autograder import sandbox


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel process starts inside ``self.jail`` (set per run)."""

    jail: sandbox.Jail | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.jail.wrap(cmd) if self.jail else cmd

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

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, retry=None):
        path = Path(resources.get("metadata", {}).get("path") or ".")
        scratch = Path(tempfile.mkdtemp(prefix="rnncourse-run-"))
        try:
            workdir = scratch / "work"
            shutil.copytree(path, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".*"))
            jail = None if self.unsafe else sandbox.Jail(scratch=scratch, workdir=workdir)
            if jail is None:
                sandbox.warn_unsafe(self.log)
            self.kernel_manager_class = type(
                "BoundSandboxedKernelManager", (SandboxedKernelManager,), {"jail": jail}
            )
            resources.setdefault("metadata", {})["path"] = str(workdir)
            deadline = time.monotonic() + self.notebook_timeout
            self.timeout_func = lambda cell: max(1, min(self.timeout, int(deadline - time.monotonic())))
            return super().preprocess(nb, resources, retry)
        finally:
            resources.setdefault("metadata", {})["path"] = str(path)
            shutil.rmtree(scratch, ignore_errors=True)

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
    r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\] .*$",                      # absl / glog C++ lines
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+:\d+\] .*$",                # TF C++ logging
    r"^(WARNING|INFO|ERROR):(tensorflow|absl|keras)?:?.*$",                      # Python logging of TF/absl
    r"^To enable the following instructions: .*$",                               # cpu_feature_guard
    r"^.*\.py:\d+: \w*Warning: .*$",                                             # warnings.warn(...) lines
]


class StripLibraryNoise(NbGraderPreprocessor):
    """Remove library log and warning lines from stderr so they never cost a student points."""

    enabled = Bool(True).tag(config=True)
    patterns = List(Unicode(), default_value=NOISE_PATTERNS).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns))
        return super().preprocess(nb, resources)

    def strip(self, text: str) -> str:
        kept, skip_source_line = [], False
        for line in text.splitlines(keepends=True):
            bare = line.rstrip("\n")
            if skip_source_line and line.startswith("  "):
                # warnings.warn prints the offending source line, indented, after the message.
                skip_source_line = False
                continue
            skip_source_line = False
            if self._regex.match(bare):
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

