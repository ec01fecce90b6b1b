"""Integrity: student code runs in the same kernel as the tests, so the grader defends the tests.

Three layers, all driven from *outside* the kernel (the executor in the grader):

1. ``sanitize`` (before execution, on the staged copy only): the notebook is rebuilt from the
   released skeleton. Every instructor cell (read-only, tests) comes from the release; a student
   cell keeps its nbgrader metadata only if it is the first cell with the grade_id of a released
   *solution* cell of the same cell type. Deleted, re-tagged, duplicated, re-typed or re-pointed
   test cells are therefore back exactly as released, extra cells lose any grading metadata, and
   the notebook metadata is reset to the python3 kernelspec. Student markdown is HTML-escaped so
   it cannot carry script into feedback or formgrader.
2. ``GUARD`` (inside the kernel, silently): installed before any student code runs, it snapshots
   builtins, the library modules tests call (NumPy, ``rnncourse.checks``, ...), IPython's and
   ipykernel's classes, hooks, transformers and exception handlers, ``sys`` hooks and streams,
   and the names instructor cells bind (``np``, ``check_close``). Before every graded test cell
   the executor re-arms it: everything is put back, tracing is switched off, and audit hooks
   added by students are refused from the start.
3. Out-of-band verification: each graded test cell is executed with one extra final statement
   that prints a fresh random token, known only to the grader and sent only with that cell. A test
   that passed has run to its end and printed it; a cell that reports success without the token
   (an error was swallowed) or a re-arm step that did not complete marks the submission
   ``tampered``: every test cell of the notebook gets an ``IntegrityError`` and scores 0.

In-process Python can always, with enough effort (ctypes, gc, threads racing the re-arm), defeat
checks that run in the same process; layers 1 and 3 do not depend on the kernel's honesty for the
*failure* direction, and the hostile corpus in tests/hostile/ is what this module must hold for.
"""
from __future__ import annotations

import html
import secrets
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from autograder.notebooks import grade_meta

INTEGRITY_ERROR = "IntegrityError"

# --- 1. sanitize the staged copy ----------------------------------------------------------------




def sanitize(submitted: Path, release: Path) -> list[str]:
    """Rewrite the staged ``submitted`` notebook on the ``release`` skeleton; returns notes."""
    student = nbformat.read(str(submitted), as_version=4)
    skeleton = nbformat.read(str(release), as_version=4)
    notes: list[str] = []
    solution_ids = {grade_meta(c)["grade_id"]: c.cell_type for c in skeleton.cells
                    if grade_meta(c).get("solution") and grade_meta(c).get("grade_id")}
    known_ids = {grade_meta(c).get("grade_id") for c in skeleton.cells if grade_meta(c).get("grade_id")}

    answers: dict[str, NotebookNode] = {}
    free_after: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in student.cells:
        gid = grade_meta(cell).get("grade_id")
        if gid in solution_ids and gid not in answers and cell.cell_type == solution_ids[gid]:
            answers[gid] = cell
            anchor = gid
            continue
        if gid in known_ids:
            if gid in solution_ids and gid in answers:
                notes.append(f"duplicate of answer cell {gid!r} ignored for grading")
            anchor = gid  # an instructor cell (or a copy): the released version is used
            if gid not in solution_ids:
                continue
        if cell.cell_type not in ("code", "markdown", "raw"):
            continue
        free = nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code" else (
            nbformat.v4.new_markdown_cell(_escape(cell.source)) if cell.cell_type == "markdown"
            else nbformat.v4.new_raw_cell(cell.source))
        free_after.setdefault(anchor, []).append(free)

    cells = list(free_after.get(None, []))
    for ref in skeleton.cells:
        gid = grade_meta(ref).get("grade_id")
        if gid in solution_ids and gid in answers:
            got = answers[gid]
            cell = (nbformat.v4.new_code_cell(got.source) if ref.cell_type == "code"
                    else nbformat.v4.new_markdown_cell(_escape(got.source)))
            cell.metadata["nbgrader"] = dict(grade_meta(ref))
            cell.id = ref.get("id") or cell.id
        else:
            cell = nbformat.from_dict(ref)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        cells += free_after.get(gid, []) if gid else []
    missing = sorted(set(solution_ids) - set(answers))
    if missing:
        notes.append(f"answer cell(s) {', '.join(missing)} missing; the released stub was used")
    out = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    seen = set()
    for i, cell in enumerate(out.cells):
        if not cell.get("id") or cell.id in seen:
            cell.id = f"student-{i}"
        seen.add(cell.id)
    nbformat.write(out, str(submitted))
    return notes


