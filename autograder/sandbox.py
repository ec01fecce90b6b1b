"""The sandbox a submission's kernel runs in (bubblewrap + resource limits).

The kernel sees only what it needs, read-only: the system (/usr, /etc, ...), the Python
installation and virtual environment, and the course helper package ``rnncourse`` (a student's
kernel sees its grading-only references as empty files: ``Jail.hide``). Its only
writable places are its private scratch folder (the notebook's working directory and home) and a
private /tmp. It has its own PID, IPC, UTS and network namespaces (no network at all, not even the
grader's loopback), no capabilities, and resource limits on CPU time, file size, open files and core
dumps. ``solutions/``, the gradebook, other submissions, the repository's history and the
grader's home are simply not in its world.

When the grader runs as root, the kernel does not: bubblewrap is started as the unprivileged user
``nobody`` (``setpriv``), so files readable only by root (``/etc/shadow``) stay closed, and the
scratch folder is one size-limited tmpfs mounted for this kernel alone, holding its working folder,
home and /tmp under one disk cap (nothing it writes reaches the grader's disk).
"""
from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
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


def _leading_folders(roots: list[Path]) -> list[Path]:
    """The folders above ``roots`` that are not themselves inside one of them, shortest first."""
    def inside(path: Path) -> bool:
        return any(path == r or r in path.parents for r in roots)

    found = {parent for root in roots for parent in root.parents if parent != Path("/") and not inside(parent)}
    return sorted(found, key=lambda p: (len(p.parts), str(p)))


