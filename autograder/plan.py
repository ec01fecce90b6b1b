"""The grading plan of one notebook: which kernel runs each cell, and which names cross.

Grading runs two kernels (``twokernel.py``). The *student kernel* runs the submission's own
notebook without its test cells; the *checker kernel* runs the test cells and the read-only cells
they need, and never a line the student wrote. The plan is read from the instructor's source
notebook (``solutions/``), never from the submission, so a student cannot change what is checked.

Roles (nbgrader metadata of the source cell):

* ``answer``: a solution cell, and any code cell a student may edit: student kernel only;
* ``test``: an autograded test cell: checker kernel only;
* ``readonly``: a locked instructor cell: student kernel, and the checker too when a test needs a
  name it binds (or a name it changes, e.g. a model it trains), found by a backward slice.

A read-only cell tagged ``skip-when-grading`` (``SKIP_TAG``, cell metadata ``tags``) is a
demonstration no test needs, a training run that feeds a plot or the prose: grading skips it in
both kernels unless the batch is graded in full (``make_plan(..., skip_tagged=False)``, the
grader's ``--full``). ``skip_problems`` proves a notebook's tags safe before any grading: no cell
that still runs reads a name that only a skipped cell bound or changed.

A checker cell that reads a name whose latest binding (in notebook order) is a student-side cell
gets that name from the student kernel just before it runs (``Step.fetch``): plain data by value,
anything else as a proxy (``wire.py``). Names are found with ``ast`` in execution order: a name
read before the cell binds it, including globals that functions the cell defines read when called.
"""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

ANSWER, TEST, READONLY, TEXT = "answer", "test", "readonly", "text"
SKIP_TAG = "skip-when-grading"
_BUILTINS = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}


def grade_id(cell) -> str | None:
    """A cell's nbgrader grade_id, or None (a student's own cells have none)."""
    meta = (cell.get("metadata") or {}).get("nbgrader")
    gid = meta.get("grade_id") if isinstance(meta, dict) else None
    return gid if isinstance(gid, str) else None


def role(cell) -> str:
    """The role of a source (or released) cell, from its nbgrader metadata."""
    meta = (cell.get("metadata") or {}).get("nbgrader")
    meta = meta if isinstance(meta, dict) else {}
    if cell.get("cell_type") != "code":
        return TEXT
    if meta.get("solution"):
        return ANSWER
    if meta.get("grade"):
        return TEST
    if meta.get("locked"):
        return READONLY
    return ANSWER                      # an unlocked instructor cell: the student may have changed it


def tagged_skip(cell) -> bool:
    """Whether a source cell carries the skip tag (only a read-only cell may be skipped: see
    ``skip_problems``)."""
    tags = (cell.get("metadata") or {}).get("tags")
    return isinstance(tags, list) and SKIP_TAG in tags


@dataclass
class Names:
    """What one cell does with top-level names."""

    reads: set[str] = field(default_factory=set)      # read before this cell binds them
    binds: set[str] = field(default_factory=set)      # bound at top level (assign, def, import, ...)
    modules: set[str] = field(default_factory=set)    # bound by an import statement
    changes: set[str] = field(default_factory=set)    # changed in place: x.m(...), x[i] = v, x.a = v
    functions: dict[str, set[str]] = field(default_factory=dict)   # def name -> globals it reads


