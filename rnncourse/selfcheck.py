"""Run the visible checks of one exercise from anywhere in a lesson notebook.

Besides nbgrader's **Validate** button (which runs the whole notebook; on a JupyterHub with
nbgrader), or its equivalent from a terminal, ``python -m rnncourse.selfcheck NOTEBOOK``, a student
can ask for one exercise at a time::

    from rnncourse.selfcheck import check, check_all
    check("make_windows")         # the answer's name, or its test cell's: check("make_windows_test")
    check_all()                   # every exercise of this notebook, with the points at stake
    check()                       # lists the exercises this notebook can check

``check`` finds the released test cell with that ``grade_id``, runs its source in the notebook's own
namespace (exactly as running the test cell would) and prints one line: ``✓`` when every visible
check passes, ``✗`` and the check's own message (the quantity that is wrong and the likely mistake)
when one fails. It never raises, so it can sit in a cell of its own and *Run All* goes on.

Where the test cell comes from:

1. the notebook this kernel was started for (Jupyter tells the kernel its path, ``__session__`` /
   ``JPY_SESSION_NAME``); the test cells are read-only, so the saved file holds them as released;
2. otherwise the released lessons of this repository, ``lessons/*/*.ipynb`` (or the folder named by
   ``RNNCOURSE_LESSONS``), matched on the ``grade_id``.

Only the *visible* part of a test cell ever runs: the student's copy has no hidden tests, and any
``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` block found anyway (an instructor running this
in a source notebook) is cut out first, so what a student sees is what Validate shows.
"""
from __future__ import annotations

import json
import os
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

__all__ = ["check", "check_all", "run", "find_test", "CheckResult", "CheckResults", "SelfCheckError"]

REPO = Path(__file__).resolve().parent.parent
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.M | re.S)
PASS, FAIL = "\u2713", "\u2717"   # ✓ ✗


class SelfCheckError(LookupError):
    """The exercise cannot be found (unknown name, or a name shared by several notebooks)."""


@dataclass
class TestCell:
    grade_id: str
    source: str          # visible part only
    points: float
    notebook: Path


@dataclass
class CheckResult:
    grade_id: str
    passed: bool
    message: str         # the check's message on failure, "" on success
    points: float
    notebook: Path | None = None

    def line(self) -> str:
        if self.passed:
            return f"{PASS} {self.grade_id}: the visible checks pass ({_pts(self.points)} at grading, " \
                   f"where hidden tests also run)"
        first, *rest = self.message.splitlines() or [""]
        return "\n".join([f"{FAIL} {self.grade_id}: {first}"] + [f"  {r}" for r in rest])

    def __bool__(self) -> bool:
        return self.passed


def _pts(points: float) -> str:
    return f"{points:g} point{'s' if points != 1 else ''}"


# --- where the test cells are ---------------------------------------------------------------

def _meta(cell: dict) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _read(path: Path) -> list[dict]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []


def session_notebook(namespace: dict | None = None) -> Path | None:
    """The notebook file this kernel belongs to, when Jupyter said so and it exists."""
    name = (namespace or {}).get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if not name:
        return None
    path = Path(name)
    for candidate in (path, Path.cwd() / path, Path.cwd() / path.name):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()
    return None


def lessons_dir() -> Path:
    return Path(os.environ.get("RNNCOURSE_LESSONS") or REPO / "lessons")


def _test_cells(path: Path) -> list[TestCell]:
    """Autograded test cells of one notebook, in order, with their hidden part removed."""
    cells = _read(path)
    out = []
    for i, cell in enumerate(cells):
        meta = _meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and meta.get("grade_id"):
            out.append(TestCell(meta["grade_id"], HIDDEN.sub("", _source(cell)).rstrip() + "\n",
                                float(meta.get("points") or 0), path))
    return out


def _answer_to_test(path: Path) -> dict[str, str]:
    """Map each answer cell's grade_id (e.g. ``make_windows``) to the test cell right after it."""
    mapping, pending = {}, []
    for cell in _read(path):
        meta = _meta(cell)
        if cell.get("cell_type") != "code" or not meta.get("grade_id"):
            continue
        if meta.get("solution") and not meta.get("grade"):
            pending.append(meta["grade_id"])
            pending += re.findall(r"^(?:def|class)\s+(\w+)", _source(cell), re.M)   # check("make_windows")
        elif meta.get("grade"):
            for answer in pending:
                mapping.setdefault(answer, meta["grade_id"])
            pending = []
    return mapping


def _lookup(name: str, path: Path) -> TestCell | None:
    cells = {c.grade_id: c for c in _test_cells(path)}
    gid = name if name in cells else _answer_to_test(path).get(name)
    return cells.get(gid) if gid else None