def _read_only_roots() -> list[Path]:
    roots = {Path(p) for p in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc")}
    roots |= {Path(sys.base_prefix).resolve(), Path(sys.prefix)}
    roots.add(REPO / "rnncourse")
    return sorted(r for r in roots if r.exists())


def unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) the kernel runs as when the grader is root (``nobody``); None when the grader
    itself is unprivileged (the kernel then simply runs as the grader's user)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return None
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def _mount_disk(folder: Path, size: int, user: tuple[int, int]) -> bool:
    """Mount a tmpfs of ``size`` bytes on ``folder``, owned by ``user`` (root only); True on success."""
    options = f"size={size},mode=0700,uid={user[0]},gid={user[1]},nosuid,nodev"
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "rnncourse-scratch", str(folder)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        logging.getLogger(__name__).warning(
            "the scratch folder is not size-limited as a whole (mount failed: %s)", proc.stderr.strip()[:200])
    return proc.returncode == 0


@dataclass
class Jail:
    scratch: Path
    workdir: Path
    limits: Limits = field(default_factory=Limits)
    cgroup: Cgroup | None = None
    share: list[Path] = field(default_factory=list)   # read-only files put in the working folder
    hide: list[Path] = field(default_factory=list)    # files under the read-only roots it sees as empty
    threads: int = 0     # CPU threads the kernel's libraries may use (0: their own default, all cores)
    user: tuple[int, int] | None = None               # (uid, gid) of the kernel; set by open()
    bounded: bool = False                             # scratch is one size-limited tmpfs; set by open()

    def open(self) -> "Jail":
        """Prepare the scratch folder before anything is put in it: as root, one tmpfs of
        ``limits.disk_bytes`` owned by the kernel's unprivileged user, with the working folder, home
        and /tmp inside (one disk cap for everything the kernel can write)."""
        self.user = unprivileged_user()
        if self.user is not None:
            self.bounded = _mount_disk(self.scratch, self.limits.disk_bytes, self.user)
            os.chown(self.scratch, *self.user)
        for folder in (self.workdir, self.home, self.scratch / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)
            if self.user is not None:
                os.chown(folder, *self.user)
        empty = self.scratch / "empty"          # what a hidden file reads as (a device node would not open)
        empty.write_bytes(b"")
        empty.chmod(0o444)
        return self

    def close(self) -> None:
        """Unmount the scratch tmpfs (its contents go with it)."""
        if self.bounded:
            subprocess.run(["umount", "-l", str(self.scratch)], capture_output=True)
            self.bounded = False

    def give(self, path: Path) -> None:
        """Let the kernel's user read ``path`` (a file the grader wrote for it, e.g. the connection file)."""
        if self.user is not None:
            os.chown(path, *self.user)

    @property
    def home(self) -> Path:
        return self.scratch / "home"

    def wrap(self, cmd: list[str]) -> list[str]:
        bwrap = shutil.which("bwrap")
        if not bwrap:
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed; run `make setup`.")
        if self.user is None:
            # unprivileged: bubblewrap's user namespace, no capabilities
            args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
            drop, perms = [], []
        else:
            # as root: namespaces without a user namespace (in one, root's files would look like the
            # kernel's own), and the kernel itself runs as the unprivileged user with no capabilities
            # and no way back (setpriv inside the sandbox, after the mounts are made)
            args = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                    "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
            drop = ["/usr/bin/setpriv", f"--reuid={self.user[0]}", f"--regid={self.user[1]}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
            perms = ["--perms", "1777"]          # tmpfs mounts the unprivileged kernel can write
        lim = self.limits
        # Mounts apply in order: the private /tmp comes first, so a repository or virtual
        # environment that lives under /tmp (a CI clone) is bound on top of it, not hidden by it.
        args += ["--proc", "/proc", "--dev", "/dev"]
        if self.bounded:
            args += ["--bind", str(self.scratch / "tmp"), "/tmp"]
        else:
            args += ["--size", str(lim.disk_bytes), *perms, "--tmpfs", "/tmp"]
        roots = _read_only_roots()
        if self.user is not None:
            # bubblewrap copies the modes of the folders leading to a bound path (``/root`` is 0700
            # when Python lives in ``/root/.pyenv``); open them for the kernel's user
            for folder in _leading_folders(roots):
                args += ["--perms", "0755", "--dir", str(folder)]
        for root in roots:
            args += ["--ro-bind", str(root), str(root)]
        for path in self.hide:          # e.g. the grading-only references, for the student's kernel
            args += ["--ro-bind", str(self.scratch / "empty"), str(path)]
        args += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
        # The scratch folder holds the kernel's IPC sockets and connection file. Bounded, it is one
        # tmpfs holding the working folder, home and /tmp; otherwise the working folder and home are
        # size-limited private tmpfs mounts of their own.
        args += ["--bind", str(self.scratch), str(self.scratch)]
        if not self.bounded:
            args += ["--size", str(lim.disk_bytes), *perms, "--tmpfs", str(self.workdir)]
        for item in self.share:
            args += ["--ro-bind", str(item), str(self.workdir / item.name)]
        if not self.bounded:
            args += ["--size", str(lim.disk_bytes // 4), *perms, "--tmpfs", str(self.home)]
        args += ["--chdir", str(self.workdir)]
        prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
        args += ["--", *drop, prlimit, f"--cpu={lim.cpu_seconds}", f"--fsize={lim.file_bytes}",
                 f"--nofile={lim.open_files}", "--core=0"]
        # Inside the PID namespace the kernel's parent is the sandbox's init (pid 1), which
        # ipykernel would take for "my parent died"; JPY_PARENT_PID=1 turns that poll off (jupyter's
        # launcher overwrites the variable in the environment, so it is set here, last).
        # --die-with-parent still ends the kernel together with the grader.
        prefix = self.cgroup.prefix() if self.cgroup else []
        return prefix + args + ["/usr/bin/env", "JPY_PARENT_PID=1"] + list(cmd)

    def environment(self) -> dict[str, str]:
        """A minimal environment: nothing of the grader's (database URLs, tokens) leaks in.

        With ``threads`` set, TensorFlow's thread pools and the BLAS/OpenMP libraries use that many
        threads, so that kernels graded side by side share the cores instead of oversubscribing them.
        """
        env = {
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
        if self.threads > 0:
            n = str(self.threads)
            env.update({"TF_NUM_INTRAOP_THREADS": n, "TF_NUM_INTEROP_THREADS": n, "OMP_NUM_THREADS": n,
                        "OPENBLAS_NUM_THREADS": n, "MKL_NUM_THREADS": n})
        return env


def check_available() -> None:
    """Raise SandboxUnavailable unless a trivial command runs inside the sandbox."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rnncourse-probe-") as tmp:
        jail = Jail(Path(tmp), Path(tmp) / "work").open()
        try:
            proc = subprocess.run(jail.wrap([sys.executable, "-c", "print('ok')"]),
                                  capture_output=True, text=True, timeout=60, env=jail.environment())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxUnavailable(f"bubblewrap could not start: {exc}") from exc
        finally:
            jail.close()
        if proc.returncode != 0 or proc.stdout.strip() != "ok":
            raise SandboxUnavailable(f"bubblewrap could not start a sandbox: {proc.stderr.strip()[:500]}")


def warn_unsafe(log: logging.Logger | None = None) -> None:
    (log or logging.getLogger(__name__)).warning(
        "!!! UNSAFE: executing notebooks WITHOUT a sandbox; student code runs with your privileges !!!"
    )