def sanitize_staged(folder: Path, release_folder: Path) -> list[str]:
    notes = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        ref = Path(release_folder) / path.name
        if ref.exists():
            notes += sanitize(path, ref)
    return notes


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


# --- rich output is shown as text ----------------------------------------------------------------

SAFE_MIME = ("text/plain", "image/png", "image/jpeg", "image/gif")


def neutralize_outputs(cell: NotebookNode) -> None:
    """Keep only mime types that cannot run script in a browser (HTML, JS, SVG, markdown, LaTeX
    and widgets become their text/plain form or a note)."""
    for out in cell.get("outputs", []):
        data = out.get("data")
        if not data:
            continue
        dropped = [k for k in data if k not in SAFE_MIME]
        if not dropped:
            continue
        for key in dropped:
            del data[key]
        if "text/plain" not in data and not any(k in data for k in SAFE_MIME):
            data["text/plain"] = f"[rich output ({', '.join(sorted(dropped))}) not shown in feedback]"
        out.get("metadata", {}).clear() if isinstance(out.get("metadata"), dict) else None


# --- 2. the guard that lives in the kernel -------------------------------------------------------

GUARD = r'''
def __rnncourse_guard_install():
    import builtins, sys, threading, types, importlib
    ip = get_ipython()
    roots = ("numpy", "rnncourse", "math", "operator", "functools", "IPython", "ipykernel",
             "builtins", "unittest", "json", "os", "traceback", "linecache", "warnings")
    for name in ("numpy", "numpy.testing", "numpy.linalg", "rnncourse.checks", "rnncourse.grading", "unittest"):
        try:
            importlib.import_module(name)
        except Exception:
            pass
    state = {"mods": {}, "classes": {}, "ns": {}, "ids": set()}

    def trusted(name):
        return name.split(".", 1)[0] in roots or name.split(".", 1)[0] in state.get("extra", ())

    def extend():
        for name, mod in list(sys.modules.items()):
            if mod is None or name in state["mods"] or not trusted(name):
                continue
            try:
                d = dict(vars(mod))
            except TypeError:
                continue
            state["mods"][name] = (mod, d)
            for value in d.values():
                state["ids"].add(id(value))
                if isinstance(value, type) and value.__module__ and trusted(value.__module__) \
                        and value not in state["classes"]:
                    try:
                        state["classes"][value] = dict(vars(value))
                    except TypeError:
                        pass
            state["ids"].add(id(mod))
        before = state.pop("before", {})
        for key, value in list(ip.user_ns.items()):
            if key.startswith("_"):
                continue
            if id(value) in state["ids"] and key not in state["ns"]:
                state["ns"][key] = value
            elif before.get(key) is not value and isinstance(value, (types.FunctionType, type)):
                # a function or class the read-only cell just defined (a check helper, a reference):
                # restored before each test, so an answer cell cannot redefine it
                state["ns"][key] = value

    def mark():
        state["before"] = dict(ip.user_ns)

    shell_objs = [ip, ip.kernel, ip.displayhook, ip.display_pub, ip.events,
                  ip.input_transformer_manager, sys.stdout, sys.stderr]
    shell_classes = {type(o) for o in shell_objs} | set(type(ip).__mro__) | set(type(ip.kernel).__mro__)
    shell_classes.discard(object)
    for cls in shell_classes:
        state["classes"][cls] = dict(vars(cls))
    inst = [(o, dict(vars(o))) for o in shell_objs if hasattr(o, "__dict__")]
    lists = [(l, list(l)) for l in (ip.input_transformers_cleanup, ip.input_transformers_post,
                                     ip.ast_transformers, sys.meta_path, sys.path_hooks,
                                     ip.input_transformer_manager.cleanup_transforms,
                                     ip.input_transformer_manager.line_transforms,
                                     ip.input_transformer_manager.token_transformers)]
    callbacks = {k: list(v) for k, v in ip.events.callbacks.items()}
    handlers = dict(ip.kernel.shell_handlers)
    sysattrs = {k: getattr(sys, k) for k in ("excepthook", "displayhook", "breakpointhook",
                "stdout", "stderr", "stdin", "unraisablehook") if hasattr(sys, k)}
    exc_state = (ip.custom_exceptions, ip.CustomTB)
    out = sys.stdout
    write, flush = type(out).write, type(out).flush
    bdict = dict(vars(builtins))
    thread_ids = {t.ident for t in threading.enumerate()}
    extend()

    def audit(event, args):
        if event == "sys.addaudithook":
            raise RuntimeError("audit hooks are not allowed while grading")
    sys.addaudithook(audit)

    def rearm():
        sys.settrace(None); sys.setprofile(None)
        threading.settrace(None); threading.setprofile(None)
        for k, v in sysattrs.items():
            setattr(sys, k, v)
        b = vars(builtins)
        for k, v in bdict.items():
            if b.get(k) is not v:
                b[k] = v
        for name, (mod, d) in list(state["mods"].items()):
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
            md = vars(mod)
            for k, v in d.items():
                if md.get(k, md) is not v and (callable(v) or isinstance(v, types.ModuleType)):
                    md[k] = v
        for cls, d in list(state["classes"].items()):
            for k, v in d.items():
                if k in ("__dict__", "__weakref__", "__doc__"):
                    continue
                if cls.__dict__.get(k, d) is not v:
                    try:
                        setattr(cls, k, v)
                    except (TypeError, AttributeError):
                        pass
            added = [k for k in cls.__dict__ if k not in d] if cls in shell_classes else []
            for k in added:
                try:
                    delattr(cls, k)
                except (TypeError, AttributeError):
                    pass
        for obj, d in inst:
            od = vars(obj)
            for k in [k for k in od if k not in d and callable(od[k])]:
                del od[k]
            for k, v in d.items():
                if callable(v) and od.get(k) is not v:
                    od[k] = v
        for lst, items in lists:
            lst[:] = items
        ip.events.callbacks.clear()
        ip.events.callbacks.update({k: list(v) for k, v in callbacks.items()})
        ip.kernel.shell_handlers.clear(); ip.kernel.shell_handlers.update(handlers)
        ip.custom_exceptions, ip.CustomTB = exc_state
        for k, v in state["ns"].items():
            ip.user_ns[k] = v
        for t in threading.enumerate():
            if t.ident not in thread_ids and t.is_alive() and t.daemon:
                pass  # threads cannot be stopped safely; the token check catches what they do

    def ok(token):
        write(out, token + "\n"); flush(out)

    builtins.__rnncourse_ok__ = ok
    bdict["__rnncourse_ok__"] = ok
    return types.SimpleNamespace(mark=mark, extend=extend, rearm=rearm)

__import__("builtins").__rnncourse_guard__ = __rnncourse_guard_install()
del __rnncourse_guard_install
'''

MARK = "__rnncourse_guard__.mark()"
EXTEND = "__rnncourse_guard__.extend()"
REARM = "__rnncourse_guard__.rearm()"


def new_token() -> str:
    return "rnncourse-ok-" + secrets.token_hex(16)


def with_token(source: str, token: str) -> str:
    return source.rstrip() + f"\n__rnncourse_ok__({token!r})\n"


def integrity_error(message: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=INTEGRITY_ERROR, evalue=message,
                        traceback=[f"{INTEGRITY_ERROR}: {message}"])


def verdict(graded_dir: Path) -> str | None:
    """The integrity message of a graded submission, or None when nothing was detected."""
    for path in sorted(Path(graded_dir).glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == INTEGRITY_ERROR:
                    return f"{path.name}: {out.get('evalue')}"
    return None
