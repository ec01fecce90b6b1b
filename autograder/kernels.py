"""Sandboxed Jupyter kernels for grading, and the message pumps that route their replies.

A ``Kernel`` owns everything of one kernel: its scratch folder (working folder, home, /tmp), its
sandbox (``sandbox.Jail``) and cgroup, the kernel process and its channels. ``Kernel.sandboxed``
prepares one, ``start`` starts it and sets up the value channel (``wire.py``, ``kernelside.py``),
``close`` ends it and removes all of it. ``twokernel.py`` runs a notebook's cells in two of them.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbformat.notebooknode import NotebookNode

from autograder import kernelside, sandbox, wire
from autograder.results import INTERRUPT_GRACE_S

MIME = kernelside.MIME
GRACE_S = INTERRUPT_GRACE_S          # seconds a kernel gets to stop after an interrupt before it is killed


def runtime_source(role: str) -> str:
    """The code that sets up the value channel in one kernel (no test code, nothing secret)."""
    wire_src = Path(wire.__file__).read_text()
    side_src = Path(kernelside.__file__).read_text()
    return (
        "def __grading_setup():\n"
        "    import sys, types\n"
        "    w = types.ModuleType('_grading_wire'); exec(compile(%r, '<grading-wire>', 'exec'), w.__dict__)\n"
        "    s = types.ModuleType('_grading'); exec(compile(%r, '<grading-channel>', 'exec'), s.__dict__)\n"
        "    sys.modules['_grading_wire'], sys.modules['_grading'] = w, s\n"
        "    s.side = s.Side(w, %r)\n"
        "__grading_setup(); del __grading_setup\n" % (wire_src, side_src, role)
    )


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel process starts inside ``jail``."""

    jail: sandbox.Jail | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.jail.wrap(cmd) if self.jail else cmd

    async def _async_interrupt_kernel(self):
        # a signal would reach bubblewrap, not the kernel: ask the kernel over its control channel
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.jail is not None:
            self.jail.give(Path(self.connection_file))
            kw["env"] = self.jail.environment()
            kw["cwd"] = str(self.jail.workdir)
            kw["stdout"] = subprocess.DEVNULL
            kw["stderr"] = None if os.environ.get("RNNCOURSE_DEBUG_KERNEL") else subprocess.DEVNULL
            kw["stdin"] = subprocess.DEVNULL
        await super()._async_launch_kernel(kernel_cmd, **kw)


class Execution:
    """One execute request: its outputs, its reply, and what to do with input requests."""

    def __init__(self, on_input=None, keep_outputs=True, max_bytes=0):
        self.outputs: list[NotebookNode] = []
        self.reply: dict | None = None
        self.idle = False
        self.done = asyncio.Event()
        self.on_input = on_input
        self.keep_outputs, self.max_bytes, self.bytes = keep_outputs, max_bytes, 0
        self.answer: str | None = None          # a student kernel's published answer
        self.dropped = False

    def _check_done(self):
        if self.reply is not None and self.idle:
            self.done.set()

    def iopub(self, msg):
        kind, content = msg["msg_type"], msg.get("content", {})
        if kind == "status":
            if content.get("execution_state") == "idle":
                self.idle = True
                self._check_done()
            return
        if kind == "display_data" and MIME in (content.get("data") or {}):
            value = content["data"][MIME]
            self.answer = value if isinstance(value, str) else None
            return
        if not self.keep_outputs or kind not in ("stream", "display_data", "execute_result", "error", "clear_output"):
            return
        if kind == "clear_output":
            self.outputs = []
            return
        size = sum(len(str(content.get(k, ""))) for k in ("text", "data", "ename", "evalue", "traceback"))
        self.bytes += size
        if self.max_bytes and self.bytes > self.max_bytes:
            if kind != "error":
                if not self.dropped:
                    self.dropped = True
                    self.outputs.append(NotebookNode(output_type="stream", name="stdout", text=(
                        f"\n[output over {self.max_bytes >> 20} MiB: the rest was dropped]\n")))
                return
            content = dict(content, evalue=str(content.get("evalue", ""))[:200], traceback=[])
        out = nbformat.v4.output_from_msg({"msg_type": kind, "content": content, "header": msg.get("header", {})})
        if kind == "stream" and self.outputs and self.outputs[-1].get("output_type") == "stream" \
                and self.outputs[-1].get("name") == out.get("name"):
            self.outputs[-1]["text"] += out["text"]
        else:
            self.outputs.append(out)

    def shell(self, msg):
        self.reply = msg.get("content", {})
        self._check_done()


