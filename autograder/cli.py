"""``python -m autograder <command>``: the instructor's and the lesson author's entry point."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import config, course


def cmd_build(args) -> int:
    from autograder import build

    state = course.State.from_env(args.state, args.db)
    assignments = args.assignments or course.assignments()
    try:
        for path in build.build(assignments, state):
            print(f"built {path.relative_to(course.REPO)}")
    except build.BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.no_measure:
        return 0
    status = 0
    for assignment in assignments:
        status |= measure_calls(assignment, state)
    return status


def measure_calls(assignment: str, state: course.State) -> int:
    """Measure the model solution's calls in ``assignment`` (calltimes.py) and say what came of it."""
    from autograder import calltimes

    measured = calltimes.measure(assignment, state)
    for m in measured:
        print(calltimes.summary(assignment, m))
        for problem in m.problems(assignment):
            print(f"error: {problem}", file=sys.stderr)
    return int(any(m.failed for m in measured))


def cmd_fmt(args) -> int:
    from autograder import build

    changed = build.format_sources()
    for path in changed:
        print(f"normalised {path.relative_to(course.REPO)}")
    print(f"{len(changed)} notebook(s) changed")
    return 0


def cmd_check(args) -> int:
    from autograder import harness

    status = 0
    for assignment in args.assignments or course.assignments():
        result = harness.check(assignment, workers=args.workers, progress=True)
        print(f"\n== {assignment}")
        for nb, cells in result.test_cells.items():
            for gid, points in cells.items():
                sol = result.solution.get(nb, {}).get(gid)
                blank = result.blank.get(nb, {}).get(gid)
                replay = result.replay.get(nb, {}).get(gid, "no hidden tests")
                print(f"  {nb}/{gid:<36} points {points:>4g}  solution {sol}  blank {blank}  hard-coded: {replay}")
        for step, seconds in result.seconds.items():
            print(f"  time  {step:<36} {seconds:6.1f} s")
        failures = result.failures()
        for failure in failures:
            print(f"  FAIL  {failure}")
        print(f"  {'OK' if not failures else f'{len(failures)} problem(s)'}")
        status |= bool(failures)
    return status


