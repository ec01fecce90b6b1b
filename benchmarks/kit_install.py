"""What setting up the student kit costs: install time and disk, with pip (what install.py uses) and uv.

Publishes the kit into a temporary folder, then

1. runs ``python install.py`` there as a student does (a new ``.venv``, pip with the kit's
   requirements and constraints), with pip's cache off so that nothing is reused from earlier runs;
2. installs the same pins into a second new environment with ``uv pip install`` (``--no-cache``),
   uv itself taken from the package index into a throw-away environment first;

and prints, for each, the wall time and the size of the environment. The package index is the one
pip is configured with (``pip config list``: index-url, extra-index-url, find-links), passed to uv
as flags, so both read the same files. Never part of the tests; run it on an otherwise idle machine.

    .venv/bin/python benchmarks/kit_install.py [--python python3.12] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import publish  # noqa: E402


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


#: pip's index settings and the uv flag for each
UV_FLAG = {"index-url": "--default-index", "extra-index-url": "--index", "find-links": "--find-links"}


def pip_index_flags() -> list[str]:
    """pip's configured index as uv flags (uv does not read pip.conf)."""
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    flags = []
    for line in out.splitlines():
        key, _, value = line.partition("=")
        flag = UV_FLAG.get(key.split(".", 1)[-1])
        if flag:
            for v in value.strip().strip("'\"").split():
                flags += [flag, v]
    return flags


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the Python a student runs install.py with")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    env = dict(os.environ, PIP_NO_CACHE_DIR="1")
    rows = {}
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rnncourse-kit-bench-") as tmp:
        kit = Path(tmp) / "rnn-course"
        publish.publish(kit)
        seconds, done = timed([args.python, "install.py"], kit, env)
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return 1
        rows["pip (install.py)"] = {"seconds": round(seconds, 1), "mib": round(size_mib(kit / ".venv"), 1)}
        shutil.rmtree(kit / ".venv")

        tools = Path(tmp) / "uv-tool"
        subprocess.run([args.python, "-m", "venv", str(tools)], check=True)
        subprocess.run([str(tools / "bin" / "python"), "-m", "pip", "install", "-q", "uv"], check=True, env=env)
        uv = str(tools / "bin" / "uv")
        target = Path(tmp) / "uv-env"
        flags = pip_index_flags()
        t0 = time.perf_counter()             # the environment and the install, as install.py's time has both
        subprocess.run([uv, "venv", "-q", "--python", args.python, str(target)], check=True, env=env)
        done = subprocess.run([uv, "pip", "install", "-q", "--no-cache", "--python", str(target / "bin" / "python"),
                               *flags, "--index-strategy", "unsafe-best-match",   # as pip: every index
                               "-r", "requirements.txt", "-c", "constraints.txt"],
                              cwd=kit, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return 1
        rows["uv pip install"] = {"seconds": round(seconds, 1), "mib": round(size_mib(target), 1)}
    load1 = os.getloadavg()
    print(f"{'installer':<18} {'seconds':>8} {'MiB':>8}")
    for name, row in rows.items():
        print(f"{name:<18} {row['seconds']:>8.1f} {row['mib']:>8.0f}")
    print(f"load average {load0[0]:.2f} at the start, {load1[0]:.2f} at the end; {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "load": [load0[0], load1[0]]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
