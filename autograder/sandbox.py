"""The sandbox a submission's kernel runs in (bubblewrap + resource limits).

The kernel sees only what it needs, read-only: the system (/usr, /etc, ...), the Python
installation and virtual environment, and the course helper package ``rnncourse``. Its only
writable places are its private scratch folder (the notebook's working directory and home) and a
private /tmp. It has its own PID, IPC, UTS and network namespaces (no network at all, not even the
grader's loopback), no capabilities, and resource limits on CPU time, file size, open files and core
dumps. ``solutions/``, the gradebook, other submissions, the repository's history and the
grader's home are simply not in its world.
"""
from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import REPO

MiB = 1 << 20


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


@dataclass
class Limits:
    cpu_seconds: int = 900
    file_bytes: int = 64 * MiB
    open_files: int = 1024
    memory_bytes: int = 4096 * MiB      # RSS + tmpfs of the kernel and its children (cgroup)
    processes: int = 512                # tasks (threads count: TensorFlow starts ~100)
    disk_bytes: int = 256 * MiB         # each private tmpfs: the working folder and /tmp


class Cgroup:
    """Memory and process limits for one kernel, as root, with cgroup v2 or v1 (else nothing).

    ``prefix`` is put in front of the sandbox command: a shell that moves itself into the group
    and then execs bubblewrap, so every process of the kernel is inside before student code runs.
    """

    def __init__(self, limits: Limits, name: str):
        self.dirs: list[Path] = []
        v2 = Path("/sys/fs/cgroup")
        try:
            if (v2 / "cgroup.controllers").exists():
                ctl = (v2 / "cgroup.controllers").read_text().split()
                if {"memory", "pids"} <= set(ctl):
                    d = v2 / f"rnncourse-{name}"
                    d.mkdir()
                    self.dirs.append(d)
                    (d / "memory.max").write_text(str(limits.memory_bytes))
                    (d / "memory.swap.max").write_text("0") if (d / "memory.swap.max").exists() else None
                    (d / "pids.max").write_text(str(limits.processes))
                    return
            mem, pids = v2 / "memory", v2 / "pids"
            if (mem / "cgroup.procs").exists() and (pids / "cgroup.procs").exists():
                for base in (mem, pids):
                    d = base / f"rnncourse-{name}"
                    d.mkdir()
                    self.dirs.append(d)
                (self.dirs[0] / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                memsw = self.dirs[0] / "memory.memsw.limit_in_bytes"
                if memsw.exists():
                    memsw.write_text(str(limits.memory_bytes))
                (self.dirs[1] / "pids.max").write_text(str(limits.processes))
        except OSError as exc:
            logging.getLogger(__name__).warning(
                "memory and process limits are NOT enforced (no writable cgroup: %s); "
                "run the grader as root on a machine with cgroups", exc)
            self.close()

    def prefix(self) -> list[str]:
        if not self.dirs:
            return []
        moves = "; ".join(f"echo $$ > {shlex.quote(str(d / 'cgroup.procs'))}" for d in self.dirs)
        return ["/bin/sh", "-c", f'{moves} && exec "$@"', "rnncourse-sandbox"]

    def oom_killed(self) -> bool:
        for d in self.dirs:
            for name, key in (("memory.events", "oom_kill"), ("memory.oom_control", "oom_kill")):
                f = d / name
                if f.exists():
                    for line in f.read_text().splitlines():
                        k, _, v = line.partition(" ")
                        if k == key and v.strip() not in ("", "0"):
                            return True
            f = d / "memory.failcnt"
            if f.exists() and f.read_text().strip() not in ("", "0"):
                return True
        return False

    def close(self) -> None:
        for d in self.dirs:
            procs = d / "cgroup.procs"
            for _ in range(50):
                try:
                    pids = [int(x) for x in procs.read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
                time.sleep(0.05)
            try:
                d.rmdir()
            except OSError:
                pass
        self.dirs = []


def _read_only_roots() -> list[Path]:
    roots = {Path(p) for p in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc")}
    roots |= {Path(sys.base_prefix).resolve(), Path(sys.prefix)}
    roots.add(REPO / "rnncourse")
    return sorted(r for r in roots if r.exists())


@dataclass
class Jail:
    scratch: Path
    workdir: Path
    limits: Limits = field(default_factory=Limits)
    cgroup: Cgroup | None = None
    share: list[Path] = field(default_factory=list)   # read-only files put in the working folder

    @property
    def home(self) -> Path:
        home = self.scratch / "home"
        home.mkdir(exist_ok=True)
        return home

    def wrap(self, cmd: list[str]) -> list[str]:
        bwrap = shutil.which("bwrap")
        if not bwrap:
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed; run `make setup`.")
        args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
        lim = self.limits
        # Mounts apply in order: the private /tmp comes first, so a repository or virtual
        # environment that lives under /tmp (a CI clone) is bound on top of it, not hidden by it.
        args += ["--proc", "/proc", "--dev", "/dev", "--size", str(lim.disk_bytes), "--tmpfs", "/tmp"]
        for root in _read_only_roots():
            args += ["--ro-bind", str(root), str(root)]
        args += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
        # The scratch folder holds the kernel's IPC sockets and connection file; the working
        # folder and home inside it are size-limited private tmpfs mounts (bounded disk).
        args += ["--bind", str(self.scratch), str(self.scratch)]
        args += ["--size", str(lim.disk_bytes), "--tmpfs", str(self.workdir)]
        for item in self.share:
            args += ["--ro-bind", str(item), str(self.workdir / item.name)]
        args += ["--size", str(lim.disk_bytes // 4), "--tmpfs", str(self.home), "--chdir", str(self.workdir)]
        prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
        args += ["--", prlimit, f"--cpu={lim.cpu_seconds}", f"--fsize={lim.file_bytes}",
                 f"--nofile={lim.open_files}", "--core=0"]
        # Inside the PID namespace the kernel's parent is the sandbox's init (pid 1), which
        # ipykernel would take for "my parent died"; JPY_PARENT_PID=1 turns that poll off (jupyter's
        # launcher overwrites the variable in the environment, so it is set here, last).
        # --die-with-parent still ends the kernel together with the grader.
        prefix = self.cgroup.prefix() if self.cgroup else []
        return prefix + args + ["/usr/bin/env", "JPY_PARENT_PID=1"] + list(cmd)

    def environment(self) -> dict[str, str]:
        """A minimal environment: nothing of the grader's (database URLs, tokens) leaks in."""
        return {
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(self.home / ".matplotlib"),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "KERAS_BACKEND": "tensorflow",
            "PYTHONDONTWRITEBYTECODE": "1",
            "RNNCOURSE_GRADING": "1",
        }


def check_available() -> None:
    """Raise SandboxUnavailable unless a trivial command runs inside the sandbox."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rnncourse-probe-") as tmp:
        jail = Jail(Path(tmp), Path(tmp))
        try:
            proc = subprocess.run(jail.wrap([sys.executable, "-c", "print('ok')"]),
                                  capture_output=True, text=True, timeout=60, env=jail.environment())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxUnavailable(f"bubblewrap could not start: {exc}") from exc
        if proc.returncode != 0 or proc.stdout.strip() != "ok":
            raise SandboxUnavailable(f"bubblewrap could not start a sandbox: {proc.stderr.strip()[:500]}")


def warn_unsafe(log: logging.Logger | None = None) -> None:
    (log or logging.getLogger(__name__)).warning(
        "!!! UNSAFE: executing notebooks WITHOUT a sandbox; student code runs with your privileges !!!"
    )