class _Scope(ast.NodeVisitor):
    """Globals read by a function or class body (names it never binds locally)."""

    def __init__(self):
        self.loads: set[str] = set()
        self.stores: set[str] = set()
        self.globals: set[str] = set()

    def visit_Name(self, node):
        (self.loads if isinstance(node.ctx, ast.Load) else self.stores).add(node.id)

    def visit_Global(self, node):
        self.globals.update(node.names)

    def visit_arg(self, node):
        self.stores.add(node.arg)

    def _nested(self, node):
        inner = _free_globals(node)
        self.loads |= inner

    def visit_FunctionDef(self, node):
        self.stores.add(node.name)
        for d in node.decorator_list + node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(d)
        self._nested(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        for d in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(d)
        self._nested(node)

    def visit_ClassDef(self, node):
        self.stores.add(node.name)
        for d in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(d)
        self._nested(node)

    def visit_Import(self, node):
        for a in node.names:
            self.stores.add((a.asname or a.name).split(".")[0])

    visit_ImportFrom = visit_Import


def _free_globals(node) -> set[str]:
    """Names a function, lambda, class or comprehension reads from the enclosing module."""
    scope = _Scope()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None:
                scope.stores.add(a.arg)
        body = node.body if isinstance(node.body, list) else [node.body]
    else:
        body = node.body
    for stmt in body:
        scope.visit(stmt)
    return (scope.loads - (scope.stores - scope.globals)) | (scope.loads & scope.globals)


class _Cell(ast.NodeVisitor):
    """Visits a cell's top-level code in execution order."""

    def __init__(self):
        self.names = Names()

    def _load(self, name: str) -> None:
        if name not in self.names.binds:
            self.names.reads.add(name)

    def _store(self, name: str) -> None:
        self.names.binds.add(name)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self._load(node.id)
        else:
            self._store(node.id)

    # evaluation order: the value before the targets
    def visit_Assign(self, node):
        self.visit(node.value)
        for t in node.targets:
            self._target(t)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self._load(node.target.id)
        self._target(node.target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self._target(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self._store(node.target.id)

    def _target(self, t):
        if isinstance(t, ast.Name):
            self._store(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self._target(e)
        elif isinstance(t, ast.Starred):
            self._target(t.value)
        else:                          # x[i] = v, x.a = v: reads x and changes it in place
            base = t
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                if isinstance(base, ast.Subscript):
                    self.visit(base.slice)
                base = base.value
            self.visit(base)
            if isinstance(base, ast.Name):
                self.names.changes.add(base.id)

    def visit_For(self, node):
        self.visit(node.iter)
        self._target(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._target(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node):
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._store(node.name)
        for stmt in node.body:
            self.visit(stmt)

    def visit_Call(self, node):
        # a method call on a name may change it in place (model.fit, rng.normal, history.append)
        if isinstance(node.func, ast.Attribute):
            base = node.func.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):
                self.names.changes.add(base.id)
        self.generic_visit(node)

    def _function(self, node):
        for d in getattr(node, "decorator_list", []):
            self.visit(d)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for d in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                self.visit(d)
        if isinstance(node, ast.ClassDef):
            for d in node.bases + [k.value for k in node.keywords]:
                self.visit(d)
        free = _free_globals(node)
        for name in free:
            self._load(name)
        if not isinstance(node, ast.Lambda):
            self._store(node.name)
            self.names.functions[node.name] = free

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _function

    def _comprehension(self, node):
        for name in _comprehension_globals(node):
            self._load(name)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_Import(self, node):
        for a in node.names:
            name = (a.asname or a.name).split(".")[0]
            self._store(name)
            self.names.modules.add(name)

    def visit_ImportFrom(self, node):
        for a in node.names:
            if a.name != "*":
                self._store(a.asname or a.name)

    def visit_Global(self, node):
        pass


def _comprehension_globals(node) -> set[str]:
    scope = _Scope()
    bound: set[str] = set()
    for gen in node.generators:
        scope.visit(gen.iter)
        t = _Scope()
        t.visit(gen.target)
        bound |= t.stores
        for cond in gen.ifs:
            scope.visit(cond)
    for part in ("elt", "key", "value"):
        if getattr(node, part, None) is not None:
            scope.visit(getattr(node, part))
    return scope.loads - bound - scope.stores


def strip_magics(source: str) -> str:
    """The cell's Python: IPython magics and shell escapes become ``pass`` (same line numbers)."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(line[:len(line) - len(stripped)] + "pass" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def names(source: str) -> Names:
    """The names one cell reads, binds and changes (a cell that does not parse reads and binds nothing:
    it fails in whichever kernel runs it)."""
    try:
        tree = ast.parse(strip_magics(source))
    except SyntaxError:
        return Names()
    visitor = _Cell()
    for stmt in tree.body:
        visitor.visit(stmt)
    found = visitor.names
    found.reads -= _BUILTINS - found.binds
    return found


@dataclass
class Step:
    """One code cell of the notebook, in order."""

    grade_id: str | None
    role: str
    student: bool                      # runs in the student kernel
    checker: bool                      # runs in the checker kernel
    fetch: list[str] = field(default_factory=list)   # names the checker gets from the student first
    skip: bool = False                 # a demonstration skipped when grading (runs in neither kernel)


@dataclass
class Plan:
    steps: dict[str, Step]             # grade_id -> step (source cells all have a grade_id)
    order: list[str]

    def checker_cells(self) -> list[str]:
        return [gid for gid in self.order if self.steps[gid].checker]


def make_plan(cells, skip_tagged: bool = True) -> Plan:
    """The plan of a source notebook (its cells as nbformat nodes, in order). With ``skip_tagged``
    the read-only cells tagged ``SKIP_TAG`` run in neither kernel, as if they were not there."""
    code = [(c, grade_id(c), role(c)) for c in cells if c.get("cell_type") == "code"]
    skipped = [skip_tagged and r == READONLY and tagged_skip(c) for c, _, r in code]
    analysed = [(gid, r, Names() if skip else names(c.get("source", "")))
                for (c, gid, r), skip in zip(code, skipped)]
    modules = set().union(*(n.modules for _, _, n in analysed)) if analysed else set()

    # which read-only cells the checker needs: a backward slice from the test cells
    functions: dict[str, set[str]] = {}           # functions instructor cells define
    for _, r, n in analysed:
        if r != ANSWER:
            functions.update(n.functions)
    needed: set[str] = set()
    in_checker = [False] * len(analysed)
    for i in range(len(analysed) - 1, -1, -1):
        gid, r, n = analysed[i]
        if r == TEST:
            run = True
        elif r == READONLY:
            changed = (n.changes - modules) & needed
            run = bool(n.binds & needed) or bool(changed)
        else:
            needed -= n.binds
            continue
        if run:
            in_checker[i] = True
            needed = (needed - n.binds) | _closure(n.reads, functions) | ((n.changes - modules) & needed)

    # forward: where each name was last bound, and what each checker cell fetches
    origin: dict[str, str] = {}        # name -> "student" | "checker"
    steps, order = {}, []
    for i, (gid, r, n) in enumerate(analysed):
        gid = gid or f"cell-{i}"
        if skipped[i]:
            steps[gid] = Step(gid, r, student=False, checker=False, skip=True)
            order.append(gid)
            continue
        step = Step(gid, r, student=r != TEST, checker=in_checker[i])
        if step.checker:
            reads = _closure(n.reads, functions)
            step.fetch = sorted(name for name in reads if origin.get(name) == "student")
        side = "checker" if step.checker else "student"
        for name in n.binds:
            origin[name] = side
        if not step.checker:
            # a student-side cell that changes a name in place: the checker's copy is stale
            for name in n.changes - modules:
                if origin.get(name) == "checker":
                    origin[name] = "student"
        steps[gid] = step
        order.append(gid)
    return Plan(steps, order)


def _closure(reads: set[str], functions: dict[str, set[str]]) -> set[str]:
    """``reads`` plus the globals of the notebook functions among them, transitively."""
    out, todo = set(reads), list(reads)
    while todo:
        name = todo.pop()
        for inner in functions.get(name, ()):
            if inner not in out:
                out.add(inner)
                todo.append(inner)
    return out


def contract_problems(cells) -> list[str]:
    """Where a source notebook breaks the test-cell contract (CONTRIBUTING.md): a name a test cell binds
    and a later cell that runs in the student kernel reads (the student kernel never runs tests)."""
    found, bound_by_test = [], {}
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        gid, r, n = grade_id(cell), role(cell), names(cell.get("source", ""))
        if r == TEST:
            for name in n.binds:
                bound_by_test[name] = gid
            continue
        for name in sorted(n.reads & set(bound_by_test)):
            found.append(f"{gid or 'a cell'} reads {name!r}, which only the test cell {bound_by_test[name]!r} binds "
                         "(the student kernel never runs test cells): bind it in a read-only cell or rename it")
        for name in n.binds:
            bound_by_test.pop(name, None)
    return found


def skip_problems(cells) -> list[str]:
    """Why a source notebook's skip tags are not safe, or []: a tag on a cell that is not a locked
    instructor cell, or a cell that still runs when grading and reads (itself or through the notebook
    functions it calls) a name whose latest binding or in-place change is a skipped cell's. What a
    skipped cell does to modules (a random generator it draws from) is not seen here: the lesson
    harness grades every notebook with and without skipping and requires identical scores."""
    found = []
    left_by: dict[str, str] = {}          # name -> the skipped cell that last bound or changed it
    functions: dict[str, set[str]] = {}
    modules: set[str] = set()
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        gid, r, n = grade_id(cell) or f"cell {i}", role(cell), names(cell.get("source", ""))
        modules |= n.modules
        if tagged_skip(cell):
            if r != READONLY:
                found.append(f"{gid} is tagged {SKIP_TAG!r} but is not a locked instructor cell "
                             f"(a {r} cell always runs when grading)")
                continue
            for name in n.binds | (n.changes - modules):
                left_by[name] = gid
            continue
        functions.update(n.functions)
        for name in sorted(_closure(n.reads, functions) & set(left_by)):
            found.append(f"{gid} reads {name!r}, which the skipped cell {left_by[name]!r} binds or changes: "
                         f"tag {gid} too, or move what it needs out of {left_by[name]!r}")
        for name in n.binds:
            left_by.pop(name, None)
    return found
