"""grades.csv: one row per submission (``results.Result``), written once at the end of a batch and
read back by the report, the demo and the CLI."""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.results import CSV_FIELDS, Result

NUMERIC = ("score", "max_score", "written_max", "duration_s")
#: a field of any length a grades.csv may hold (messages are bounded when written, but a file
#: written by an older version or edited by hand may hold longer ones)
FIELD_LIMIT = 2**31 - 1


def write(results: list[Result], path: Path) -> None:
    """Write ``results`` (each message bounded, see ``Result.row``)."""
    # UTF-8 whatever the locale, and a name that is not valid text cannot stop the file
    with open(path, "w", newline="", encoding="utf-8", errors="replace") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in results:
            writer.writerow(r.row())


def read(path: Path) -> list[Result]:
    """Results back from a grades.csv written by ``write``, whatever the length of a field."""
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    finally:
        csv.field_size_limit(previous)
    return [Result(**{k: (float(v) if k in NUMERIC else v) for k, v in r.items() if k in CSV_FIELDS}) for r in rows]
