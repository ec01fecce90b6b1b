"""Checker kernels kept warm from one notebook to the next, in each grading process.

A checker kernel never runs a line a student wrote (``twokernel.py``), so the one that graded a
notebook can grade the next notebook of the same assignment, once its state is put back exactly as a
fresh, warmed-up checker's (``checkerside.py``: reset, then compared with the baseline it took when it
was new). What that saves is a kernel start and the library imports, about 5 s of CPU per notebook.
A kernel is used again only when

* it was started for the same assignment files (its sandbox shows them read-only) and the same
  sandbox settings, in the same event loop (``run``), and is still alive;
* the notebook it graded completed every checker cell within its limits (no time-out, no interrupt);
* its reset left nothing different from its baseline;
* it has used less than half its CPU-time limit and less than ``MAX_RSS_KIB`` of memory.

Otherwise it is stopped and the next notebook gets a fresh one (warmed up the same way, so a fresh and
a kept checker run every notebook from one state). At most one checker waits per grading process.
"""
from __future__ import annotations

import ast
import asyncio
import atexit
import hashlib
import json
import threading
from pathlib import Path

from autograder import checkerside, plan, sandbox
from autograder.kernels import Kernel, runtime_source

#: what a checker imports before its first notebook, those of them the assignment's notebooks import
WARM_MODULES = ("numpy", "pandas", "matplotlib.pyplot", "keras", "tensorflow", "rnncourse")


