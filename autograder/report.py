"""Report step: the class table printed after a batch and the grade-distribution plot."""
from __future__ import annotations

import textwrap
from pathlib import Path


def table(results) -> str:
    header = f"{'student':<18} {'score':>11}  {'status':<12} message"
    lines = [header, "-" * len(header)]
    for r in results:
        score = f"{r.score:g} / {r.max_score:g}"
        message = textwrap.shorten(r.message, width=90, placeholder=" …")
        lines.append(f"{r.student_id:<18} {score:>11}  {r.status:<12} {message}")
    graded = [r for r in results if r.status in ("graded", "timeout")]
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
