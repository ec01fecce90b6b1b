"""Grading benchmark (``make bench``; never part of the tests).

On a generated class of N correct submissions of a TensorFlow lesson it measures, one after the
other on this machine:

1. stock ``nbgrader autograde`` (serial, no sandbox, nbgrader's default pipeline),
2. our grader with 1 worker and with one worker per core (sandbox, noise stripping, feedback,
   single-writer gradebook),
3. executing the same notebooks with ``nbclient`` alone (the floor: no grading at all),

and prints the times, the speed-ups, the grading overhead relative to bare execution, and the peak
memory of each grading worker (grader process + its sandboxed kernels), as PSS (a page the kernels
share counted once: what the worker occupies) and as the sum of the processes' RSS. Targets on 2 cores:
parallel >= 2.5x serial stock nbgrader, overhead (ours, 1 worker / bare) <= 0.6x (the demonstration
cells tagged skip-when-grading are skipped, as a class is graded).

    .venv/bin/python benchmarks/run.py [-n 6] [--lesson 01_sequences] [--workers 2]

The lesson defaults to solutions/01_sequences when it exists, else the TensorFlow fixture
tests/fixtures/course/00_noise. The machine's load average is printed: timings on a shared machine
are only comparable within one run.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import build, course, grade, scheduler  # noqa: E402
from autograder import notebooks as nbtools  # noqa: E402
from autograder.results import Options  # noqa: E402

FIXTURE_COURSE = REPO / "tests" / "fixtures" / "course"


def pick_lesson(name: str | None) -> tuple[Path, str]:
    if name:
        for source in (course.SOLUTIONS, FIXTURE_COURSE):
            if (source / name).is_dir():
                return source, name
        raise SystemExit(f"no lesson {name!r} in solutions/ or the fixture course")
    if any((course.SOLUTIONS / "01_sequences").glob("*.ipynb")):
        return course.SOLUTIONS, "01_sequences"
    return FIXTURE_COURSE, "00_noise"


def make_class(source: Path, assignment: str, n: int, tmp: Path) -> Path:
    """N students, each submitting the released notebooks with the reference answers filled in."""
    release = tmp / "release"
    build.generate(assignment, course.State(tmp / "gen", f"sqlite:///{tmp / 'gen.db'}", source), release)
    subs = tmp / "submissions"
    for nb_path in sorted((release / assignment).glob("*.ipynb")):
        answers = {nbtools.grade_meta(c).get("grade_id"): c.source
                   for c in nbtools.read(source / assignment / nb_path.name).cells
                   if nbtools.grade_meta(c).get("solution")}
        nb = nbtools.read(nb_path)
        for cell in nb.cells:
            gid = nbtools.grade_meta(cell).get("grade_id")
            if nbtools.grade_meta(cell).get("solution") and gid in answers:
                cell.source = "\n".join(line for line in answers[gid].splitlines()
                                        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        for i in range(n):
            (subs / f"student{i:03d}").mkdir(parents=True, exist_ok=True)
            nbtools.write(nb, subs / f"student{i:03d}" / nb_path.name)
    for extra in (source / assignment).iterdir():          # data files next to the notebooks
        if extra.is_file() and extra.suffix != ".ipynb":
            for i in range(n):
                shutil.copy(extra, subs / f"student{i:03d}" / extra.name)
    return subs


def stock_nbgrader(source: Path, assignment: str, subs: Path, tmp: Path) -> float:
    """Seconds for a plain ``nbgrader autograde`` of the whole class (setup not timed)."""
    root = tmp / "stock"
    shutil.copytree(source / assignment, root / "source" / assignment)
    for student in sorted(subs.iterdir()):
        shutil.copytree(student, root / "submitted" / student.name / assignment)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        "c.Execute.timeout = 600\n")
    nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(nbgrader + ["generate_assignment", assignment, "--force"], cwd=root, env=env,
                   check=True, capture_output=True)
    start = time.monotonic()
    subprocess.run(nbgrader + ["autograde", assignment, "--force"], cwd=root, env=env, check=True,
                   capture_output=True)
    return time.monotonic() - start


def bare_nbclient(subs: Path) -> float:
    """Seconds to execute every submitted notebook with nbclient alone, serially."""
    start = time.monotonic()
    for path in sorted(subs.rglob("*.ipynb")):
        nbtools.execute_plain(nbtools.read(path), path.parent)
    return time.monotonic() - start


def peak_memory_mib() -> dict[str, tuple[float, float]]:
    """{worker: (peak PSS, peak summed RSS) in MiB} of the last batch (``worker.PeakRSS``)."""
    run = grade.last_run
    return {w: (run.peak_total_pss_kib.get(w, 0) / 1024, kib / 1024) for w, kib in run.peak_total_rss_kib.items()}


def ours(source: Path, assignment: str, subs: Path, tmp: Path, workers: int,
         full: bool = False) -> tuple[float, dict, list]:
    """Seconds to grade ``subs`` with ``workers``, the peak memory per worker (``peak_memory_mib``),
    the rows; ``full`` runs the demonstration cells grading skips."""
    name = f"ours{workers}{'-full' if full else ''}"
    state = course.State(tmp / name, f"sqlite:///{tmp / f'{name}.db'}", source)
    build.generate(assignment, state, state.root / "release")       # as a previous batch would have
    start = time.monotonic()
    results = grade.grade_batch(assignment, subs, tmp / f"out-{name}", Options(state, notebook_timeout=1200, full=full),
                                workers=workers, progress=False)
    return time.monotonic() - start, peak_memory_mib(), results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=6, help="students in the generated class")
    parser.add_argument("--lesson", default=None)
    parser.add_argument("--workers", type=int, default=scheduler.default_workers())
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()

    source, assignment = pick_lesson(args.lesson)
    print(f"lesson {assignment} ({source.relative_to(REPO)}), class of N={args.n}, {args.workers} workers, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as tmp_name:
        tmp = Path(tmp_name)
        subs = make_class(source, assignment, args.n, tmp)
        t_stock = stock_nbgrader(source, assignment, subs, tmp)
        print(f"  stock nbgrader autograde, serial      {t_stock:8.1f} s", flush=True)
        t_one, memory_one, res_one = ours(source, assignment, subs, tmp, 1)
        print(f"  ours, 1 worker                        {t_one:8.1f} s", flush=True)
        t_par, memory_par, res_par = ours(source, assignment, subs, tmp, args.workers)
        print(f"  ours, {args.workers} workers                       {t_par:8.1f} s", flush=True)
        t_bare = bare_nbclient(subs)
        print(f"  nbclient alone (bare execution)       {t_bare:8.1f} s", flush=True)
    same = [r.row() | {"duration_s": 0} for r in res_one] == [r.row() | {"duration_s": 0} for r in res_par]
    scores = sorted({(r.score, r.max_score, r.status) for r in res_par})
    peak = max(pss for pss, _ in memory_par.values())
    figures = {
        "lesson": assignment, "n": args.n, "workers": args.workers, "cores": os.cpu_count(),
        "stock_serial_s": t_stock, "ours_1_worker_s": t_one, "ours_parallel_s": t_par, "bare_nbclient_s": t_bare,
        "speedup_parallel_vs_stock": t_stock / t_par, "speedup_parallel_vs_ours_1": t_one / t_par,
        "overhead_vs_bare": t_one / t_bare, "peak_pss_rss_mib_per_worker": memory_par,
        "peak_pss_mib_1_worker": max(pss for pss, _ in memory_one.values()), "parallel_equals_serial": same,
        "load_average_end": os.getloadavg()[0],
    }
    print(f"\nspeed-up, {args.workers} workers vs serial stock nbgrader  {figures['speedup_parallel_vs_stock']:.2f}x"
          f"   (target >= 2.5x on 2 cores)")
    print(f"speed-up, {args.workers} workers vs ours with 1 worker    {figures['speedup_parallel_vs_ours_1']:.2f}x")
    print(f"overhead, ours (1 worker) / bare nbclient     {figures['overhead_vs_bare']:.2f}x   (target <= 0.6x)")
    for worker, (pss, rss) in sorted(memory_par.items()):
        print(f"peak memory, worker {worker:<21} {pss:7.0f} MiB PSS, {rss:5.0f} MiB RSS summed (grader + kernels)")
    print(f"peak memory (PSS), largest worker             {peak:7.0f} MiB   (target <= 1536 MiB)")
    print(f"results with {args.workers} workers identical to 1 worker: {same}; (score, max, status): {scores}")
    print(f"load average {figures['load_average_end']:.1f} at the end (a shared machine inflates every time above)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
