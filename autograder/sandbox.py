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
import shutil
import sys
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
        for root in _read_only_roots():
            args += ["--ro-bind", str(root), str(root)]
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        args += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
        args += ["--bind", str(self.scratch), str(self.scratch), "--chdir", str(self.workdir)]
        lim = self.limits
        prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
        args += ["--", prlimit, f"--cpu={lim.cpu_seconds}", f"--fsize={lim.file_bytes}",
                 f"--nofile={lim.open_files}", "--core=0"]
        # Inside the PID namespace the kernel's parent is the sandbox's init (pid 1), which
        # ipykernel would take for "my parent died"; JPY_PARENT_PID=1 turns that poll off (jupyter's
        # launcher overwrites the variable in the environment, so it is set here, last).
        # --die-with-parent still ends the kernel together with the grader.
        return args + ["/usr/bin/env", "JPY_PARENT_PID=1"] + list(cmd)

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
