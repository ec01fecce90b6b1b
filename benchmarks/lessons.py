"""Time every lesson notebook from a cold kernel, against the course budgets.

Budgets (2 CPU cores): each notebook <= 30 s top to bottom, the whole course <= 200 s.
Usage: .venv/bin/python benchmarks/lessons.py [ASSIGNMENT ...] [--json PATH]
Prints one line per notebook (wall and CPU seconds) and the total; exit status 1 if over budget.
Run it on an otherwise idle machine: timings on a loaded machine say little.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import course  # noqa: E402
from autograder import notebooks as nbtools  # noqa: E402

NOTEBOOK_BUDGET_S = 30
COURSE_BUDGET_S = 200


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_one(assignment: str, name: str) -> dict:
    nb = nbtools.read(course.SOLUTIONS / assignment / f"{name}.ipynb")
    with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as tmp:
        shutil.copytree(course.SOLUTIONS / assignment, tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.ipynb"))
        cpu0, t0 = children_cpu(), time.perf_counter()
        nbtools.execute_plain(nb, Path(tmp), allow_errors=False)
        wall = time.perf_counter() - t0
    return {"notebook": f"{assignment}/{name}", "wall_s": round(wall, 1), "cpu_s": round(children_cpu() - cpu0, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"lesson execution on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    rows = []
    for assignment in args.assignments or course.assignments():
        for name in course.notebooks(assignment):
            row = run_one(assignment, name)
            flag = "" if row["wall_s"] <= NOTEBOOK_BUDGET_S else f"  OVER {NOTEBOOK_BUDGET_S} s"
            print(f"  {row['notebook']:<40} {row['wall_s']:6.1f} s wall {row['cpu_s']:6.1f} s CPU{flag}", flush=True)
            rows.append(row)
    total = sum(r["wall_s"] for r in rows)
    print(f"  {'whole course':<40} {total:6.1f} s wall (budget {COURSE_BUDGET_S} s)")
    if args.json:
        args.json.write_text(json.dumps({"notebooks": rows, "total_wall_s": total}, indent=1))
    over = any(r["wall_s"] > NOTEBOOK_BUDGET_S for r in rows) or total > COURSE_BUDGET_S
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