class Kernel:
    """One sandboxed kernel, the folders it owns, and the pumps that route its messages to executions."""

    def __init__(self, name: str, jail: sandbox.Jail | None, cgroup: sandbox.Cgroup | None, scratch: Path):
        self.name, self.jail, self.cgroup, self.scratch = name, jail, cgroup, scratch
        self.workdir = scratch / "work"
        self.km = None
        self.kc = None
        self.running: dict[str, Execution] = {}
        self.tasks: list[asyncio.Task] = []
        self.dead: str | None = None
        self.pending_input = False
        self.interrupted = False             # a cell of it ran past its limit (its state is then unknown)
        self.grace = GRACE_S                 # seconds it gets to stop after an interrupt before it is killed

    @classmethod
    def sandboxed(cls, name: str, folder: Path, *, unsafe: bool = False, threads: int = 0,
                  hide: list[Path] | None = None, log=None) -> "Kernel":
        """A kernel, not started yet, in a sandbox of its own (unless ``unsafe``) whose working folder
        holds ``folder``'s files (its notebooks and dot files left out); ``hide`` are files it sees empty."""
        scratch = Path(tempfile.mkdtemp(prefix=f"rnncourse-{name}-"))
        workdir = scratch / "work"
        ignore = shutil.ignore_patterns("*.ipynb", ".*")
        if unsafe:
            shutil.copytree(folder, workdir, ignore=ignore)
            sandbox.warn_unsafe(log)
            return cls(name, None, None, scratch)
        cgroup = jail = None
        try:
            cgroup = sandbox.Cgroup(sandbox.Limits(), scratch.name)
            jail = sandbox.Jail(scratch=scratch, workdir=workdir, cgroup=cgroup, threads=threads,
                                hide=list(hide or [])).open()
            shutil.copytree(folder, workdir, ignore=ignore, dirs_exist_ok=True)
            jail.share = sorted(workdir.iterdir())
        except BaseException:
            cls(name, jail, cgroup, scratch)._remove()
            raise
        return cls(name, jail, cgroup, scratch)

    async def start(self, startup_timeout: float = 120) -> None:
        """Start the kernel and set up its value channel."""
        cls = type("BoundKernelManager", (SandboxedKernelManager,), {"jail": self.jail})
        km = cls(kernel_name="python3")
        if self.jail is not None:
            km.transport = "ipc"
            km.ip = str(self.scratch / "kernel")
            km.connection_file = str(self.scratch / "kernel.json")
        self.km = km
        await km.start_kernel(cwd=str(self.workdir))
        self.kc = km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=startup_timeout)
        for channel in ("iopub", "shell", "stdin"):
            self.tasks.append(asyncio.ensure_future(self._pump(channel)))
        await self.run_silently(runtime_source(self.name), f"the {self.name} kernel could not be prepared for grading")

    async def run_silently(self, code: str, failure: str, limit: float = 60) -> None:
        """Run grader code (no outputs kept, no history); raise ``RuntimeError(failure)`` unless it completed."""
        ex = self.execute(code, silent=True, store_history=False, keep_outputs=False)
        if not await self.wait(ex, limit) or (ex.reply or {}).get("status") != "ok":
            raise RuntimeError(failure)

    async def _pump(self, channel: str) -> None:
        get = getattr(self.kc, f"get_{channel}_msg")
        while True:
            try:
                msg = await get(timeout=1)
            except Exception:           # queue.Empty on time-out, or a closed channel
                if not await self.alive():
                    self._died("the notebook's kernel died (the code exited, crashed or was killed)")
                    return
                continue
            parent = (msg.get("parent_header") or {}).get("msg_id")
            ex = self.running.get(parent)
            if ex is None:
                continue
            if channel == "iopub":
                ex.iopub(msg)
            elif channel == "shell":
                ex.shell(msg)
            elif ex.on_input is not None:
                self.pending_input = True
                ex.on_input(msg.get("content", {}).get("prompt", ""))
            else:
                self.reply_input("\x04")
            if ex.done.is_set():            # nothing more comes for it (a kernel kept warm runs many)
                self.running.pop(parent, None)

    def reply_input(self, text: str) -> None:
        self.pending_input = False
        self.kc.input(text)

    async def alive(self) -> bool:
        try:
            return bool(await self.km.is_alive())
        except Exception:
            return False

    def _died(self, why: str) -> None:
        if self.dead is None:
            if self.cgroup is not None and self.cgroup.oom_killed():
                why = (f"the notebook used more than {sandbox.Limits().memory_bytes >> 20} MiB of memory "
                       "and its kernel was killed")
            self.dead = why
        for ex in list(self.running.values()):
            ex.done.set()

    def execute(self, code: str, *, silent=False, store_history=True, allow_stdin=False,
                on_input=None, keep_outputs=True, max_bytes=0, user_expressions=None) -> Execution:
        ex = Execution(on_input, keep_outputs, max_bytes)
        if self.dead:
            ex.done.set()
            return ex
        msg_id = self.kc.execute(code, silent=silent, store_history=store_history, allow_stdin=allow_stdin,
                                 user_expressions=user_expressions)
        self.running[msg_id] = ex
        return ex

    async def wait(self, ex: Execution, limit: float) -> bool:
        """Wait for ``ex`` to finish; on time-out interrupt, then kill the kernel if it does not stop.
        Returns False when it timed out."""
        try:
            await asyncio.wait_for(ex.done.wait(), timeout=max(0.1, limit))
            return True
        except asyncio.TimeoutError:
            self.interrupted = True
        try:
            await self.km.interrupt_kernel()
            await asyncio.wait_for(ex.done.wait(), timeout=self.grace)
        except Exception:
            await self.kill("a cell ran past its time limit and did not stop when interrupted; the kernel was stopped")
        return False

    async def kill(self, why: str) -> None:
        self._died(why)
        try:
            await self.km.shutdown_kernel(now=True)
        except Exception:
            pass

    async def close(self) -> None:
        """Stop the kernel and remove its sandbox, cgroup and folders."""
        for task in self.tasks:
            task.cancel()
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                await self.km.shutdown_kernel(now=True)
            except Exception:
                pass
        self._remove()

    def _remove(self) -> None:
        if self.cgroup is not None:
            self.cgroup.close()
        if self.jail is not None:
            self.jail.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.cgroup = self.jail = None
