"""The demo class on a local JupyterHub (`make hub`): accounts, shared exchange, course, roster.

    python hub/democlass.py setup   # idempotent: accounts, exchange, permissions, configs, roster
    python hub/democlass.py start   # set-up, then JupyterHub in the foreground (Ctrl-C stops it all)
    python hub/democlass.py stop    # stops the hub `start` runs (from another terminal)

Run as root (the hub starts each user's server as that Unix user). What it makes:

- Unix accounts ``instructor``, ``alice``, ``bob``, ``carol`` (comment ``rnncourse hub demo``;
  an existing account without that comment is never touched), private homes, passwords in
  ``hub/runtime/passwords.txt`` (root only). The instructor joins each student's personal group
  so released feedback can be private to its student (autograder/exchange.py).
- The shared folder (``/srv/nbgrader``): ``exchange/`` (world-writable, sticky: nbgrader's
  documented set-up) and ``jupyter/student``, ``jupyter/instructor`` (the servers' Jupyter config).
- The course: this checkout serves it. Student accounts may read only ``.venv/``, ``rnncourse/``,
  ``autograder/`` (the code their server runs) and ``lessons/`` (the release); everything else (``solutions/`` and its hidden
  tests, ``tests/``, the history, ``hub/runtime``) is readable by root and the instructor's group
  only. The grading state (gradebook, collected submissions, feedback) is the instructor's, in
  ``~instructor/rnn-course-state``.
- The roster: ``hub/roster.csv`` (an LMS export) imported into the gradebook.

Listens on 127.0.0.1 only. Runtime state (hub database, cookie secret, logs) in ``hub/runtime/``.
"""
from __future__ import annotations

import argparse
import grp
import os
import pwd
import secrets
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HUB = Path(__file__).resolve().parent
REPO = HUB.parent
VENV_BIN = REPO / ".venv" / "bin"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORDS = HUB / "runtime" / "passwords.txt"
MARKER = "rnncourse hub demo"
COURSE_ID = "rnn-course"            # autograder/course.py's course id
INSTRUCTOR = "instructor"
STUDENTS = ("alice", "bob", "carol")
STUDENT_READABLE = {".venv", "rnncourse", "autograder", "lessons"}   # what students run and read
ROSTER = HUB / "roster.csv"


@dataclass
class DemoClass:
    port: int = 8000                                  # the hub's public port (hub API +1, proxy API +2)
    runtime: Path = HUB / "runtime"                   # hub database, cookie secret, pid files, log
    shared: Path = Path("/srv/nbgrader")              # exchange and the servers' Jupyter config
    state: Path = Path("/home") / INSTRUCTOR / "rnn-course-state"   # the instructor's grading state

    @classmethod
    def from_env(cls) -> "DemoClass":
        env = os.environ
        klass = cls()
        return cls(int(env.get("RNNHUB_PORT", klass.port)), Path(env.get("RNNHUB_RUNTIME", klass.runtime)),
                   Path(env.get("RNNHUB_SHARED", klass.shared)), Path(env.get("RNNHUB_STATE", klass.state)))

    def env(self) -> dict:
        return {"RNNHUB_PORT": str(self.port), "RNNHUB_RUNTIME": str(self.runtime),
                "RNNHUB_SHARED": str(self.shared), "RNNHUB_STATE": str(self.state)}

    @property
    def exchange(self) -> Path:
        return self.shared / "exchange"

    def jupyter_config(self, role: str) -> Path:
        return self.shared / "jupyter" / role

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def user_env(self, user: str) -> dict:
        """What the user's server (and nbgrader commands run as that user) see."""
        home = pwd.getpwnam(user).pw_dir
        env = {"HOME": home, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash", "LANG": "C.UTF-8",
               "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
               "JUPYTER_CONFIG_PATH": str(self.jupyter_config("instructor" if user == INSTRUCTOR else "student")),
               "PYTHONUNBUFFERED": "1"}
        if user == INSTRUCTOR:
            env.update(RNNCOURSE_STATE=str(self.state), RNNCOURSE_EXCHANGE=str(self.exchange))
        return env

    def user_cwd(self, user: str) -> str:
        """The instructor works in the course (nbgrader reads its nbgrader_config.py); students at home."""
        return str(REPO) if user == INSTRUCTOR else pwd.getpwnam(user).pw_dir