def cmd_grade(args) -> int:
    from autograder import build, grade, intake, report, sandbox
    from autograder.results import Options

    if args.unsafe:
        sandbox.warn_unsafe()
    else:
        try:
            sandbox.check_available()
        except sandbox.SandboxUnavailable as exc:
            print(f"error: {exc}\nRefusing to run untrusted student code without a sandbox. "
                  "Install bubblewrap (`make setup`), or pass --unsafe if you trust every submission.",
                  file=sys.stderr)
            return 2
    state = course.State.from_env(args.state, args.db, **({"source": Path(args.source)} if args.source else {}))
    opts = Options(state, unsafe=args.unsafe, cell_timeout=args.cell_timeout,
                         notebook_timeout=args.notebook_timeout, regrade=args.regrade,
                         kernel_threads=args.kernel_threads, full=args.full, fresh_checkers=args.fresh_checkers)
    try:
        results = grade.grade_batch(args.assignment, Path(args.submissions), Path(args.out), opts,
                                    workers=args.workers, progress=not args.quiet,
                                    scheduler=args.scheduler)
    except (intake.IntakeError, build.BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = class_notes(results, state, args.assignment, Path(args.out))
    print(report.table(results))
    print(f"\nwrote {Path(args.out) / 'grades.csv'} and feedback in {Path(args.out) / 'feedback'}")
    return 0


def class_notes(results, state, assignment: str, out: Path):
    """Flag students not on the roster and note late submissions in grades.csv."""
    from autograder import grades_csv, late, roster

    if not results:
        return results
    results = roster.flag_unrostered(results, state)
    results = late.note_late(results, late.assess(state, assignment, [r.student_id for r in results]))
    out.mkdir(parents=True, exist_ok=True)
    grades_csv.write(results, out / "grades.csv")
    return results


def cmd_roster(args) -> int:
    from autograder import roster

    state = course.State.from_env(args.state, args.db)
    try:
        students = roster.read_csv(Path(args.csv))
    except (OSError, roster.RosterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    roster.import_roster(students, state)
    print(f"imported {len(students)} student(s) into the gradebook: "
          + ", ".join(f"{s.id} ({s.first_name or ''} {s.last_name or ''})".replace(" )", ")") for s in students))
    return 0


def cmd_export(args) -> int:
    from autograder import export

    state = course.State.from_env(args.state, args.db)
    table = export.write(state, Path(args.out))
    print(f"wrote {args.out}: {len(table)} student(s)")
    return 0


def cmd_report(args) -> int:
    from autograder import grades_csv, report

    state = course.State.from_env(args.state, args.db)
    results = grades_csv.read(Path(args.grades) / "grades.csv")
    paths = report.class_report(state, args.assignment, results, Path(args.out),
                                id_column=args.id_column, score_column=args.score_column)
    for kind, path in paths.items():
        print(f"{kind:>5}: {path}")
    return 0


def cmd_demo(args) -> int:
    from autograder import demo

    return demo.main(Path(args.out), workers=args.workers)


def cmd_publish(args) -> int:
    from autograder import publish

    try:
        result = publish.publish(Path(args.dir), args.lessons or None,
                                 zip_path=Path(args.zip) if args.zip else None, git=args.git)
    except publish.PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the student kit to {result['folder']}: {len(result['files'])} files, "
          f"{result['bytes'] / 1e6:.2f} MB, lessons {', '.join(result['lessons'])}")
    if "zip" in result:
        print(f"zip for the LMS: {result['zip']} ({result['zip'].stat().st_size / 1e6:.2f} MB)")
    if args.git:
        print(f"committed {result['commit']}" if result["commit"] else "git: nothing changed since the last publish")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="regenerate lessons/ from solutions/ (nbgrader generate_assignment)")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--state", default=None, help="grading state folder (default .grading or $RNNCOURSE_STATE)")
    p.add_argument("--db", default=None, help="gradebook SQLAlchemy URL (default SQLite in the state folder)")
    p.add_argument("--no-measure", action="store_true",
                   help="do not measure the model solution's calls (each test's time limit per call of the "
                        "student's code; about as long as grading the solutions once)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("fmt", help="normalise notebook JSON in solutions/ (no outputs, stable ids)")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser("check", help="run the lesson harness (solution passes, blank fails, no hard-coding)")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("grade", help="autograde a folder or LMS zip of submissions")
    p.add_argument("assignment")
    p.add_argument("submissions", help="folder with <student>/<notebook>.ipynb, or a zip of it")
    p.add_argument("--out", default="grading_output", help="where grades.csv and feedback go")
    p.add_argument("--workers", type=int, default=None,
                   help="submissions graded in parallel on this machine (default: one per core)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="grade on an existing Dask cluster, e.g. tcp://head-node:8786 (see README)")
    p.add_argument("--state", default=None, help="grading state folder (default .grading or $RNNCOURSE_STATE)")
    p.add_argument("--db", default=None, help="gradebook SQLAlchemy URL (default SQLite in the state folder)")
    p.add_argument("--source", default=None,
                   help="nbgrader source folder with <assignment>/<notebook>.ipynb (default solutions/)")
    p.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (5 times that for a read-only cell)")
    p.add_argument("--notebook-timeout", type=int, default=300, help="seconds per notebook")
    p.add_argument("--kernel-threads", type=int, default=0,
                   help="CPU threads per notebook kernel (default: cores // workers on this machine; "
                        "with --scheduler: the libraries' own default)")
    p.add_argument("--unsafe", action="store_true",
                   help="DANGER: run student code without the sandbox (only for trusted notebooks)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--full", action="store_true",
                   help="also run the demonstration cells tagged skip-when-grading (no test needs them; "
                        "the scores are the same, see CONTRIBUTING.md); with --regrade for a batch graded before")
    p.add_argument("--fresh-checkers", action="store_true",
                   help="start a new checker kernel for every notebook instead of keeping one warm between "
                        "the notebooks a worker grades (slower; the scores are the same)")
    p.add_argument("--regrade", action="store_true",
                   help="grade every submission again, even those the journal already holds unchanged "
                        "(by default a re-run grades only new, changed or unfinished submissions)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="class report: score histogram, per-check pass rates, flags, LMS CSV")
    p.add_argument("assignment")
    p.add_argument("--grades", default="grading_output", help="the --out folder of `grade` (reads grades.csv)")
    p.add_argument("--out", default=None, help="where report.html, items.csv, lms.csv go (default: GRADES/report)")
    p.add_argument("--state", default=None)
    p.add_argument("--db", default=None)
    p.add_argument("--id-column", default="student_id", help="LMS export: name of the student id column")
    p.add_argument("--score-column", default="score", help="LMS export: name of the score column")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("roster", help="import the class roster from an LMS export (names in formgrader)")
    p.add_argument("action", choices=["import"])
    p.add_argument("csv", help="roster CSV: Canvas/Moodle export or nbgrader's id,first_name,last_name,email")
    p.add_argument("--state", default=None)
    p.add_argument("--db", default=None)
    p.set_defaults(func=cmd_roster)

    p = sub.add_parser("export", help="final grades of everyone on the roster (0 if not submitted)")
    p.add_argument("--out", default="class_grades.csv")
    p.add_argument("--state", default=None)
    p.add_argument("--db", default=None)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="the end-to-end demo: build lessons, grade a simulated class, report")
    p.add_argument("--out", default="demo_output")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("publish", help="write the student kit (released lessons, helpers, README; no answers)")
    p.add_argument("dir", help="the kit folder (created, or replaced if it holds a previous kit)")
    p.add_argument("--lessons", nargs="*", metavar="LESSON",
                   help="publish only these lessons, by id or number (e.g. 01 02 03); default: all")
    p.add_argument("--zip", default=None, metavar="FILE", help="also write the kit as a zip, e.g. for an LMS upload")
    p.add_argument("--git", action="store_true",
                   help="make DIR a git repository (initialised or updated) and commit this publish")
    p.set_defaults(func=cmd_publish)

    args = parser.parse_args(argv)
    if getattr(args, "command", None) == "report" and args.out is None:
        args.out = str(Path(args.grades) / "report")
    config.prepare_nbgrader()        # nbgrader's executables on PATH, its schema head asked once
    return args.func(args)
