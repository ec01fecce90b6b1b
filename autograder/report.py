"""Report step: the class table printed after a batch, the grade distribution, and the class report
(item analysis from the gradebook, flagged submissions, grading times, an LMS import file)."""
from __future__ import annotations

import textwrap
from pathlib import Path

from autograder.results import Status
from autograder.roster import NOT_ON_ROSTER

#: words of a ``graded`` row's message that an instructor should look at (restored tests, a
#: submission time that is not a date or not plausible)
FLAG_WORDS = ("restored", "timestamp.txt")


def needs_review(results) -> list:
    """The submissions the report flags: not plainly graded, or graded with a message worth a look."""
    return [r for r in results if r.status != Status.GRADED or any(w in r.message.lower() for w in FLAG_WORDS)
            or r.message.startswith(NOT_ON_ROSTER)]


def table(results) -> str:
    header = f"{'student':<18} {'score':>11}  {'status':<12} message"
    lines = [header, "-" * len(header)]
    for r in results:
        score = f"{r.score:g} / {r.max_score:g}"
        message = textwrap.shorten(r.message, width=90, placeholder=" …")
        lines.append(f"{r.student_id:<18} {score:>11}  {r.status:<12} {message}")
    graded = [r for r in results if r.status in (Status.GRADED, Status.TIMEOUT)]
    if graded:
        mean = sum(r.score for r in graded) / len(graded)
        lines.append("-" * len(header))
        lines.append(f"{len(results)} submission(s), {len(graded)} graded, mean autograded score {mean:.2f}")
    return "\n".join(lines)


def distribution_plot(results, path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    max_score = max((r.max_score for r in results), default=1) or 1
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=110)
    scores = [100 * r.score / max_score for r in results]
    ax.hist(scores, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#4c72b0", edgecolor="white")
    ax.set_xlabel("autograded score (% of maximum)")
    ax.set_ylabel("students")
    ax.set_title(title)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# --- the class report (python -m autograder report) -------------------------------------------

def item_analysis(state, assignment: str) -> list[dict]:
    """Per autograded test cell: points, how many submissions got full marks, and the pass rate."""
    from nbgrader.api import Gradebook

    from autograder import course

    items: dict[tuple, dict] = {}
    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.cell_type != "code" or g.auto_score is None:
                        continue
                    item = items.setdefault((nb.name, g.name), {"notebook": nb.name, "check": g.name,
                                                                "points": float(g.max_score), "passed": 0, "n": 0})
                    item["n"] += 1
                    item["passed"] += int(float(g.score) >= float(g.max_score))
    for item in items.values():
        item["pass_rate"] = item["passed"] / item["n"] if item["n"] else 0.0
    return sorted(items.values(), key=lambda i: (i["pass_rate"], i["notebook"], i["check"]))


def _png_data_uri(path: Path) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def _templates():
    import jinja2

    from autograder.paths import TEMPLATES

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def lms_export(results, path: Path, id_column: str = "student_id", score_column: str = "score") -> Path:
    """A two-column CSV most LMS gradebooks import (column names configurable)."""
    import csv

    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([id_column, score_column])
        for r in results:
            writer.writerow([r.student_id, f"{r.score:g}"])
    return path


def class_report(state, assignment: str, results, out: Path, id_column="student_id",
                 score_column="score") -> dict[str, Path]:
    """Write report.html (self-contained), items.csv and lms.csv into ``out``."""
    import csv

    out.mkdir(parents=True, exist_ok=True)
    items = item_analysis(state, assignment)
    with open(out / "items.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["notebook", "check", "points", "passed", "n", "pass_rate"])
        writer.writeheader()
        writer.writerows(items)
    plot = distribution_plot(results, out / "distribution.png", f"{assignment}: score distribution")
    lms = lms_export(results, out / "lms.csv", id_column, score_column)

    times = [r.duration_s for r in results if r.duration_s]
    timing = (f"{len(times)} graded, median {sorted(times)[len(times) // 2]:.1f} s, max {max(times):.1f} s"
              if times else "no timings recorded")
    page = _templates().get_template("report.html.j2").render(
        assignment=assignment, results=results, items=items, flagged=needs_review(results), timing=timing,
        plot_uri=_png_data_uri(plot))
    (out / "report.html").write_text(page)
    return {"html": out / "report.html", "items": out / "items.csv", "lms": lms, "plot": plot}
