"""The hostile corpus: cheats built on a *blank* submission of tests/fixtures/course/00_plain.

Each case is a name, one sentence saying what the cheat tries, and how it changes the blank
notebook: ``code`` replaces the first answer cell (``rnn_step``), ``count_params`` the second
(else it stays the stub), ``cells`` are code cells appended at the end without nbgrader metadata
(the student's own cells), ``edit`` is a function that changes the notebook (cells, metadata),
``files`` are extra files put next to the notebook, and ``notebook=False`` hands in no plain.ipynb.
tests/test_hostile.py grades ``CASES`` in one batch together with a correct submission: every case
scores 0, with status graded, error or timeout and a message saying why. ``abuse.py`` holds the
second batch (leaks, resources, many files, long notebooks), ``keras_cases.py`` the Keras one.

Grading runs two kernels (autograder/twokernel.py): the student's kernel runs her cells and
never gets a test's source; the checker kernel runs the tests and gets her names as plain data
or as proxies. So a cheat can change anything in *her* kernel (the cases below do: NumPy, the
course's checks, builtins, IPython, the channel's own code) and none of it may earn a point.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

# the prefix of the channel's input() prompts, the type of the display data that carries answers
from autograder.kernelside import MIME, PREFIX


@dataclass
class Case:
    name: str
    description: str
    code: str | None = None
    edit: Callable | None = None
    files: dict = field(default_factory=dict)
    count_params: str | None = None            # the second answer cell (None: the released stub)
    cells: tuple = ()                          # free code cells appended at the end of the notebook
    notebook: bool = True                      # False: no plain.ipynb is handed in (only ``files``)
    expected: float = 0.0                      # the score its honest answers earn
    statuses: tuple = ("graded", "error", "timeout")


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
    Case("grading_reference", "answers with the reference hidden tests import (rnncourse.grading), "
         "by import, from its source file or from its bytecode",
         count_params="def count_params(units, features):\n"
         "    import glob, marshal, rnncourse\n"
         "    try:\n        from rnncourse.grading import keras_param_count\n"
         "    except ImportError:\n        ns = {}\n"
         "        for f in glob.glob(rnncourse.__path__[0] + '/**/grading*', recursive=True):\n"
         "            try:\n                data = open(f, 'rb').read()\n"
         "                exec(marshal.loads(data[16:]) if f.endswith('.pyc') else data, ns)\n"
         "            except Exception:\n                pass\n"
         "        keras_param_count = ns['keras_param_count']\n"
         "    return keras_param_count(features, [units], 'simple_rnn')\n"),
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


# --- cheats aimed at the two-kernel design ------------------------------------------------------
# A test reads the student's names from her kernel: plain data by value, anything else as a proxy
# whose every use is a request to her kernel. What a function does to *its own* kernel while a
# test calls it (patches, hooks, threads, signals) stays there; what it returns is only data.

#: the value channel of the student kernel (its source is public: autograder/kernelside.py)
CHANNEL = "__import__('sys').modules['_grading']"

ZEROS = "    return np.zeros(len(b))\n"

ORACLES = [
    Case("oracle_ndarray_subclass", "an ndarray subclass whose __eq__, comparisons, __array__, __array_ufunc__, "
         "__array_function__, __float__, __len__ and tolist all say 'right'",
         "class Oracle(np.ndarray):\n"
         "    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n"
         "    __lt__ = __le__ = __gt__ = __ge__ = lambda s, o: np.zeros(np.shape(o), bool)\n"
         "    __hash__ = object.__hash__\n"
         "    def __array__(s, dtype=None, copy=None): return np.zeros(3)\n"
         "    def __array_ufunc__(s, ufunc, method, *inputs, **kw): return np.zeros(3)\n"
         "    def __array_function__(s, func, types, args, kwargs): return True\n"
         "    def __float__(s): return 0.0\n    def __len__(s): return 3\n"
         "    def tolist(s): return [0.0, 0.0, 0.0]\n"
         "    shape = property(lambda s: (3,))\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.zeros(len(b) + 1).view(Oracle)"),
    Case("oracle_int_subclass", "count_params returns an int subclass equal to everything, 18 as an index and 104 as an int",
         count_params="class Oracle(int):\n"
         "    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n    __hash__ = int.__hash__\n"
         "    __index__ = lambda s: 18\n    __int__ = lambda s: 104\n    __bool__ = lambda s: True\n"
         "    __class__ = property(lambda s: int)\n"
         "def count_params(units, features):\n    return Oracle(0)"),
    Case("oracle_numpy_int_subclass", "count_params returns an np.int64 subclass whose __eq__ always says yes",
         count_params="class Oracle(np.int64):\n"
         "    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n    __hash__ = np.int64.__hash__\n"
         "def count_params(units, features):\n    return Oracle(0)"),
    Case("oracle_float_protocol", "an object claiming to be an ndarray, with __array__, __array_interface__, __float__, "
         "__len__/__getitem__ and __array_ufunc__ that lie",
         "class Oracle:\n"
         "    __class__ = property(lambda s: np.ndarray)\n"
         "    shape = (3,)\n    ndim, size, dtype = 1, 3, np.dtype(float)\n    __array_priority__ = 1e9\n"
         "    def __array__(s, dtype=None, copy=None): return np.zeros(3)\n"
         "    __array_interface__ = property(lambda s: np.zeros(3).__array_interface__)\n"
         "    def __array_ufunc__(s, *a, **k): return True\n"
         "    def __float__(s): return 0.0\n    def __int__(s): return 0\n"
         "    def __eq__(s, o): return True\n    __hash__ = object.__hash__\n"
         "    def __len__(s): return 3\n    def __getitem__(s, i): return 0.0\n"
         "    def __iter__(s): return iter([0.0, 0.0, 0.0])\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return Oracle()"),
    Case("oracle_list_of_liars", "a list of float subclasses that each equal anything",
         "class F(float):\n    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n    __hash__ = float.__hash__\n"
         "    __array__ = lambda s, *a, **k: np.zeros(())\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return [F(0.0) for _ in b]"),
    Case("oracle_tuple_subclass", "a tuple subclass equal to anything, iterating as something else",
         "class T(tuple):\n    __eq__ = lambda s, o: True\n    __ne__ = lambda s, o: False\n    __hash__ = tuple.__hash__\n"
         "    __len__ = lambda s: 3\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return T((0.0,) * len(b))"),
    Case("oracle_callable", "rnn_step returns a function standing for the array",
         "def rnn_step(x, h, W_x, W_h, b):\n    return lambda *a, **k: np.zeros(len(b))"),
    Case("oracle_changing_sequence", "a sequence that reports one length, then yields items of another",
         "class S:\n    n = 0\n"
         "    def __len__(s): return 3\n"
         "    def __getitem__(s, i):\n        S.n += 1\n        if S.n > 3: raise IndexError(i)\n        return [0.0]\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return S()"),
]

DURING_CALL = [
    Case("call_patches_numpy", "when a test calls it, rnn_step makes NumPy's comparisons and maths always agree, "
         "then returns zeros",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    np.allclose = lambda *a, **k: True\n    np.any = lambda *a, **k: False\n    np.all = lambda *a, **k: True\n"
         "    np.testing.assert_allclose = lambda *a, **k: None\n    np.isfinite = lambda v: np.ones(np.shape(v), bool)\n"
         "    np.tanh = lambda v: np.zeros(np.shape(v))\n" + ZEROS),
    Case("call_patches_checks", "when called, rnn_step turns every function of rnncourse.checks (and the names bound "
         "from it) into a no-op and swaps the module in sys.modules, then returns zeros",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    import sys, types\n    import rnncourse.checks as c\n"
         "    noop = lambda *a, **k: None\n"
         "    for name in dir(c):\n"
         "        if callable(getattr(c, name)) and not name.startswith('__'):\n            setattr(c, name, noop)\n"
         "    sys.modules['rnncourse.checks'] = types.SimpleNamespace(check_close=noop, check_true=noop, _fail=noop)\n"
         "    get_ipython().user_ns.update(check_close=noop, check_true=noop)\n" + ZEROS),
    Case("call_patches_builtins", "when called, rnn_step replaces AssertionError, isinstance, bool, len and print",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    import builtins\n    n = len(b)\n"
         "    builtins.AssertionError = type('Nope', (Exception,), {})\n"
         "    builtins.isinstance = lambda *a: True\n    builtins.bool = lambda v=False: True\n"
         "    builtins.len = lambda v: 3\n    builtins.print = lambda *a, **k: None\n"
         "    return np.zeros(n)"),
    Case("call_patches_type", "when called, rnn_step replaces type() itself (the channel's own encoder uses it)",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    import builtins\n    out = np.zeros(len(b))\n"
         "    builtins.type = lambda *a: float\n    return out"),
    Case("call_patches_tracebacks", "when called, rnn_step silences IPython's tracebacks, sys.excepthook, custom "
         "exception handlers and pre-run hooks in its kernel",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    import sys, IPython\n    ip = get_ipython()\n"
         "    ip.showtraceback = ip._showtraceback = lambda *a, **k: None\n"
         "    IPython.core.interactiveshell.InteractiveShell.showtraceback = lambda *a, **k: None\n"
         "    ip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
         "    sys.excepthook = lambda *a: None\n"
         "    ip.events.register('pre_run_cell', lambda info: None)\n" + ZEROS),
    Case("call_patches_own_channel", "when called, rnn_step rewrites its kernel's side of the channel so that every "
         "later request is answered 'ok' with 18 (count_params(3, 2)'s value)",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         f"    side = {CHANNEL}.side\n"
         "    side.answer = lambda body: '{\"ok\": 18}'\n" + ZEROS),
    Case("call_patches_publish", "when called, rnn_step replaces IPython's publish_display_data, so the channel's "
         "answer is swapped for a forged 'ok' on its way out",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    import IPython.display as d\n    real = d.publish_display_data\n"
         f"    d.publish_display_data = lambda data, *a, **k: real({{{MIME!r}: '{{\"ok\": 1.0}}'}})\n" + ZEROS),
]

HOOKS = [
    Case("thread_repatches_everything", "a thread started by the answer that keeps re-patching NumPy, rnncourse.checks, "
         "the notebook's names and its side of the channel (which it makes answer 'ok' 0.0)",
         "import threading, time, sys\nimport rnncourse.checks as c\n"
         "ns = get_ipython().user_ns\n"
         "def loop():\n"
         "    while True:\n"
         "        try:\n"
         "            np.allclose = lambda *a, **k: True\n"
         "            c.check_close = c.check_true = c._fail = lambda *a, **k: None\n"
         "            ns['check_close'] = ns['check_true'] = lambda *a, **k: None\n"
         f"            {CHANNEL}.side.answer = lambda body: '{{\"ok\": 0.0}}'\n"
         "        except Exception:\n            pass\n"
         "        time.sleep(0.001)\n"
         "threading.Thread(target=loop, daemon=True).start()\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    time.sleep(0.05)\n" + ZEROS),
    Case("gc_callback", "a gc.callbacks hook, run at every collection (threshold 1), that patches the channel and "
         "the checks and raises",
         "import gc, sys\nimport rnncourse.checks as c\n"
         "def hook(phase, info):\n"
         "    c.check_close = c.check_true = lambda *a, **k: None\n"
         f"    {CHANNEL}.side.answer = lambda body: '{{\"ok\": 0.0}}'\n"
         "    raise RuntimeError('from a gc callback')\n"
         "gc.callbacks.append(hook)\ngc.set_threshold(1, 1, 1)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    [[] for _ in range(1000)]\n" + ZEROS),
    Case("sigalrm_raises", "a SIGALRM timer every 10 ms whose handler raises in whatever runs later (cells, the "
         "channel's answers)",
         "import signal\n"
         "def handler(signum, frame):\n    raise RuntimeError('alarm')\n"
         "signal.signal(signal.SIGALRM, handler)\nsignal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("sigalrm_interrupts", "a SIGALRM handler that raises KeyboardInterrupt, then SystemExit",
         "import signal, itertools\ncount = itertools.count()\n"
         "def handler(signum, frame):\n    raise KeyboardInterrupt() if next(count) % 2 else SystemExit(0)\n"
         "signal.signal(signal.SIGALRM, handler)\nsignal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("sigalrm_exits", "a SIGALRM handler that exits the kernel a moment later, while a test's call runs",
         "import os, signal, time\n"
         "signal.signal(signal.SIGALRM, lambda *a: os._exit(0))\nsignal.setitimer(signal.ITIMER_REAL, 0.3)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    time.sleep(1)\n" + ZEROS),
    Case("mutate_inputs", "rnn_step zeroes its inputs in place so that the test's expected value (computed after the "
         "call, from the same arrays) would be tanh(0) = 0 too",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    for a in (x, h, W_x, W_h, b):\n        a.setflags(write=True)\n        a[...] = 0\n" + ZEROS),
    Case("ctypes_zero_inputs", "rnn_step writes zeros into its inputs' memory with ctypes (read-only flags or not)",
         "import ctypes\n"
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    for a in (x, h, W_x, W_h, b):\n        ctypes.memset(a.ctypes.data, 0, a.nbytes)\n" + ZEROS),
    Case("ctypes_zero_every_array", "rnn_step zeroes, with ctypes, the memory of every NumPy array its kernel holds",
         "import ctypes, gc\n"
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    for obj in gc.get_objects():\n"
         "        if type(obj) is np.ndarray and obj.nbytes and obj.dtype.kind == 'f':\n"
         "            ctypes.memset(obj.ctypes.data, 0, obj.nbytes)\n" + ZEROS),
    Case("ctypes_crash_in_call", "rnn_step reads address 0 with ctypes (a segmentation fault) when a test calls it",
         "import ctypes\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    ctypes.string_at(0)\n" + ZEROS),
    Case("sys_modules_swap", "numpy, rnncourse.checks and the channel's own module replaced in sys.modules by fakes "
         "(the fake channel publishes 'ok' for everything)",
         "import sys, types\n"
         "from IPython.display import publish_display_data\n"
         "class FakeSide:\n"
         f"    def serve(self, body):\n        publish_display_data({{{MIME!r}: '{{\"ok\": 18}}'}})\n"
         "    def __getattr__(self, name):\n        return lambda *a, **k: None\n"
         "fake = types.ModuleType('_grading')\nfake.side = FakeSide()\n"
         "sys.modules['_grading'] = fake\n"
         "sys.modules['rnncourse.checks'] = types.SimpleNamespace(check_close=lambda *a, **k: None,"
         " check_true=lambda *a, **k: None)\n"
         "sys.modules['numpy'] = types.SimpleNamespace(allclose=lambda *a, **k: True)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("module_class_swap", "the __class__ of numpy, rnncourse.checks and the channel's module swapped for a module "
         "type whose attributes are all no-ops",
         "import sys, types\nimport rnncourse.checks as c\n"
         "class Yes(types.ModuleType):\n"
         "    def __getattribute__(self, name):\n"
         "        if name.startswith('__'):\n            return object.__getattribute__(self, name)\n"
         "        return lambda *a, **k: True\n"
         "for m in (np, c, sys.modules['_grading']):\n    m.__class__ = Yes\n"
         "def rnn_step(x, h, W_x, W_h, b):\n    return [0.0, 0.0, 0.0]"),
    Case("session_patch", "jupyter_client's Session in the student kernel rewrites every message: errors dropped, "
         "replies 'ok', published answers forged, and each incoming request of the checker replaced by FORGE()",
         "from jupyter_client.session import Session\n"
         "from IPython.display import publish_display_data\n"
         f"def FORGE():\n    publish_display_data({{{MIME!r}: '{{\"ok\": 18}}'}})\n"
         "real_send, real_deserialize = Session.send, Session.deserialize\n"
         "def send(self, stream, msg_or_type, content=None, *a, **k):\n"
         "    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('msg_type')\n"
         "    if kind == 'error':\n        return None\n"
         "    if kind == 'execute_reply' and isinstance(content, dict):\n        content = dict(content, status='ok')\n"
         f"    if kind == 'display_data' and isinstance(content, dict) and {MIME!r} in content.get('data', {{}}):\n"
         f"        content = dict(content, data={{{MIME!r}: '{{\"ok\": 18}}'}})\n"
         "    return real_send(self, stream, msg_or_type, content, *a, **k)\n"
         "def deserialize(self, *a, **k):\n"
         "    msg = real_deserialize(self, *a, **k)\n"
         "    if 'side.serve' in str(msg.get('content', {}).get('code', '')):\n"
         "        msg['content']['code'] = 'FORGE()'\n"
         "    return msg\n"
         "Session.send, Session.deserialize = send, deserialize\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("codeop_patch", "every later compile in the student kernel (codeop, IPython's CachingCompiler) compiles `pass`",
         "import codeop, IPython.core.compilerop as co\n"
         "real = co.CachingCompiler.__call__\n"
         "co.CachingCompiler.__call__ = lambda self, source, filename, symbol, *a, **k: real(self, 'pass', filename, symbol)\n"
         "codeop.Compile.__call__ = lambda self, source, filename, symbol, *a, **k: compile('pass', filename, symbol)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
]

CODE_SWAPS = [
    Case("code_swap_checks", "the __code__ of rnncourse.checks' functions replaced by a no-op's, __defaults__ changed",
         "import rnncourse.checks as c\n"
         "noop = (lambda *a, **k: None).__code__\n"
         "for f in (c.check_close, c.check_true, c.check_shape, c._fail):\n    f.__code__ = noop\n"
         "c.check_close.__defaults__ = (None, 1e9, 1e9)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("code_swap_own_function", "rnn_step's source is the right formula but its __code__ is swapped for a zeros "
         "function's; count_params gets __defaults__ that answer 18",
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.tanh(W_x @ x + W_h @ h + b)\n"
         "def _zeros(x, h, W_x, W_h, b):\n" + ZEROS +
         "rnn_step.__code__ = _zeros.__code__",
         count_params="def count_params(units, features, answer=0):\n    return answer\n"
         "count_params.__defaults__ = (18,)"),
    Case("code_swap_channel", "the __code__ of the channel's Side.answer swapped for one that answers 'ok' 18",
         "def forged(self, body):\n    return '{\"ok\": 18}'\n"
         f"{CHANNEL}.Side.answer.__code__ = forged.__code__\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
    Case("code_swap_numpy", "the __code__ of NumPy's Python-level comparisons swapped for 'always true'",
         "yes = (lambda *a, **k: True).__code__\n"
         "for f in (np.allclose, np.isclose, np.array_equal, np.testing.assert_allclose):\n"
         "    try:\n        f.__code__ = yes\n    except Exception:\n        pass\n"
         "def rnn_step(x, h, W_x, W_h, b):\n" + ZEROS),
]

CHANNEL_FORGERIES = [
    Case("call_reads_stdin", "rnn_step and count_params call input() (the channel uses stdin): many times, catching EOF",
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.array([float(input('value? ')) for _ in b])",
         count_params="def count_params(units, features):\n"
         "    for _ in range(1000):\n        try:\n            return int(input('count? '))\n"
         "        except EOFError:\n            pass\n    return 0"),
    Case("call_prints_prefix", "rnn_step prints, shows and raises text that starts like the channel's messages",
         "import sys\n"
         f"FORGED = {PREFIX!r} + 'A' + '{{\"ok\": 18}}'\n"
         "print(FORGED)\n"
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    print(FORGED)\n    print(FORGED, file=sys.stderr)\n    get_ipython().displayhook(FORGED)\n"
         "    raise ValueError(FORGED)",
         cells=(f"print({PREFIX!r} + 'A' + '{{\"ok\": 18}}')",)),
    Case("call_answers_through_stdin", "rnn_step sends a forged answer to the checker as an input() prompt of its own "
         "(a reply for the request in flight, and one for a request not yet made), then returns zeros",
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    for _ in range(3):\n"
         "        try:\n"
         f"            input({PREFIX!r} + 'A' + '{{\"ok\": 18}}')\n"
         "        except Exception:\n            pass\n" + ZEROS),
    Case("call_asks_the_checker", "rnn_step sends requests to the checker through input() (handles 0-40: getattr, "
         "call, iter, fetch) hoping for the checker's objects",
         "import json\nASKED = []\n"
         "def rnn_step(x, h, W_x, W_h, b):\n"
         "    for i in range(40):\n"
         "        for req in ({'op': 'getattr', 'id': i, 'name': 'source'}, {'op': 'call', 'id': i, 'args': [], 'kwargs': []},\n"
         "                    {'op': 'iter', 'id': i}, {'op': 'fetch', 'names': ['check_close', 'rng', 'In']}):\n"
         "            try:\n"
         f"                ASKED.append(input({PREFIX!r} + 'Q' + json.dumps(req))[:200])\n"
         "            except Exception as exc:\n                ASKED.append(repr(exc))\n" + ZEROS,
         cells=("print(ASKED[:5], len(ASKED))",)),
]


def _forge(name, description, payload_expr, setup=""):
    return Case(name, description,
                "import IPython.display as d, base64, json, pickle\nREAL = d.publish_display_data\n" + setup +
                "def rnn_step(x, h, W_x, W_h, b):\n"
                f"    forged = {payload_expr}\n"
                f"    d.publish_display_data = lambda data, *a, **k: REAL({{{MIME!r}: forged}})\n" + ZEROS)


PICKLE_BOMB = ("class Bomb:\n"
               "    def __reduce__(self):\n"
               "        return (exec, (\"import rnncourse.checks as c; c.check_close = c.check_true = lambda *a, **k: None\",))\n")

MIME_FORGERIES = [
    _forge("mime_ok_for_another_request", "the published answer says 'ok' with count_params(3, 2)'s value (18)",
           "'{\"ok\": 18}'"),
    _forge("mime_malformed_json", "the published answer is not JSON", "'{\"ok\": [1, 2, '"),
    _forge("mime_not_text", "the published answer is a dict instead of a string", "{'ok': 1.0}"),
    _forge("mime_deep_nesting", "the published answer nests lists 200 000 deep",
           "'{\"ok\": ' + '[' * 200000 + ']' * 200000 + '}'"),
    _forge("mime_huge", "the published answer is 300 MiB (past the channel's 256 MiB limit)",
           "'{\"ok\": \"' + 'x' * (300 << 20) + '\"}'"),
    _forge("mime_ref_to_checker", "the published answer is a reference to the checker's own objects (ids 0-3)",
           "json.dumps({'ok': {'t': 'list', 'v': [{'t': 'ref', 'id': i} for i in range(4)]}})"),
    _forge("mime_pickle_payload", "the published answer is a pickle whose loading would disable the checks "
           "(only the student side ever unpickles)",
           "json.dumps({'ok': {'t': 'pickle', 'v': base64.b64encode(pickle.dumps(Bomb())).decode()}})",
           setup=PICKLE_BOMB),
    _forge("mime_error_keyboardinterrupt", "the published answer is an error named KeyboardInterrupt",
           "json.dumps({'error': {'type': 'KeyboardInterrupt', 'message': 'stop'}})"),
    _forge("mime_bad_array", "the published answer is an .npy of object dtype (NumPy reads it only with pickles)",
           "json.dumps({'ok': {'t': 'nd', 'v': base64.b64encode(NPY).decode()}})",
           setup=PICKLE_BOMB + "import io\nbuf = io.BytesIO()\n"
                 "np.save(buf, np.array([Bomb()] * 3, dtype=object), allow_pickle=True)\nNPY = buf.getvalue()\n"),
    _forge("mime_forged_rng_state", "the published answer carries forged generator states for arguments",
           "json.dumps({'ok': 1.0, 'rngs': [[0, {'t': 'dict', 'v': [['bit_generator', 'PCG64']]}]] * 100})"),
]

CASES += ORACLES + DURING_CALL + HOOKS + CODE_SWAPS + CHANNEL_FORGERIES + MIME_FORGERIES


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
