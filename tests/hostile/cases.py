"""The hostile corpus: cheats built on a *blank* submission of tests/fixtures/course/00_plain.

Each case is a name, one sentence saying what the cheat tries, and how it changes the blank
notebook: ``code`` replaces the first answer cell (``rnn_step``; the second answer stays the
stub), ``edit`` is a function that changes the notebook (cells, metadata) and ``files`` are extra
files put next to the notebook. tests/test_hostile.py grades all of them in one batch together
with a correct submission, and every case must score 0 (or be flagged ``tampered`` with 0).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Case:
    name: str
    description: str
    code: str | None = None
    edit: Callable | None = None
    files: dict = field(default_factory=dict)


def _meta(cell):
    return cell.metadata.setdefault("nbgrader", {})


def _tests(nb):
    return [c for c in nb.cells if _meta(c).get("grade") and not _meta(c).get("solution")]


def _answers(nb):
    return [c for c in nb.cells if _meta(c).get("solution")]


# --- edits of notebook structure and metadata ---------------------------------------------

def edit_tests(nb):
    for c in _tests(nb):
        c.source = "assert True"


def delete_tests(nb):
    nb.cells = [c for c in nb.cells if c not in _tests(nb)]


def retag_tests(nb):
    for c in _tests(nb):
        _meta(c).update(grade=False, locked=False)
        c.source = "pass"


def tests_to_markdown(nb):
    for c in _tests(nb):
        c.cell_type = "markdown"
        c.pop("outputs", None)
        c.pop("execution_count", None)


def duplicate_grade_ids(nb):
    for c in _tests(nb):
        twin = copy.deepcopy(c)
        twin.source = "assert True"
        twin.id = c.id + "-twin"
        nb.cells.insert(nb.cells.index(c), twin)


def more_points(nb):
    for c in _tests(nb):
        _meta(c)["points"] = 1000
    extra = copy.deepcopy(_answers(nb)[0])
    extra.source = "pass"
    extra.id = "my-bonus"
    extra.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus_test", "locked": True,
                                  "points": 50, "schema_version": 3, "solution": False}
    nb.cells.append(extra)


def answer_becomes_test(nb):
    a = _answers(nb)[0]
    _meta(a).update(grade=True, points=100, solution=False, grade_id="rnn_step_test", locked=True)
    a.source = "pass"


def unlock_and_change_id(nb):
    for c in _tests(nb):
        _meta(c).update(locked=False, grade_id=_meta(c)["grade_id"] + "_x")
        c.source = "pass"


def answer_to_raw(nb):
    a = _answers(nb)[0]
    a.cell_type = "raw"
    a.pop("outputs", None)
    a.pop("execution_count", None)


def timestamp_metadata(nb):
    nb.metadata["nbgrader"] = {"timestamp": "2000-01-01 00:00:00"}
    nb.metadata["timestamp"] = "2000-01-01T00:00:00Z"


def kernel_swap(nb):
    nb.metadata["kernelspec"] = {"name": "evil", "display_name": "Python 3", "language": "python"}


def markdown_xss(nb):
    from nbformat.v4 import new_markdown_cell

    nb.cells.insert(1, new_markdown_cell("<script>alert(1)</script><img src=x onerror=alert(2)>"))


def print_leak_later(nb):
    from nbformat.v4 import new_code_cell

    nb.cells.append(new_code_cell("print(LEAKED)\nraise RuntimeError(LEAKED)"))


LEAK_SOURCE = ("def rnn_step(x, h, W_x, W_h, b):\n"
               "    global LEAKED\n"
               "    LEAKED = get_ipython().kernel.get_parent('shell')['content']['code']\n"
               "    import sys\n"
               "    print(LEAKED)\n    print(LEAKED, file=sys.stderr)\n"
               "    get_ipython().displayhook(LEAKED)\n"
               "    raise ValueError(LEAKED)")

CHEAT_HEADER = "import numpy as np\n"

CASES: list[Case] = [
    # --- how the kernel runs or reports later cells
    Case("events_pre_run_cell", "a pre_run_cell hook that rewrites the test cell to pass",
         "ip = get_ipython()\n"
         "def hook(info):\n    info.raw_cell = 'pass'\n"
         "ip.events.register('pre_run_cell', hook)"),
    Case("input_transformer", "an input transformer that replaces every later cell with pass",
         "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"),
    Case("input_transformer_post", "a post transformer that empties cells",
         "get_ipython().input_transformers_post.append(lambda lines: [])"),
    Case("ast_transformer", "an AST transformer that drops every statement",
         "import ast\n"
         "class Drop(ast.NodeTransformer):\n"
         "    def visit_Module(self, node):\n        node.body = [ast.Pass()]\n        return node\n"
         "get_ipython().ast_transformers.append(Drop())"),
    Case("custom_exc", "set_custom_exc swallows every exception",
         "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
    Case("showtraceback", "showtraceback replaced by a no-op",
         "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\nip._showtraceback = lambda *a, **k: None"),
    Case("showtraceback_class", "the shell class's traceback display patched",
         "import ipykernel.zmqshell as z\nz.ZMQInteractiveShell._showtraceback = lambda *a, **k: None\n"
         "z.ZMQInteractiveShell.showtraceback = lambda *a, **k: None"),
    Case("run_cell_patch", "run_cell replaced so cells never run",
         "import IPython\nIPython.core.interactiveshell.InteractiveShell.run_cell = "
         "lambda self, *a, **k: IPython.core.interactiveshell.ExecutionResult(None)"),
    Case("excepthook", "sys.excepthook and displayhook replaced",
         "import sys\nsys.excepthook = lambda *a: None\nsys.displayhook = lambda *a: None"),
    Case("settrace", "a trace function that skips the test's lines by raising nothing",
         "import sys\n"
         "def tr(frame, event, arg):\n"
         "    if event == 'exception':\n        frame.f_locals.clear()\n"
         "    return tr\n"
         "sys.settrace(tr)"),
    Case("stderr_swallow", "stdout/stderr replaced to hide failures",
         "import sys, io\nsys.stderr = io.StringIO()\nsys.stdout = io.StringIO()"),
    Case("send_response_patch", "the kernel's reply always says ok",
         "import ipykernel.kernelbase as kb\n"
         "orig = kb.Kernel.send_response if hasattr(kb.Kernel, 'send_response') else None\n"
         "ip = get_ipython()\n"
         "real = ip.kernel.session.send\n"
         "def send(stream, msg_or_type, content=None, *a, **k):\n"
         "    if isinstance(msg_or_type, str) and msg_or_type == 'error':\n        return None\n"
         "    if isinstance(msg_or_type, str) and msg_or_type == 'execute_reply' and content:\n"
         "        content = dict(content, status='ok')\n"
         "    return real(stream, msg_or_type, content, *a, **k)\n"
         "ip.kernel.session.send = send"),
    # --- how the score is read from a test cell's outputs
    Case("displayhook_then_raise", "a result displayed inside the function before it raises "
         "(nbgrader reads a test cell's first output)",
         "def rnn_step(x, h, W_x, W_h, b):\n    get_ipython().displayhook('ok')\n    raise NotImplementedError()"),
    Case("timeout_words", "prints the words of a timeout and raises an error named like nbgrader's timeout",
         "print('CellTimeoutError: TimeoutError: Cell execution timed out')\n"
         "class CellTimeoutError(Exception):\n    pass\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    raise CellTimeoutError('CellTimeoutError')"),
    Case("error_flood", "two 12 MiB error messages (errors past the per-notebook output cap)",
         "def rnn_step(x, h, W_x, W_h, b):\n    raise ValueError('x' * (12 << 20))\n"
         "raise ValueError('y' * (12 << 20))"),
    Case("leak_hidden_tests", "prints, shows and raises the running test cell's source (hidden tests included), "
         "and prints it again from a later cell", LEAK_SOURCE, edit=print_leak_later),
    # --- patched libraries and builtins
    Case("numpy_allclose", "NumPy comparisons always true",
         "np.allclose = lambda *a, **k: True\nnp.any = lambda *a, **k: False\nnp.all = lambda *a, **k: True\n"
         "np.testing.assert_allclose = lambda *a, **k: None\nnp.isfinite = lambda x: np.ones(np.shape(x), bool)\n"
         "np.abs = lambda x: np.zeros(np.shape(x))"),
    Case("rnncourse_checks", "the course's check functions replaced by no-ops",
         "import rnncourse.checks as c\nc.check_close = lambda *a, **k: None\nc.check_true = lambda *a, **k: None\n"
         "c._fail = lambda *a, **k: None"),
    Case("rebind_names", "the names the tests use rebound in the notebook",
         "check_close = lambda *a, **k: None\ncheck_true = lambda *a, **k: None"),
    Case("fake_numpy_module", "np rebound to a fake module whose functions never fail",
         "import types\nfake = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith('__')})\n"
         "fake.tanh = lambda x: x\nnp = fake\nimport sys\nsys.modules['numpy'] = fake"),
    Case("builtins_assertionerror", "AssertionError, isinstance, type, print and open patched",
         "import builtins\nclass Nope(Exception):\n    pass\nbuiltins.AssertionError = Nope\n"
         "builtins.isinstance = lambda *a: True\nbuiltins.print = lambda *a, **k: None\n"
         "builtins.open = lambda *a, **k: None\nbuiltins.bool = lambda x=False: False\nbuiltins.type = lambda *a: int"),
    Case("lying_object", "an object lying about equality, shape, length and its array",
         "class Liar(float):\n"
         "    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
         "    def __len__(self): return 3\n    shape = (3,)\n"
         "    def __array__(self, *a, **k): return np.zeros(3)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return Liar(0)\n"
         "def count_params(units, features):\n    return Liar(18)"),
    Case("lying_ndarray", "an ndarray subclass lying about shape, equality, arithmetic and ufuncs",
         "class A(np.ndarray):\n"
         "    shape = property(lambda s: (3,))\n"
         "    def __eq__(s, o): return np.ones(np.shape(o), bool)\n"
         "    def __sub__(s, o): return np.zeros(3)\n"
         "    def __array_ufunc__(s, *a, **k): return np.zeros(3)\n"
         "    def __array_function__(s, *a, **k): return True\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.zeros(7).view(A)"),
    Case("array_protocol_liar", "an object whose __array__ changes between calls and which claims to be a float",
         "class V:\n"
         "    calls = 0\n"
         "    __class__ = property(lambda s: float)\n"
         "    def __array__(self, *a, **k):\n"
         "        V.calls += 1\n"
         "        return np.full(3, np.nan) if V.calls > 1 else np.zeros(3)\n"
         "    def __float__(self): return 0.0\n"
         "    shape = (3,)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return V()"),
    Case("lying_int", "an int subclass that says it equals anything",
         "class Int(int):\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
         "    __hash__ = int.__hash__\n"
         "def count_params(units, features):\n    return Int(0)"),
    # --- the notebook file and its metadata
    Case("edit_tests", "test cells' source replaced by assert True", edit=edit_tests),
    Case("delete_tests", "test cells deleted", edit=delete_tests),
    Case("retag_tests", "test cells re-tagged as ungraded and emptied", edit=retag_tests),
    Case("tests_to_markdown", "test cells turned into markdown", edit=tests_to_markdown),
    Case("duplicate_grade_ids", "passing copies of test cells with the same grade_id before them",
         edit=duplicate_grade_ids),
    Case("more_points", "points raised and an extra graded cell added", edit=more_points),
    Case("answer_becomes_test", "the answer cell re-tagged as a 100-point test", edit=answer_becomes_test),
    Case("unlock_and_rename", "tests unlocked with new grade_ids and emptied", edit=unlock_and_change_id),
    Case("answer_to_raw", "answer cell turned into a raw cell", edit=answer_to_raw),
    Case("kernel_swap", "kernelspec pointing at another kernel", edit=kernel_swap),
    Case("markdown_xss", "script in a markdown cell (must not run in feedback)", edit=markdown_xss),
    Case("timestamp_tamper", "timestamps in metadata and a timestamp.txt to dodge lateness",
         edit=timestamp_metadata, files={"timestamp.txt": "2000-01-01 00:00:00.000000 UTC"}),
    # --- files, gradebook and network
    Case("read_solutions", "reads solutions, fixtures and the gradebook from disk and defines answers from them",
         "import glob, os, json\nfound = []\n"
         "for pat in ['/work/**/solutions/**/*.ipynb', '/work/**/*.db', '/root/**', '/tmp/**/gradebook.db', "
         "os.path.expanduser('~/../../**/plain.ipynb')]:\n"
         "    found += glob.glob(pat, recursive=True)[:5]\n"
         "assert not found, found\n"),
    Case("write_gradebook", "tries to write the gradebook with sqlite",
         "import glob, sqlite3\n"
         "for db in glob.glob('/**/gradebook.db', recursive=True):\n"
         "    c = sqlite3.connect(db); c.execute('update grade set manual_score=100'); c.commit()\n"),
    Case("network", "reaches the network (and the grader's loopback)",
         "import socket\n"
         "for host in [('1.1.1.1', 80), ('127.0.0.1', 22), ('pypi.org', 443)]:\n"
         "    try:\n        socket.create_connection(host, timeout=2)\n        raise SystemExit('connected')\n"
         "    except OSError:\n        pass\n"),
    Case("timestamp_files", "changes file times in its working folder",
         "import os, time\nfor f in os.listdir('.'):\n    os.utime(f, (0, 0))\n"),
    # --- processes, exits, floods
    Case("kill_kernel", "the kernel kills itself", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
    Case("kill_parent", "kills its parent and every pid it can see",
         "import os, signal\n"
         "for pid in [os.getppid(), 1] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
         "    try:\n        os.kill(pid, signal.SIGKILL) if pid != os.getpid() else None\n"
         "    except Exception:\n        pass\n"),
    Case("os_exit", "os._exit(0)", "import os\nos._exit(0)"),
    Case("sys_exit", "sys.exit and SystemExit", "import sys\nsys.exit(0)"),
    Case("infinite_loop", "an uninterruptible infinite loop",
         "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"),
    Case("sleep_clock", "sleeps out the clock", "import time\ntime.sleep(10_000)"),
    Case("memory_flood", "allocates memory until killed",
         "blocks = []\nwhile True:\n    blocks.append(bytearray(64 << 20))"),
    Case("fork_bomb", "forks processes without end",
         "import os\nfor _ in range(100000):\n    try:\n        os.fork() == 0 and __import__('time').sleep(60)\n"
         "    except OSError:\n        break"),
    Case("output_flood", "prints hundreds of megabytes",
         "import sys\nline = 'x' * (1 << 20)\nfor _ in range(300):\n    sys.stdout.write(line)"),
    Case("disk_flood", "fills the disk in its working folder and /tmp",
         "for d in ['.', '/tmp']:\n    for i in range(1000):\n        try:\n"
         "            open(f'{d}/f{i}', 'wb').write(b'x' * (64 << 20))\n"
         "        except OSError:\n            break"),
    Case("read_stdin", "waits for input()", "input('answer? ')"),
    Case("thread_repatcher", "a thread that keeps re-installing an exception swallower",
         "import threading, time\nip = get_ipython()\n"
         "def loop():\n    while True:\n        ip.set_custom_exc((BaseException,), lambda *a, **k: None)\n        time.sleep(0.001)\n"
         "threading.Thread(target=loop, daemon=True).start()"),
]


# --- lying values fed straight to rnncourse.checks (tests/test_hostile.py, no grading needed) ----
# Each entry: name, code that defines ``value`` (run in a fresh namespace with ``np``), the check
# called as ``check(value, *args)``; every one must raise AssertionError (it is a wrong answer
# dressed up as a right one).

LIAR_CLASSES = """
class Int(int):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = int.__hash__
class Str(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
class Tup(tuple):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __iter__(self): return iter((None, 16))
    __hash__ = tuple.__hash__
class Liar:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = object.__hash__
    __class__ = property(lambda self: int)
    shape = (3,)
    def __len__(self): return 3
    def __int__(self): return 18
    def __index__(self): return 18
class Arr(np.ndarray):
    shape = property(lambda self: (3,))
    def __eq__(self, other): return np.ones(np.shape(other), bool)
    def __ne__(self, other): return np.zeros(np.shape(other), bool)
class NumpyImpostor:
    __module__ = "numpy"
    shape = (3,)
"""

CHECK_LIARS = [
    ("int_subclass_eq", "value = Int(0)", "check_equal", (18, "n")),
    ("int_subclass_in_tuple", "value = (None, Int(0))", "check_equal", ((None, 16), "shape")),
    ("int_subclass_in_list", "value = [Int(0), Int(1)]", "check_equal", ([18, 19], "counts")),
    ("np_int_subclass", "class I64(np.int64):\n    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n"
     "value = I64(0)", "check_equal", (18, "n")),
    ("str_subclass_eq", "value = Str('wrong')", "check_equal", ("right", "s")),
    ("tuple_subclass_eq_iter", "value = Tup((1, 2))", "check_equal", ((None, 16), "shape")),
    ("class_claims_int", "value = Liar()", "check_equal", (18, "n")),
    ("class_claims_int_in_list", "value = [Liar()]", "check_equal", ([int], "layer types")),
    ("dict_with_liar", "value = {'units': Liar()}", "check_equal", ({"units": 18}, "config")),
    ("shape_attribute_only", "value = Liar()", "check_shape", ((3,), "x")),
    ("ndarray_subclass_shape", "value = np.zeros(5).view(Arr)", "check_shape", ((3,), "x")),
    ("module_impostor_shape", "value = NumpyImpostor()", "check_shape", ((3,), "x")),
    ("ndarray_subclass_close", "value = np.zeros(5).view(Arr)", "check_close", (np.ones(3), "x")),
    ("liar_close", "value = Liar()", "check_close", (np.ones(3), "x")),
    ("liar_type", "value = Liar()", "check_type", (int, "n")),
]
