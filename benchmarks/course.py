"""What grading costs over running: the whole course, lesson by lesson, per submission.

For every assignment, N generated students (default 2) submit the released notebooks with the
reference answers filled in (``run.make_class``); the script times

1. executing one submission's notebooks with ``nbclient`` alone (``run.bare_nbclient``: every
   cell, no grading): what a student's own run costs;
2. ``grade.grade_batch`` of the N submissions with 1 worker, as a class is graded (the
   demonstration cells tagged ``skip-when-grading`` skipped): each row's own time, the first
   submission's (its worker starts the checker kernel) and the later ones' (the checker kept warm
   from the submission before, ``autograder/checkerpool.py``: what every submission after a worker's
   first costs);
3. the first submission again with ``full=True`` (every cell run, the grader's ``--full``).

Gradings include the two sandboxed kernels, the release rebuild, noise stripping, recording and
feedback. It prints, per assignment, the times, the ratios to bare execution, whether skipping and
running in full gave the same row, and the peak memory of the worker (grader + sandboxed kernels) as
PSS (a page the two kernels share counted once) and as the sum of the processes' RSS; then
the totals (target on 2 cores: a submission graded <= 0.6x its bare run), with the load average at
the start and the end. Never part of the tests.

    .venv/bin/python benchmarks/course.py [ASSIGNMENT ...] [-n 2] [--json PATH]
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


def _bare_one(subs: Path) -> float:
    """Seconds for nbclient alone to run the first student's notebooks."""
    first = sorted(p for p in subs.iterdir() if p.is_dir())[0]
    return bare_nbclient(first)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("-n", type=int, default=2, help="students per assignment (at least 2)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    n = max(2, args.n)
    print(f"course grading vs bare execution, {os.cpu_count()} cores, {n} submissions per lesson graded by "
          f"1 worker, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    print(f"  {'assignment':<18} {'bare':>7} {'1st':>7} {'later':>7} {'ratio':>6} {'in full':>8} {'ratio':>6}"
          "  same  peak PSS (RSS summed)")
    rows = []
    for assignment in args.assignments or course.assignments():
        with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as tmp_name:
            tmp = Path(tmp_name)
            subs = make_class(course.SOLUTIONS, assignment, n, tmp)
            bare = _bare_one(subs)
            _, memory, results = ours(course.SOLUTIONS, assignment, subs, tmp, 1)
            one = tmp / "one"
            one.mkdir()
            first_student = sorted(p for p in subs.iterdir() if p.is_dir())[0]
            first_student.rename(one / first_student.name)
            in_full, _, full_results = ours(course.SOLUTIONS, assignment, one, tmp, 1, full=True)
        results = sorted(results, key=lambda r: r.student_id)
        first, later = results[0].duration_s, [r.duration_s for r in results[1:]]
        graded = sum(later) / len(later)
        same = [x.row() | {"duration_s": 0} for x in results[:1]] == [x.row() | {"duration_s": 0} for x in full_results]
        peak, peak_rss = max(memory.values()) if memory else (0.0, 0.0)
        full_marks = all(r.score == r.max_score and str(r.status) == "graded" for r in results)
        rows.append({"assignment": assignment, "bare_s": round(bare, 1), "first_s": round(first, 1),
                     "graded_s": round(graded, 1), "full_s": round(in_full, 1), "same_rows": same,
                     "peak_pss_mib": round(peak), "peak_rss_mib": round(peak_rss),
                     "full_marks": full_marks})
        print(f"  {assignment:<18} {bare:6.1f}s {first:6.1f}s {graded:6.1f}s {graded / bare:5.2f}x {in_full:7.1f}s "
              f"{in_full / bare:5.2f}x  {'yes' if same else 'NO '}  {peak:5.0f} MiB ({peak_rss:.0f})"
              f"{'' if full_marks else '  NOT FULL MARKS'}", flush=True)
    total = {k: sum(r[k] for r in rows) for k in ("bare_s", "first_s", "graded_s", "full_s")}
    peak = max(r["peak_pss_mib"] for r in rows)
    print(f"  {'whole course':<18} {total['bare_s']:6.1f}s {total['first_s']:6.1f}s {total['graded_s']:6.1f}s "
          f"{total['graded_s'] / total['bare_s']:5.2f}x {total['full_s']:7.1f}s {total['full_s'] / total['bare_s']:5.2f}x"
          f"        {peak:5.0f} MiB")
    print(f"  a submission after a worker's first costs {total['graded_s'] / total['bare_s']:.2f}x its bare run "
          f"(target <= {TARGET}x); a worker's first {total['first_s'] / total['bare_s']:.2f}x; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, **total}, indent=1))
    ok = all(r["full_marks"] and r["same_rows"] for r in rows)
    return 0 if ok and total["graded_s"] <= TARGET * total["bare_s"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
