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
    import html

    out.mkdir(parents=True, exist_ok=True)
    items = item_analysis(state, assignment)
    with open(out / "items.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["notebook", "check", "points", "passed", "n", "pass_rate"])
        writer.writeheader()
        writer.writerows(items)
    plot = distribution_plot(results, out / "distribution.png", f"{assignment}: score distribution")
    lms = lms_export(results, out / "lms.csv", id_column, score_column)

    esc = html.escape
    flagged = needs_review(results)
    times = [r.duration_s for r in results if r.duration_s]
    rows_items = "".join(
        f"<tr><td>{esc(i['notebook'])}</td><td><code>{esc(i['check'])}</code></td><td>{i['points']:g}</td>"
        f"<td>{i['passed']}/{i['n']}</td><td>{100 * i['pass_rate']:.0f}%</td></tr>" for i in items)
    rows_flagged = "".join(
        f"<tr><td>{esc(r.student_id)}</td><td>{esc(r.status)}</td><td>{esc(r.message)}</td></tr>" for r in flagged
    ) or "<tr><td colspan=3>none</td></tr>"
    rows_students = "".join(
        f"<tr><td>{esc(r.student_id)}</td><td>{r.score:g} / {r.max_score:g}</td><td>{esc(r.status)}</td>"
        f"<td>{r.duration_s:.1f} s</td><td>{esc(r.message)}</td></tr>" for r in results)
    timing = (f"{len(times)} graded, median {sorted(times)[len(times) // 2]:.1f} s, max {max(times):.1f} s"
              if times else "no timings recorded")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{esc(assignment)} — grade report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
th{{background:#f3f3f3}}</style></head><body>
<h1>{esc(assignment)}: grade report</h1>
<p>{len(results)} submission(s); grading time per submission: {esc(timing)}.</p>
<h2>Score distribution</h2><img alt="histogram of autograded scores" src="{_png_data_uri(plot)}">
<h2>Checks, hardest first</h2>
<table><tr><th>notebook</th><th>check</th><th>points</th><th>full marks</th><th>pass rate</th></tr>{rows_items}</table>
<h2>Flagged submissions</h2>
<table><tr><th>student</th><th>status</th><th>message</th></tr>{rows_flagged}</table>
<h2>All submissions</h2>
<table><tr><th>student</th><th>autograded score</th><th>status</th><th>grading time</th><th>message</th></tr>{rows_students}</table>
</body></html>
"""
    (out / "report.html").write_text(page)
    return {"html": out / "report.html", "items": out / "items.csv", "lms": lms, "plot": plot}
