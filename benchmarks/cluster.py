"""A class graded on a Dask cluster: measured on a local one, projected for 300 students.

N generated students (default 4) each submit every lesson with the reference answers filled in
(``run.make_class``). The whole course is graded on a ``distributed.LocalCluster`` of one worker
process per core (one thread each, one CPU thread per kernel), one ``grade_batch`` per assignment,
as an instructor would run it against a real cluster with ``--scheduler``. It prints the wall time,
the worker time each student cost (the sum of the rows' own times) and each worker's peak PSS, then a
projection for a class of 300 on k machines.

The projection's assumptions, stated where it is printed: machines like this one (same cores, same
speed), one Dask worker per core, every worker busy until the class is done (300 students is many
submissions per worker), a student costing the worker time measured here once a worker has graded
its first submission of an assignment, plus one first submission's extra (its checker kernel's start)
per worker and assignment, and the same scheduling overhead per submission as measured here. Never
part of the tests.

    .venv/bin/python benchmarks/cluster.py [ASSIGNMENT ...] [-n 4] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import build, course, grade, scheduler  # noqa: E402
from autograder.results import Options  # noqa: E402
from run import make_class  # noqa: E402

CLASS = 300
MACHINES = (1, 2, 5, 10, 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: the whole course")
    parser.add_argument("-n", type=int, default=4, help="students in the generated class")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from distributed import LocalCluster

    cores = scheduler.default_workers()
    print(f"the whole course, {args.n} students, on a local Dask cluster of {cores} workers x 1 thread "
          f"({cores} cores), load average {os.getloadavg()[0]:.2f} at start", flush=True)
    rows, wall, per_assignment = [], 0.0, {}
    with tempfile.TemporaryDirectory(prefix="rnncourse-cluster-") as tmp_name, \
            LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None,
                         memory_limit="3GiB") as cluster:
        tmp = Path(tmp_name)
        state = course.State(tmp / "state", f"sqlite:///{tmp / 'gradebook.db'}", course.SOLUTIONS)
        for assignment in args.assignments or course.assignments():
            subs = make_class(course.SOLUTIONS, assignment, args.n, tmp / assignment)
            build.generate(assignment, state, state.root / "release")
            start = time.monotonic()
            results = grade.grade_batch(assignment, subs, tmp / "out" / assignment,
                                        Options(state, notebook_timeout=1200, kernel_threads=1),
                                        progress=False, scheduler=cluster.scheduler_address)
            took = time.monotonic() - start
            wall += took
            times = sorted(r.duration_s for r in results)
            rss = max(grade.last_run.peak_total_pss_kib.values(), default=0) / 1024
            full = all(r.score == r.max_score for r in results)
            per_assignment[assignment] = {"wall_s": round(took, 1), "row_s": [round(t, 1) for t in times],
                                          "peak_pss_mib": round(rss), "full_marks": full}
            rows += results
            print(f"  {assignment:<18} {took:6.1f} s wall, rows {min(times):5.1f}-{max(times):5.1f} s, "
                  f"peak PSS {rss:5.0f} MiB{'' if full else ', NOT FULL MARKS'}", flush=True)
    worker_s = sum(r.duration_s for r in rows)
    # a worker's first submission of an assignment costs more (its checker starts): the extra, per assignment
    extra = sum(max(v["row_s"]) - min(v["row_s"]) for v in per_assignment.values())
    steady = (worker_s - extra * min(cores, args.n)) / args.n      # one student, all lessons, checkers warm
    overhead = max(0.0, wall * cores - worker_s) / (args.n * len(per_assignment))   # per submission, outside rows
    print(f"  whole course: {wall:.1f} s wall for {args.n} students; {worker_s / args.n:.1f} s of worker time a "
          f"student ({steady:.1f} s once the workers' checkers are warm); load average {os.getloadavg()[0]:.2f}")
    print(f"\nprojection, a class of {CLASS} on k machines like this one ({cores} cores, one Dask worker a core):")
    print("  assumptions: same speed per worker as measured here; every worker busy until the end; per student "
          f"{steady:.1f} s of worker time, plus {extra:.1f} s once per worker (checker starts, all lessons) and "
          f"{overhead:.1f} s per submission outside the rows (scheduling, recording, and workers idle at "
          "each assignment's end: a small class overstates it)")
    projection = {}
    for k in MACHINES:
        workers = k * cores
        per_worker = math.ceil(CLASS / workers)
        seconds = per_worker * (steady + overhead * len(per_assignment)) + extra
        projection[k] = round(seconds)
        print(f"  k = {k:>2}: {workers:>3} workers, {per_worker:>3} students each: about {seconds / 60:5.1f} min")
    if args.json:
        args.json.write_text(json.dumps({"n": args.n, "cores": cores, "wall_s": wall, "worker_s": worker_s,
                                         "steady_student_s": steady, "first_extra_s": extra,
                                         "overhead_per_submission_s": overhead, "assignments": per_assignment,
                                         "projection_300_s": projection}, indent=1))
    return 0 if all(v["full_marks"] for v in per_assignment.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