def _notebook_arg(notebook: str | os.PathLike, by_name: bool = False) -> Path:
    """``notebook`` as given (from the working directory, which Jupyter sets to the notebook's
    folder), else in the released lessons (``01_sequences/sequences``); with ``by_name``, also a
    released lesson of that file name (``sequences.ipynb``). ``by_name`` is for reading test cells,
    which are read-only and the same in every copy, never for choosing a file to execute."""
    path = Path(notebook)
    if path.suffix != ".ipynb":
        path = path.with_suffix(".ipynb")
    for candidate in (path, lessons_dir() / path):
        if candidate.is_file():
            return candidate.resolve()
    found = sorted(lessons_dir().glob(f"*/{path.name}")) if by_name else []
    if len(found) == 1:
        return found[0].resolve()
    raise SelfCheckError(f"no notebook {str(notebook)!r} (looked in {Path.cwd()} and {lessons_dir()})")


def find_test(name: str, notebook: str | os.PathLike | None = None, namespace: dict | None = None) -> TestCell:
    """The released test cell for ``name`` (a test cell's or an answer cell's grade_id)."""
    if notebook is not None:
        found = _lookup(name, _notebook_arg(notebook, by_name=True))
        if found:
            return found
        raise SelfCheckError(f"{notebook} has no exercise {name!r}; run check() to list them")
    own = session_notebook(namespace)
    if own is not None:
        found = _lookup(name, own)
        if found:
            return found
    matches = [t for t in (_lookup(name, p) for p in sorted(lessons_dir().glob("*/*.ipynb"))) if t]
    if own is not None and len(matches) > 1:   # same grade_id in several lessons: prefer this notebook's name
        same = [t for t in matches if t.notebook.stem == own.stem]
        matches = same or matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SelfCheckError(f"no exercise called {name!r}; run check() to list this notebook's exercises")
    where = ", ".join(f"{t.notebook.parent.name}/{t.notebook.stem}" for t in matches)
    raise SelfCheckError(f"{name!r} is in several lessons ({where}); "
                         f"say which: check({name!r}, notebook='{matches[0].notebook.parent.name}/{matches[0].notebook.stem}')")


# --- running one ----------------------------------------------------------------------------

def _namespace(namespace: dict | None, depth: int) -> dict:
    if namespace is not None:
        return namespace
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:
        ip = None
    if ip is not None:
        return ip.user_ns
    return sys._getframe(depth + 1).f_globals


def _transform(source: str) -> str:
    """Apply IPython's input transformations (magics, ``!`` lines) when running under IPython."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:
        return source
    return ip.transform_cell(source) if ip is not None else source


def _explain(exc: BaseException, test: TestCell) -> str:
    """A short message: the check's own text for assertions, a hint for the usual slips."""
    if isinstance(exc, AssertionError):
        return str(exc) or "a check failed (no message)"
    if isinstance(exc, NotImplementedError):
        return ("not answered yet: the answer still raises NotImplementedError — replace "
                "`raise NotImplementedError()` with your code and run that cell")
    if isinstance(exc, NameError):
        return (f"{exc} — run the set-up cell and the cell with your answer first "
                "(or Run All Above)")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == _filename(test)]
    where = ""
    if frames:
        line = test.source.splitlines()[frames[-1].lineno - 1].strip() if frames[-1].lineno else ""
        where = f" (in the test line `{line}`)" if line else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _filename(test: TestCell) -> str:
    return f"<test cell {test.grade_id}>"


def run(name: str, notebook: str | os.PathLike | None = None, namespace: dict | None = None,
        _depth: int = 1) -> CheckResult:
    """Run one exercise's visible checks and return the result (prints nothing of its own)."""
    ns = _namespace(namespace, _depth)
    test = find_test(name, notebook, ns)
    code = compile(_transform(test.source), _filename(test), "exec")
    try:
        exec(code, ns)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:   # SystemExit too: a student's exit() must not kill the check
        return CheckResult(test.grade_id, False, _explain(exc, test), test.points, test.notebook)
    return CheckResult(test.grade_id, True, "", test.points, test.notebook)


def check(name: str | None = None, notebook: str | os.PathLike | None = None,
          namespace: dict | None = None) -> None:
    """Run the visible checks of one exercise and print a ✓ or ✗ line with the check's message.

    ``name`` is the exercise's test cell (``"make_windows_test"``) or its answer (``"make_windows"``);
    without it, the exercises of this notebook are listed.
    """
    ns = _namespace(namespace, 1)
    if name is None:
        _list(notebook, ns)
        return
    try:
        result = run(name, notebook, ns)
    except SelfCheckError as exc:
        print(f"? {exc}")
        return
    print(result.line())


