"""Importing the grader: its modules import each other without a cycle (counting imports made inside
functions), and importing one changes nothing in the process.

A cycle hidden in a function body still ties the modules together: neither can be read, tested or
moved to the other side of the process boundary (coordinator, worker) without the other. This
test reads every module of ``autograder/`` and ``rnncourse/`` with ``ast`` (nothing is imported)
and fails with the cycle it finds.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("autograder", "rnncourse")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))}


def imported(name: str, source: str, known: set[str], is_package: bool = False) -> set[str]:
    """The package modules that module ``name`` (whose code is ``source``) imports anywhere in its
    file: at the top, in functions, in classes."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # ``from autograder import x`` imports the module autograder.x when there is one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:        # ``import autograder.x.y``: the deepest module we have
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imported(name, path.read_text(), known, path.name == "__init__.py") for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(edges, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if colour.get(nxt, BLACK) == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if colour.get(nxt) == WHITE:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(edges):
        if colour[node] == WHITE:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_imports_inside_functions_count_and_from_package_import_names_the_module():
    known = {"autograder", "autograder.results", "autograder.paths", "autograder.course", "autograder.example"}
    source = ("import os\nimport autograder.course\nfrom autograder import __version__\n\n"
              "def f():\n    from autograder import results\n    from .paths import REPO\n")
    assert imported("autograder.example", source, known) == {
        "autograder.course", "autograder", "autograder.results", "autograder.paths"}


def test_the_finder_returns_the_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_the_grader_modules():
    edges = graph()
    assert "autograder.course" in edges and "rnncourse.checks" in edges, sorted(edges)
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_leaf_modules_import_no_other_module_of_the_package():
    """Plain data and paths import only the standard library: both sides of the process boundary,
    and the sandbox, can use them without pulling in the grader."""
    edges = graph()
    for leaf in ("autograder.results", "autograder.paths"):
        assert edges[leaf] == set(), (leaf, edges[leaf])
        tree = ast.parse(modules()[leaf].read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert names <= set(sys.stdlib_module_names) | {"__future__"}, (leaf, names)
    assert edges["autograder.course"] <= {"autograder.paths"}, edges["autograder.course"]


# --- importing changes nothing ------------------------------------------------------------------

IMPORT_ALL = ("import autograder.course, autograder.config, autograder.grade, autograder.worker, "
              "autograder.gradebook, autograder.cli, autograder.late, autograder.harness, autograder.build")


def test_importing_the_grader_changes_nothing_in_the_process(tmp_path):
    """PATH, nbgrader's functions and the warnings filters are set up by ``config.prepare_nbgrader``,
    which the entry points call; importing a module does none of it."""
    import subprocess

    code = ("import os, warnings\n"
            "path = os.environ['PATH']\n"
            f"{IMPORT_ALL}\n"
            "import nbgrader.api\n"
            "assert os.environ['PATH'] == path, ('PATH changed', os.environ['PATH'])\n"
            "assert not hasattr(nbgrader.api.get_alembic_version, 'cache_info'), 'nbgrader.api patched'\n"
            "assert not [f for f in warnings.filters if f[1] and 'not in session' in f[1].pattern], 'filter added'\n"
            "from autograder import config\n"
            "config.prepare_nbgrader()\n"
            "assert os.environ['PATH'] != path and hasattr(nbgrader.api.get_alembic_version, 'cache_info')\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RNNCOURSE_STATE": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (tmp_path / "state").exists()


def test_nbgrader_config_py_creates_no_state_folder(tmp_path):
    """nbgrader loads nbgrader_config.py for every command: it fills the Config, nothing more."""
    import subprocess

    code = ("from traitlets.config import Config\n"
            "c = Config()\n"
            "exec(open('nbgrader_config.py').read(), {'get_config': lambda: c})\n"
            "print(c.CourseDirectory.db_url, c.CourseDirectory.submitted_directory)\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RNNCOURSE_STATE": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    state = tmp_path / "state"
    assert done.stdout.split() == [f"sqlite:///{state / 'gradebook.db'}", str(state / "submitted")]
    assert not state.exists()
