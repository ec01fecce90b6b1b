"""What grading costs over running: the whole course, each lesson's solution as one submission.

For every assignment, one generated student submits the released notebooks with the reference
answers filled in (``run.make_class``); the script times

1. ``grade.grade_batch`` of that one submission with 1 worker, as a class is graded (the
   demonstration cells tagged ``skip-when-grading`` skipped), and again with ``full=True`` (every
   cell run, the grader's ``--full``): both include the two sandboxed kernels, the release rebuild,
   noise stripping, recording and feedback;
2. executing the same notebooks with ``nbclient`` alone (``run.bare_nbclient``: every cell, no grading),

and prints, per assignment, the three times, the ratios to bare execution, whether the two gradings
gave the same rows, and the peak RSS of the worker (grader + sandboxed kernels); then the totals
(target on 2 cores: grading <= 0.6x bare), with the load average at the start and the end. Never
part of the tests.

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

TARGET = 0.6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"course grading vs bare execution, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f} at start", flush=True)
    print(f"  {'assignment':<18} {'bare':>8} {'graded':>8} {'ratio':>6} {'in full':>8} {'ratio':>6}  same  peak RSS")
    rows = []
    for assignment in args.assignments or course.assignments():
        with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as tmp_name:
            tmp = Path(tmp_name)
            subs = make_class(course.SOLUTIONS, assignment, 1, tmp)
            graded, rss, results = ours(course.SOLUTIONS, assignment, subs, tmp, 1)
            in_full, _, full_results = ours(course.SOLUTIONS, assignment, subs, tmp, 1, full=True)
            bare = bare_nbclient(subs)
        r = results[0]
        same = [x.row() | {"duration_s": 0} for x in results] == [x.row() | {"duration_s": 0} for x in full_results]
        peak = max(rss.values()) / 1024 if rss else 0.0
        rows.append({"assignment": assignment, "graded_s": round(graded, 1), "full_s": round(in_full, 1),
                     "bare_s": round(bare, 1), "same_rows": same, "peak_rss_mib": round(peak),
                     "score": r.score, "max_score": r.max_score, "status": str(r.status)})
        print(f"  {assignment:<18} {bare:7.1f}s {graded:7.1f}s {graded / bare:5.2f}x {in_full:7.1f}s "
              f"{in_full / bare:5.2f}x  {'yes' if same else 'NO '}  {peak:5.0f} MiB  "
              f"score {r.score:g}/{r.max_score:g} {r.status}", flush=True)
    graded = sum(r["graded_s"] for r in rows)
    in_full = sum(r["full_s"] for r in rows)
    bare = sum(r["bare_s"] for r in rows)
    print(f"  {'whole course':<18} {bare:7.1f}s {graded:7.1f}s {graded / bare:5.2f}x {in_full:7.1f}s "
          f"{in_full / bare:5.2f}x  (target: graded <= {TARGET}x bare); load average "
          f"{os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "graded_s": graded, "full_s": in_full, "bare_s": bare},
                                        indent=1))
    ok = all(r["score"] == r["max_score"] and r["status"] == "graded" and r["same_rows"] for r in rows)
    return 0 if ok and graded <= TARGET * bare else 1


if __name__ == "__main__":
    raise SystemExit(main())