class CheckResults(list):
    """What ``check_all()`` returns: its ``CheckResult``s. A notebook shows nothing more for it than
    the summary ``check_all()`` printed (it is a cell's last expression)."""

    def _ipython_display_(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{sum(map(bool, self))}/{len(self)} exercises pass their visible checks>"


def _summary(results: list[CheckResult]) -> str:
    got = sum(r.points for r in results if r.passed)
    total = sum(r.points for r in results)
    return (f"{sum(map(bool, results))}/{len(results)} exercises pass their visible checks "
            f"({got:g}/{total:g} autograded points before hidden tests)")


def check_all(notebook: str | os.PathLike | None = None, namespace: dict | None = None) -> CheckResults:
    """Run every exercise's visible checks in order; print one line each and the points passing.

    In the grader's sandbox (``RNNCOURSE_GRADING``, set for the kernel that runs a submission) it
    runs nothing: the grader runs every check itself, in a kernel of its own, and a lesson's closing
    ``check_all()`` cell costs a submission no time."""
    if os.environ.get("RNNCOURSE_GRADING"):
        print("check_all(): the grader runs every check itself; nothing runs here at grading time")
        return CheckResults()
    ns = _namespace(namespace, 1)
    path = _notebook_arg(notebook, by_name=True) if notebook is not None else session_notebook(ns)
    if path is None:
        print("? check_all() needs the notebook: Jupyter did not say which one this is; "
              "call check_all('01_sequences/sequences')")
        return CheckResults()
    results = CheckResults(run(t.grade_id, path, ns) for t in _test_cells(path))
    for r in results:
        print(r.line())
    print(_summary(results))
    return results


def _list(notebook, ns) -> None:
    path = _notebook_arg(notebook, by_name=True) if notebook is not None else session_notebook(ns)
    if path is None:
        print("check('<exercise>') runs one exercise's visible checks, e.g. check('make_windows'); "
              "Jupyter did not say which notebook this is, so pass notebook='01_sequences/sequences' to list them")
        return
    answers = {t: a for a, t in _answer_to_test(path).items()}   # the last alias: a function's name
    print(f"exercises in {path.name}:")
    for t in _test_cells(path):
        call = f"check({answers.get(t.grade_id, t.grade_id)!r})"
        print(f"  {call:<32} {_pts(t.points):>9}   test cell {t.grade_id}")


# --- the whole notebook from a terminal: what Validate does ---------------------------------

#: errors a test cell's output names that ``_explain`` has a hint for
_EXPLAINED = {"AssertionError": AssertionError, "NotImplementedError": NotImplementedError, "NameError": NameError}


def validate(notebook: str | os.PathLike, timeout: int = 600) -> CheckResults:
    """Run every cell of ``notebook`` in a fresh kernel, in order (the file is not changed), and
    return each test cell's result: passed when it ran without an error, else its error's message."""
    import nbformat
    from nbclient import NotebookClient

    path = _notebook_arg(notebook)
    nb = nbformat.read(str(path), as_version=4)
    kernel = ((nb.metadata.get("kernelspec") or {}).get("name")) or "python3"
    NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = {_meta(c).get("grade_id"): next((o for o in c.get("outputs", []) if o.get("output_type") == "error"), None)
              for c in nb.cells if c.cell_type == "code"}
    results = CheckResults()
    for test in _test_cells(path):              # the exercises check_all() runs, in order
        error = errors.get(test.grade_id)
        if error is None:
            results.append(CheckResult(test.grade_id, True, "", test.points, path))
            continue
        name, value = str(error.get("ename", "Error")), str(error.get("evalue", ""))
        known = _EXPLAINED.get(name)
        message = _explain(known(value), test) if known else f"{name}: {value}"
        results.append(CheckResult(test.grade_id, False, message, test.points, path))
    return results


def main(argv: list[str] | None = None) -> int:
    """``python -m rnncourse.selfcheck NOTEBOOK ...``: Validate from a terminal (0: every visible
    check passes; 1: some fail; 2: no such notebook)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rnncourse.selfcheck", description=(
        "Run a lesson notebook from the top in a fresh kernel, as Validate does, and print each "
        "exercise's visible checks (your file is not changed)."))
    parser.add_argument("notebooks", nargs="+", help="e.g. lessons/01_sequences/sequences.ipynb")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (default 600)")
    args = parser.parse_args(argv)
    status = 0
    for notebook in args.notebooks:
        try:
            path = _notebook_arg(notebook)
        except SelfCheckError as exc:
            print(f"? {exc}")
            status = max(status, 2)
            continue
        print(f"{path.name}: running every cell in a fresh kernel ...", flush=True)
        results = validate(path, timeout=args.timeout)
        for r in results:
            print(r.line())
        print(_summary(results))
        status = max(status, 0 if all(results) else 1)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