# --- set-up ---------------------------------------------------------------------------------------

def run(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def ensure_account(name: str) -> None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        run("useradd", "--create-home", "--home-dir", f"/home/{name}", "--comment", MARKER, "--shell", "/bin/bash", name)
        entry = pwd.getpwnam(name)
    if entry.pw_gecos.split(",")[0] != MARKER:
        raise SystemExit(f"refusing to use the existing account {name!r}: it was not made by this set-up "
                         f"(its comment is not {MARKER!r})")
    os.chmod(entry.pw_dir, 0o700)


def passwords() -> dict[str, str]:
    """Each demo account's password (made once, kept in hub/runtime/passwords.txt, root only)."""
    PASSWORDS.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    known = {}
    if PASSWORDS.is_file():
        known = dict(line.split(":", 1) for line in PASSWORDS.read_text().split() if ":" in line)
    users = (INSTRUCTOR, *STUDENTS)
    if set(users) - set(known):
        known.update({u: secrets.token_urlsafe(9) for u in users if u not in known})
        PASSWORDS.write_text("".join(f"{u}:{known[u]}\n" for u in users))
        os.chmod(PASSWORDS, 0o600)
        run("chpasswd", input="".join(f"{u}:{known[u]}\n" for u in users))
    return {u: known[u] for u in users}


def ensure_accounts() -> dict[str, str]:
    for user in (INSTRUCTOR, *STUDENTS):
        ensure_account(user)
    for student in STUDENTS:                          # private feedback (autograder/exchange.py)
        if student not in [g.gr_name for g in grp.getgrall() if INSTRUCTOR in g.gr_mem]:
            run("usermod", "--append", "--groups", student, INSTRUCTOR)
    fresh = not PASSWORDS.is_file()
    pw = passwords()
    if not fresh:   # passwords already set; make sure the accounts use them (cheap, idempotent)
        run("chpasswd", input="".join(f"{u}:{p}\n" for u, p in pw.items()))
    return pw


def protect_repository() -> None:
    """Students may reach STUDENT_READABLE only; the instructor's group everything."""
    staff = pwd.getpwnam(INSTRUCTOR).pw_gid
    # the checkout and the Python the .venv was made from (pyenv under /root, say) must be reachable:
    # traversable (x), not listable
    interpreter = (VENV_BIN / "python").resolve()
    for path in (REPO, interpreter.parent.parent):
        for parent in [path, *path.parents]:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                os.chmod(parent, stat.S_IMODE(mode) | stat.S_IXOTH)
    for entry in REPO.iterdir():
        if entry.is_symlink():
            continue
        mode = stat.S_IMODE(entry.stat().st_mode)
        if entry.name in STUDENT_READABLE:
            os.chmod(entry, mode | stat.S_IROTH | (stat.S_IXOTH if entry.is_dir() else 0))
            continue
        os.chown(entry, -1, staff)
        group = stat.S_IRGRP | (stat.S_IXGRP if entry.is_dir() else 0)
        os.chmod(entry, (mode | group) & ~0o007)
    runtime = HUB / "runtime"
    runtime.mkdir(exist_ok=True)
    os.chown(runtime, 0, 0)
    os.chmod(runtime, 0o700)


def write_configs(klass: DemoClass) -> None:
    common = (f"c = get_config()  # noqa: F821 - written by hub/democlass.py; edits are overwritten\n"
              f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
              f"c.Exchange.root = {str(klass.exchange)!r}\n"
              "c.Exchange.path_includes_course = True\n"
              "# Validate on a busy shared machine: a lesson's cells may wait for a core\n"
              "c.Execute.timeout = 300\n"
              "c.Execute.iopub_timeout = 60\n")
    student = klass.jupyter_config("student")
    instructor = klass.jupyter_config("instructor")
    files = {
        student / "nbgrader_config.py": common + 'c.ExchangeFactory.submit = "autograder.exchange.PrivateSubmit"\n',
        # students get the Assignments tab and Validate, not the instructor's tools
        student / "jupyter_server_config.py": (
            "c = get_config()  # noqa: F821\n"
            "c.ServerApp.jpserver_extensions = {'nbgrader.server_extensions.formgrader': False,\n"
            "                                   'nbgrader.server_extensions.course_list': False}\n"),
        student / "labconfig" / "page_config.json": (
            '{"disabledExtensions": {"@jupyter/nbgrader:formgrader": true, '
            '"@jupyter/nbgrader:course-list": true, "@jupyter/nbgrader:create-assignment": true}}\n'),
        instructor / "nbgrader_config.py": (
            common + 'c.ExchangeFactory.release_feedback = "autograder.exchange.PrivateReleaseFeedback"\n'),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
        os.chmod(path, 0o644)
    for folder in (klass.shared, klass.shared / "jupyter", student, student / "labconfig", instructor):
        os.chmod(folder, 0o755)


def setup(klass: DemoClass, roster: Path | None = ROSTER) -> dict[str, str]:
    """Everything the class needs, made or checked (idempotent). Returns the passwords."""
    if os.geteuid() != 0:
        raise SystemExit("the demo hub makes Unix accounts and runs servers as them: run it as root")
    pw = ensure_accounts()
    protect_repository()
    klass.shared.mkdir(parents=True, exist_ok=True)
    os.chmod(klass.shared, 0o755)
    klass.exchange.mkdir(exist_ok=True)
    os.chmod(klass.exchange, 0o1777)                  # nbgrader: ugo+rwx with the sticky bit
    write_configs(klass)
    owner = pwd.getpwnam(INSTRUCTOR)
    klass.state.mkdir(parents=True, exist_ok=True)
    os.chown(klass.state, owner.pw_uid, owner.pw_gid)
    os.chmod(klass.state, 0o700)
    imported = klass.state / "roster.json"
    if roster is not None and not (imported.is_file() and imported.stat().st_mtime >= roster.stat().st_mtime):
        as_user(klass, INSTRUCTOR, sys.executable, "-m", "autograder", "roster", "import", str(roster))
    return pw


def as_user(klass: DemoClass, user: str, *cmd: str, check: bool = True, timeout: float = 600,
            **kw) -> subprocess.CompletedProcess:
    """Run ``cmd`` as ``user`` with the environment and folder the user's hub server has."""
    env = klass.user_env(user)
    args = ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()], *cmd]
    proc = subprocess.run(args, cwd=klass.user_cwd(user), capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode:
        raise RuntimeError(f"as {user}: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n"
                           f"{proc.stderr[-3000:]}")
    return proc


# --- the hub process ------------------------------------------------------------------------------

def hub_command(klass: DemoClass) -> list[str]:
    return [str(VENV_BIN / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")]


def hub_environment(klass: DemoClass) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(klass.env(), PATH=f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}")
    return env


def running_pid(klass: DemoClass) -> int | None:
    try:
        pid = int((klass.runtime / "jupyterhub.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def start(klass: DemoClass) -> int:
    pw = setup(klass)
    klass.runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    logins = "\n".join(f"    {user:10} {password}" for user, password in pw.items())
    print(f"\nThe demo class's hub: {klass.url}   (log in as one of these; hub/runtime/passwords.txt)\n"
          f"{logins}\n")
    if running_pid(klass):
        print(f"already running (pid {running_pid(klass)}); stop it with `make hub-stop`")
        return 0
    print("Ctrl-C (or `make hub-stop`) stops the hub, the proxy and every user's server.\n", flush=True)
    os.chdir(klass.runtime)
    os.execve(hub_command(klass)[0], hub_command(klass), hub_environment(klass))


def stop(klass: DemoClass, timeout: float = 30) -> int:
    pid = running_pid(klass)
    if pid is None:
        print("no demo hub is running")
        return 0
    os.kill(pid, signal.SIGTERM)                      # the hub stops the users' servers and the proxy
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.3)
    if alive(pid):
        print(f"the hub (pid {pid}) did not stop in {timeout:.0f} s", file=sys.stderr)
        return 1
    print("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("setup", "start", "stop"))
    args = parser.parse_args(argv)
    klass = DemoClass.from_env()
    if args.action == "setup":
        setup(klass)
        print(f"demo class ready; start the hub with `make hub` ({klass.url})")
        return 0
    return start(klass) if args.action == "start" else stop(klass)


if __name__ == "__main__":
    sys.exit(main())