def warm_modules(folder: Path) -> tuple[str, ...]:
    """The ``WARM_MODULES`` the notebooks in ``folder`` import (a NumPy-only assignment's checker does
    not import TensorFlow); one set for the whole assignment, so every notebook of it can share a checker."""
    import nbformat

    roots: set[str] = set()
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            cells = nbformat.read(str(path), as_version=4).cells
        except Exception:
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse(plan.strip_magics(cell.source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    roots |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    roots.add(node.module.split(".")[0])
    if roots & {"keras", "tensorflow"}:
        roots |= {"keras", "tensorflow"}          # Keras imports TensorFlow (its backend) anyway
    return tuple(m for m in WARM_MODULES if m.split(".")[0] in roots)


MAX_RSS_KIB = 1 << 20          # a checker past 1 GiB resident is not kept


def folder_key(folder: Path) -> str:
    """The files a checker's sandbox shows (what ``Kernel.sandboxed`` copies), as one digest."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not path.suffix == ".ipynb" and not any(p.startswith(".") for p in rel.parts):
            digest.update(f"{rel}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _checker_source() -> str:
    src = Path(checkerside.__file__).read_text()
    return ("def __checker_setup():\n"
            "    import sys, types\n"
            "    m = types.ModuleType('_grading_checker'); exec(compile(%r, '<grading-checker>', 'exec'), m.__dict__)\n"
            "    sys.modules['_grading_checker'] = m\n"
            "__checker_setup(); del __checker_setup\n" % src)


async def _call(kernel: Kernel, expression: str, limit: float = 120):
    """Evaluate ``expression`` in the checker kernel (silently) and return its JSON-decoded value."""
    ex = kernel.execute("", silent=True, store_history=False, keep_outputs=False,
                        user_expressions={"r": f"__import__('json').dumps({expression})"})
    if not await kernel.wait(ex, limit) or (ex.reply or {}).get("status") != "ok":
        raise RuntimeError(f"the checker kernel did not answer {expression!r}")
    value = ((ex.reply.get("user_expressions") or {}).get("r") or {})
    if value.get("status") != "ok":
        raise RuntimeError(f"{expression!r} failed in the checker kernel: {value.get('evalue', '')}")
    return json.loads(ast.literal_eval(value["data"]["text/plain"]))      # the repr of a str


class CheckerPool:
    """The checker kernels of one grading process (``pool()``): ``take`` one, ``give_back`` it."""

    def __init__(self):
        self.idle: list[tuple[tuple, Kernel]] = []
        self.started = self.reused = self.retired = 0
        self.last_retired: list[str] = []        # why the last kernel given back was not kept

    @staticmethod
    def key(folder: Path, unsafe: bool, threads: int) -> tuple:
        return (folder_key(folder), bool(unsafe), int(threads), warm_modules(folder))

    async def take(self, folder: Path, *, unsafe: bool, threads: int, startup_timeout: float,
                   reuse: bool = True, log=None) -> tuple[Kernel, tuple]:
        """A started, warmed-up checker kernel for notebooks of ``folder``, and its pool key."""
        key = self.key(folder, unsafe, threads)
        while self.idle and in_grading_loop():
            held_key, kernel = self.idle.pop()
            if reuse and held_key == key and not kernel.dead and await kernel.alive():
                self.reused += 1
                return kernel, key
            await kernel.close()
        kernel = Kernel.sandboxed("checker", folder, unsafe=unsafe, threads=threads, log=log)
        try:
            await kernel.start(startup_timeout)
            await kernel.run_silently(_checker_source(), "the checker kernel could not be prepared for grading")
            await _call(kernel, f"__import__('sys').modules['_grading_checker'].warm({list(key[-1])!r}) or 0",
                        limit=max(60.0, startup_timeout))
        except BaseException:
            await kernel.close()
            raise
        self.started += 1
        return kernel, key

    async def give_back(self, kernel: Kernel, key: tuple, reusable: bool) -> None:
        """Keep ``kernel`` for the next notebook if it can be put back exactly; otherwise stop it."""
        why = self._unfit(kernel, reusable and in_grading_loop())
        if not why:
            try:
                await self._restore(kernel)
                differs = await _call(kernel, "__import__('sys').modules['_grading_checker'].reset()")
                use = await _call(kernel, "__import__('sys').modules['_grading_checker'].usage()")
                if differs:
                    why = [f"its state differs after the reset: {', '.join(differs)}"]
                elif use["cpu_s"] > sandbox.Limits().cpu_seconds / 2:
                    why = [f"it used {use['cpu_s']:.0f} s of CPU"]
                elif use["rss_kib"] > MAX_RSS_KIB:
                    why = [f"it holds {use['rss_kib'] >> 10} MiB"]
            except Exception as exc:            # it did not answer: not kept
                why = [f"its reset failed: {exc}"]
        self.last_retired = why
        if why:
            self.retired += 1
            await kernel.close()
            return
        self.idle.append((key, kernel))

    @staticmethod
    def _unfit(kernel: Kernel, reusable: bool) -> list[str]:
        if kernel.dead:
            return [f"it died: {kernel.dead}"]
        if kernel.interrupted:
            return ["a cell of it was interrupted"]
        if not reusable:
            return ["not kept: asked for a fresh one, or graded outside the grading loop (``run``)"]
        return []

    @staticmethod
    async def _restore(kernel: Kernel) -> None:
        """A fresh value channel (the notebook's proxies and counters go with the old one)."""
        await kernel.run_silently(runtime_source(kernel.name), "the value channel could not be set up again")

    async def close(self) -> None:
        while self.idle:
            await self.idle.pop()[1].close()


_local = threading.local()


def _state():
    """This thread's event loop and pool (kernels belong to the loop their channels were opened in)."""
    if getattr(_local, "loop", None) is None:
        _local.loop = asyncio.new_event_loop()
        _local.pool = CheckerPool()
        loop, checkers = _local.loop, _local.pool
        atexit.register(_close_at_exit, loop, checkers)
        try:        # a multiprocessing worker leaves without running atexit's handlers
            from multiprocessing import util
            util.Finalize(checkers, _close_at_exit, args=(loop, checkers), exitpriority=10)
        except Exception:
            pass
    return _local.loop, _local.pool


def _close_at_exit(loop: asyncio.AbstractEventLoop, checkers: CheckerPool) -> None:
    if loop.is_closed() or loop.is_running() or not checkers.idle:
        return
    try:
        loop.run_until_complete(checkers.close())
    except Exception:
        pass


def in_grading_loop() -> bool:
    """Whether the running event loop is this thread's grading loop (only its kernels are kept)."""
    try:
        return asyncio.get_running_loop() is getattr(_local, "loop", None)
    except RuntimeError:
        return False


def pool() -> CheckerPool:
    """This thread's checker pool."""
    return _state()[1]


def run(coro):
    """Run ``coro`` to completion in this thread's grading loop (the one its kept checkers use)."""
    loop, _ = _state()
    return loop.run_until_complete(coro)
