"""Sandbox overhead: grading a correct lesson-01 submission in the sandbox vs nbclient alone.

    .venv/bin/python benchmarks/sandbox_overhead.py [--assignment 01_sequences] [--repeat 1]

Prints the time of (a) the solution notebook executed by plain nbclient (no sandbox, no nbgrader),
(b) `grade_batch` of the same notebook as one student's submission (intake, sanitize, sandboxed
kernels with cgroup limits, nbgrader scoring, gradebook, feedback) and the
ratio b/a. Target: <= 1.3.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import build, course, grade  # noqa: E402
from autograder import notebooks as nbtools  # noqa: E402
from autograder.results import Options  # noqa: E402


def plain(path: Path) -> float:
    nb = nbtools.read(path)
    start = time.monotonic()
    nbtools.execute_plain(nb, path.parent)
    return time.monotonic() - start


def sandboxed(assignment: str, path: Path, source: Path) -> tuple[float, str]:
    tmp = Path(tempfile.mkdtemp(prefix="rnncourse-bench-"))
    try:
        state = course.State.from_env(tmp / "state", source=source)
        (tmp / "subs" / "student").mkdir(parents=True)
        shutil.copy(path, tmp / "subs" / "student" / path.name)
        build.generate(assignment, state, tmp / "release")   # not timed: done once per batch
        start = time.monotonic()
        [r] = grade.grade_batch(assignment, tmp / "subs", tmp / "out",
                                Options(state, cell_timeout=600, notebook_timeout=1800),
                                workers=1, progress=False)
        return time.monotonic() - start, f"{r.score}/{r.max_score} {r.status}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assignment", default="01_sequences")
    ap.add_argument("--source", default=str(course.SOLUTIONS))
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    source = Path(args.source)
    [path] = sorted((source / args.assignment).glob("*.ipynb"))[:1]
    a = min(plain(path) for _ in range(args.repeat))
    runs = [sandboxed(args.assignment, path, source) for _ in range(args.repeat)]
    b, outcome = min(runs)
    print(f"{args.assignment}: nbclient alone {a:.1f} s; sandboxed grade {b:.1f} s ({outcome}); "
          f"ratio {b / a:.2f} (target <= 1.30)")
    return 0


if __name__ == "__main__":
    main()
