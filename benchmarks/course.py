"""What grading costs over running: the whole course, each lesson's solution as one submission.

For every assignment, one generated student submits the released notebooks with the reference
answers filled in (``run.make_class``); the script times

1. ``grade.grade_batch`` of that one submission with 1 worker (the two sandboxed kernels, the
   release rebuild, noise stripping, recording, feedback), and
2. executing the same notebooks with ``nbclient`` alone (``run.bare_nbclient``: the floor),

and prints both per assignment, the totals and their ratio (target on 2 cores: <= 1.3x), with the
load average at the start and the end. Never part of the tests.

    .venv/bin/python benchmarks/course.py [ASSIGNMENT ...] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import course  # noqa: E402
from run import bare_nbclient, make_class, ours  # noqa: E402

TARGET = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"course grading vs bare execution, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f} at start", flush=True)
    rows = []
    for assignment in args.assignments or course.assignments():
        with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as tmp_name:
            tmp = Path(tmp_name)
            subs = make_class(course.SOLUTIONS, assignment, 1, tmp)
            graded, _, results = ours(course.SOLUTIONS, assignment, subs, tmp, 1)
            bare = bare_nbclient(subs)
        r = results[0]
        rows.append({"assignment": assignment, "graded_s": round(graded, 1), "bare_s": round(bare, 1),
                     "score": r.score, "max_score": r.max_score, "status": str(r.status)})
        print(f"  {assignment:<18} graded {graded:7.1f} s  bare {bare:7.1f} s  {graded / bare:5.2f}x  "
              f"score {r.score:g}/{r.max_score:g} {r.status}", flush=True)
    graded = sum(r["graded_s"] for r in rows)
    bare = sum(r["bare_s"] for r in rows)
    print(f"  {'whole course':<18} graded {graded:7.1f} s  bare {bare:7.1f} s  {graded / bare:5.2f}x "
          f"(target <= {TARGET}x); load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "graded_s": graded, "bare_s": bare}, indent=1))
    full = all(r["score"] == r["max_score"] and r["status"] == "graded" for r in rows)
    return 0 if full and graded <= TARGET * bare else 1


if __name__ == "__main__":
    raise SystemExit(main())
