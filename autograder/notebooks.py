"""Notebook JSON hygiene: one normal form for every notebook in solutions/ and lessons/.

``normalise`` clears outputs and execution counts, sets the python3 kernelspec, makes nbgrader
cells' ids equal to their ``grade_id`` and gives every other cell a stable id. ``problems`` lists
what the test suite rejects, including text hygiene: no control characters in any cell (the ``\\a`` of
``"\\approx"`` in an ordinary Python string is a BEL) and every ``$...$`` / ``$$...$$`` span of a markdown
cell well formed (``math_problems``).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]$")
GENERATED_ID = re.compile(r"^cell-[0-9a-f]{8}$")  # nbgrader's and Jupyter's anonymous ids


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def grade_meta(cell) -> dict:
    """A cell's nbgrader metadata. A submitted file can hold anything there (nbformat accepts any
    JSON): metadata that is not a mapping counts as none, and a ``grade_id`` that is not a string
    as absent, so no reader of a student's notebook trips over it."""
    meta = (cell.get("metadata") or {}).get("nbgrader")
    if not isinstance(meta, dict):
        return {}
    if "grade_id" in meta and not isinstance(meta["grade_id"], str):
        return {k: v for k, v in meta.items() if k != "grade_id"}
    return meta


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        gid = grade_meta(cell).get("grade_id")
        cid = gid or cell.get("id")
        if not cid or cid in seen:
            digest = hashlib.sha1(f"{index}:{cell.source}".encode()).hexdigest()[:8]
            cid = f"cell-{digest}"
        cell.id = cid
        seen.add(cid)
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write ``nb`` in normal form; returns True when the file changed."""
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    old = path.read_text() if path.exists() else None
    if old != text:
        path.write_text(text)
        return True
    return False


# Control characters other than newline, tab and carriage return: never intended in a cell.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The TeX commands the lessons may use in markdown math (MathJax renders them). A command outside this
# list is far more often a typo or a mangled escape (\aprox, \x07pprox) than a deliberate choice; add
# it here when a lesson needs it. Matplotlib's mathtext is no judge: it rejects bmatrix, \text, \operatorname.
TEX_COMMANDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho
    sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega ell nabla
    partial infty
    approx sim simeq equiv ne neq le leq ge geq ll gg lesssim gtrsim propto in notin subset subseteq cup cap pm mp times cdot cdots
    ldots dots vdots ddots odot otimes oplus circ to mapsto rightarrow leftarrow Rightarrow Leftarrow
    Leftrightarrow implies iff mid vert Vert lVert rVert lvert rvert langle rangle lfloor rfloor lceil rceil
    sum prod int max min arg argmax argmin lim sup inf log ln exp sin cos tan tanh sinh cosh det tr
    frac dfrac tfrac sqrt hat bar tilde vec dot ddot overline underline overrightarrow overleftarrow
    overbrace underbrace
    mathbb mathbf mathrm mathcal mathit boldsymbol text textbf textit texttt operatorname
    left right big Big bigg Bigg bigl bigr Bigl Bigr quad qquad
    begin end top intercal prime forall exists emptyset
""".split())
TEX_ENVIRONMENTS = frozenset({"matrix", "pmatrix", "bmatrix", "vmatrix", "aligned", "cases", "array", "split"})
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def math_problems(markdown: str) -> list[str]:
    """Why the math of one markdown cell would not render: unbalanced ``$``, braces, ``\\left``/``\\right``
    or ``\\begin``/``\\end``, and commands outside ``TEX_COMMANDS`` (empty list when it is well formed)."""
    text = _CODE.sub("", markdown)
    found = []
    spans = [m.group(1) if m.group(1) is not None else m.group(2) for m in _MATH.finditer(text)]
    if re.search(r"(?<!\\)\$", _MATH.sub("", text)):
        found.append("a $ that opens no math span (or closes none)")
    for span in spans:
        label = f"${span.strip()[:40]}$"
        depth = 0
        for token in re.findall(r"\\[{}]|[{}]", span):
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth < 0:
                break
        if depth:
            found.append(f"unbalanced braces in {label}")
        commands = [c for c in re.findall(r"\\\\|\\([A-Za-z]+)", span) if c]   # skips \\ (line break)
        unknown = sorted(set(commands) - TEX_COMMANDS)
        if unknown:
            found.append(f"unknown TeX command(s) {', '.join(chr(92) + c for c in unknown)} in {label}")
        if commands.count("left") != commands.count("right"):
            found.append(f"\\left without \\right (or the reverse) in {label}")
        begins, ends = re.findall(r"\\begin\{(\w+)\}", span), re.findall(r"\\end\{(\w+)\}", span)
        if sorted(begins) != sorted(ends):
            found.append(f"\\begin and \\end do not match in {label}")
        for env in sorted(set(begins) - TEX_ENVIRONMENTS):
            found.append(f"unknown environment {env!r} in {label}")
    return found


def text_problems(cell) -> list[str]:
    """Control characters in any cell; malformed math in a markdown cell."""
    where = f"cell {cell.get('id')}"
    found = []
    for match in CONTROL.finditer(cell.source):
        context = cell.source[max(0, match.start() - 15):match.end() + 15]
        found.append(f"{where} holds the control character {match.group()!r} in {context!r}")
    if cell.cell_type == "markdown":
        found += [f"{where}: {p}" for p in math_problems(cell.source)]
    return found


def problems(path: Path) -> list[str]:
    """Hygiene problems of one committed notebook (empty list when clean)."""
    found = []
    nb = read(path)
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        found.append("kernelspec is not python3")
    grade_ids: set[str] = set()
    for cell in nb.cells:
        found += text_problems(cell)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            found.append(f"cell {cell.get('id')} has outputs")
        meta = grade_meta(cell)
        gid = meta.get("grade_id")
        if meta:
            if not gid:
                found.append(f"cell {cell.get('id')} has nbgrader metadata but no grade_id")
                continue
            if gid in grade_ids:
                found.append(f"grade_id {gid!r} is used twice")
            grade_ids.add(gid)
            if not GRADE_ID.match(gid) or gid.startswith("cell"):
                found.append(f"grade_id {gid!r} is not a descriptive snake_case name")
            if cell.get("id") != gid:
                found.append(f"cell id {cell.get('id')!r} differs from its grade_id {gid!r}")
            if meta.get("grade") and not meta.get("points"):
                found.append(f"graded cell {gid!r} has no points")
    if not any(grade_meta(c).get("grade") for c in nb.cells):
        found.append("no graded cells")
    return found


def execute_plain(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600,
                  allow_errors: bool = True) -> nbformat.NotebookNode:
    """Execute ``nb`` in place with nbclient in an ordinary kernel started in ``cwd``.

    No sandbox: only for trusted notebooks (the harness's replay of the solutions, benchmarks).
    """
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, allow_errors=allow_errors, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb
