"""The second hostile batch on tests/fixtures/course/00_plain: leaks, resources, many files, long notebooks.

Same ``Case`` as ``cases.py``. These are graded apart from ``CASES`` because they are about what
grading costs and shows rather than about points:

* **leaks**: the student's kernel never receives a test cell's source, so nothing it can read
  (``In``, ``_ih``, ``linecache``, the parent message of a call, strings found through ``gc``,
  files, other processes, other kernels' connection files) holds a hidden test. Each leak case
  answers ``rnn_step`` honestly (2 points), records what it can see while a test calls it, and
  prints it all from free cells at the end of the notebook, as text, hex, rot13, reversed and as
  PNG images; the test decodes every output and looks for the hidden lines;
* **resources**: huge or deeply nested answers, sleeping, killing or exiting during a test's call;
* **many files**: thousands of extra notebooks beside (or instead of) the one to grade;
* **long**: every cell sleeps to its time limit; the notebook must still end near its timeout.
"""
from __future__ import annotations

from hostile.cases import CHANNEL, PREFIX, Case

HONEST = "    return np.tanh(W_x @ x + W_h @ h + b)\n"
#: a line of the honest answer: every leak case must show it, decoded, in its outputs (proof that
#: the decoding in tests/test_hostile.py reads what the leaks print)
HONEST_LINE = HONEST.strip()

# --- leaks ------------------------------------------------------------------------------------

#: a free cell defining ``emit(label, value)``: the lines of ``value`` (its repr unless a str) that
#: look like test code, shown plain, as hex, rot13, reversed, as base64 "image/png" data that is
#: really text, and as a real PNG whose tEXt chunk holds them
EMIT = r'''
import base64, codecs, re, struct, zlib
from IPython.display import display
KEYS = ('check_', 'rng', 'count_params', 'rnn_step', 'HIDDEN', 'W_x', 'tanh', 'size=')

def _png(raw):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0))
            + chunk(b'tEXt', b'Comment\x00' + raw) + chunk(b'IDAT', zlib.compress(b'\x00\x00')) + chunk(b'IEND', b''))

def interesting(value, limit=12_000):
    text = value if type(value) is str else repr(value)
    lines = dict.fromkeys(l for l in re.split(r'\n|\\n', text) if any(k in l for k in KEYS))
    return '\n'.join(lines)[:limit]

def emit(label, value):
    text = interesting(value)
    raw = text.encode('utf-8', 'replace')
    print(f'=== {label}: plain\n{text}')
    print(f'=== {label}: hex\n{raw.hex()}')
    print(f'=== {label}: rot13\n{codecs.encode(text, "rot13")}')
    print(f'=== {label}: reversed\n{text[::-1]}')
    display({'image/png': base64.b64encode(raw).decode()}, raw=True)
    display({'image/png': base64.b64encode(_png(raw)).decode()}, raw=True)
'''

#: a free cell: the notebook's own history drawn as text into a matplotlib figure (the same text
#: in the PNG's metadata, which tests/test_hostile.py can read back)
MATPLOTLIB = r'''
import io
from matplotlib.figure import Figure
text = interesting(list(In))
fig = Figure(figsize=(12, 6))
fig.text(0.01, 0.99, text[:1500], va='top', family='monospace', fontsize=5)
buf = io.BytesIO()
fig.savefig(buf, format='png', metadata={'Description': text})
display({'image/png': base64.b64encode(buf.getvalue()).decode()}, raw=True)
'''

#: the last free cell of every leak case: its own history, which holds the honest answer's line
CONTROL = "emit('In', In)"

#: the answer cell of a leak case: records what the kernel holds while a test calls rnn_step
RECORDER = r'''
import sys, gc, time, linecache, traceback
SEEN = []
KEYS = ('check_', 'rng', 'count_params', 'rnn_step', 'HIDDEN', 'W_x', 'tanh', 'size=')

def record(label, value):
    try:
        SEEN.append((label, repr(value)[:20_000]))
    except Exception as exc:
        SEEN.append((label, f'unreadable: {exc!r}'))

def gc_strings(budget=2.0):
    found, start = set(), time.monotonic()
    for obj in gc.get_objects():
        if time.monotonic() - start > budget:
            break
        try:
            items = (obj.values() if type(obj) is dict else obj if type(obj) in (list, tuple, set, frozenset)
                     else getattr(getattr(obj, '__code__', None), 'co_consts', ()))
            for v in items:
                if type(v) is str and len(v) < 50_000 and any(k in v for k in KEYS):
                    found.add(v)
        except Exception:
            pass
    return sorted(found)

def line_cache():
    return {name: ''.join(entry[2]) if len(entry) > 2 else repr(entry) for name, entry in list(linecache.cache.items())}

def frames():
    out, f = [], sys._getframe(1)
    while f is not None:
        out.append((f.f_code.co_filename, f.f_lineno, {k: repr(v)[:500] for k, v in list(f.f_locals.items())}))
        f = f.f_back
    return out
'''

#: what ``rnn_step`` records while a test calls it (then it answers honestly)
AT_CALL = {
    "history": "    record('In', list(In)); record('_ih', list(_ih)); record('Out', dict(Out))\n",
    "linecache": "    record('linecache', line_cache()); record('stack', traceback.format_stack())\n",
    "parent": ("    k = get_ipython().kernel\n"
               "    record('parent shell', k.get_parent('shell')); record('parent', k.get_parent())\n"
               "    record('frames', frames())\n"
               f"    record('side', vars({CHANNEL}.side))\n"),
    "gc": "    record('gc', gc_strings())\n",
}


def _recording_answer(*kinds: str) -> str:
    body = "".join(AT_CALL[k] for k in kinds)
    return (RECORDER + "\ndef rnn_step(x, h, W_x, W_h, b):\n    try:\n"
            + "".join("    " + line + "\n" for line in body.splitlines())
            + "    except Exception as exc:\n        record('failed', exc)\n" + HONEST)


#: a free cell at the end: everything recorded during the calls, emitted
EMIT_SEEN = "for label, text in SEEN:\n    emit(label, text)\nprint(len(SEEN), 'records')"

#: free cells at the end (one cell each: one that fails does not stop the next)
END_HISTORY = ("emit('In', In); emit('_ih', _ih); emit('Out', Out)",
               "emit('history', list(get_ipython().history_manager.get_range(raw=True, output=True)))",
               "emit('history sessions', [list(get_ipython().history_manager.get_range(session=s, raw=True))\n"
               "                          for s in range(-5, 0)])",
               "import sqlite3\nhm = get_ipython().history_manager\n"
               "emit('history file', sqlite3.connect(str(hm.hist_file)).execute('select * from history').fetchall())",
               "emit('parent now', get_ipython().kernel.get_parent('shell'))")
END_LINECACHE = ("emit('linecache', line_cache())",)
END_GC = ("emit('gc', gc_strings())",)

DISK_SCAN = r'''
import os, glob, sqlite3
WORDS = ('HIDDEN TESTS', 'check_close(', 'check_true(')
SKIP = ('/proc', '/sys', '/dev', '/usr/lib', '/usr/share', '/usr/include')

def scan(budget=3.0):
    found, start, seen = [], time.monotonic(), set()
    roots = [os.getcwd(), os.path.expanduser('~'), '/tmp', '/work', '/root', '/home', '/srv', '/var', '/opt',
             '/run', '/mnt', '/dev/shm', '/etc', '/usr/local', '/']
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            if time.monotonic() - start > budget:
                return found
            dirnames[:] = [d for d in dirnames if d not in ('site-packages', '.venv', 'node_modules', '.git')]
            if dirpath in seen or dirpath.startswith(SKIP):
                dirnames[:] = []
                continue
            seen.add(dirpath)
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    with open(path, 'rb') as fh:
                        data = fh.read(2_000_000)
                except Exception:
                    continue
                text = data.decode('utf-8', 'replace')
                if any(w in text for w in WORDS):
                    found.append((path, text[:20_000]))
                if name.endswith(('.sqlite', '.db')):
                    try:
                        con = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
                        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
                        found.append((path, {t: con.execute(f'select * from {t} limit 200').fetchall() for t in tables}))
                    except Exception as exc:
                        found.append((path, repr(exc)))
    return found

def processes(budget=3.0):
    out, start = [], time.monotonic()
    for pid in [p for p in os.listdir('/proc') if p.isdigit()]:
        entry = {'pid': pid}
        for part in ('cmdline', 'environ', 'maps'):
            try:
                with open(f'/proc/{pid}/{part}', 'rb') as fh:
                    entry[part] = fh.read(4000).decode('utf-8', 'replace')
            except Exception as exc:
                entry[part] = repr(exc)
        if pid != str(os.getpid()):           # another process's memory: any test code in it?
            hits = []
            try:
                with open(f'/proc/{pid}/maps') as maps, open(f'/proc/{pid}/mem', 'rb') as mem:
                    for line in maps:
                        if time.monotonic() - start > budget:
                            break
                        span, perms = line.split()[:2]
                        if perms[0] != 'r':
                            continue
                        lo, hi = (int(v, 16) for v in span.split('-'))
                        try:
                            mem.seek(lo)
                            chunk = mem.read(min(hi - lo, 4 << 20))
                        except Exception:
                            continue
                        for w in WORDS:
                            i = chunk.find(w.encode())
                            if i >= 0:
                                hits.append(chunk[max(0, i - 2000):i + 2000].decode('utf-8', 'replace'))
                entry['mem'] = hits
            except Exception as exc:
                entry['mem'] = repr(exc)
        out.append(entry)
    return out
'''

OTHER_KERNELS = r'''
import glob, json, os
from jupyter_client import BlockingKernelClient
mine = get_ipython().kernel.config.get('IPKernelApp', {}).get('connection_file', '')
files = set()
for pattern in ('/tmp/**/*.json', os.path.expanduser('~/**/*.json'), '/run/**/*.json', '/dev/shm/**/*.json',
                os.getcwd() + '/../**/*.json', '/tmp/rnncourse-*/**/*'):
    try:
        files.update(glob.glob(pattern, recursive=True)[:200])
    except Exception:
        pass
emit('connection files', sorted(files))
answers = []
for path in sorted(files):
    try:
        info = json.load(open(path))
        if 'shell_port' not in info or os.path.abspath(path) == os.path.abspath(mine):
            continue
        client = BlockingKernelClient()
        client.load_connection_info(info)
        client.start_channels()
        client.execute("print(repr(In)); print(repr(_ih))")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                answers.append(client.get_iopub_msg(timeout=0.5).get('content'))
            except Exception:
                pass
        client.stop_channels()
    except Exception as exc:
        answers.append((path, repr(exc)))
emit('other kernels', answers)
'''

LEAKS = [
    Case("leak_history", "records In, _ih and Out during each test's call, and prints them, IPython's history "
         "(every session) and the parent message from the notebook's last cells",
         _recording_answer("history"), cells=(EMIT, EMIT_SEEN) + END_HISTORY + (CONTROL,), expected=2.0),
    Case("leak_linecache", "records every linecache entry and the call's stack during each test's call, and prints "
         "them again from the last cells", _recording_answer("linecache"), cells=(EMIT, EMIT_SEEN) + END_LINECACHE + (CONTROL,),
         expected=2.0),
    Case("leak_parent", "records get_ipython().kernel.get_parent('shell'), every frame's locals and its own side "
         "of the channel during each test's call", _recording_answer("parent"), cells=(EMIT, EMIT_SEEN, CONTROL),
         expected=2.0),
    Case("leak_gc", "collects every string a gc-tracked object holds that looks like test code, during the calls "
         "and at the end", _recording_answer("gc"), cells=(EMIT, EMIT_SEEN) + END_GC + (CONTROL,), expected=2.0),
    Case("leak_everything", "all of the above in one notebook",
         _recording_answer("history", "linecache", "parent", "gc"),
         cells=(EMIT, EMIT_SEEN) + END_HISTORY + END_LINECACHE + END_GC + (MATPLOTLIB, CONTROL), expected=2.0),
    Case("leak_disk_and_processes", "reads every file it can see for test code (notebooks, history databases, "
         "logs) and the cmdline, environment, maps and memory of every process it can see",
         RECORDER + DISK_SCAN + "\ndef rnn_step(x, h, W_x, W_h, b):\n" + HONEST,
         cells=(EMIT, "emit('files', scan())", "emit('processes', processes())", CONTROL), expected=2.0),
    Case("leak_other_kernels", "looks for other kernels' connection files and asks any it finds for their history",
         RECORDER + "\ndef rnn_step(x, h, W_x, W_h, b):\n" + HONEST, cells=(EMIT, OTHER_KERNELS, CONTROL),
         expected=2.0),
]

# --- resources and deaths during a test's call --------------------------------------------------

RESOURCES = [
    Case("huge_array_answer", "rnn_step answers with a 1e9-element float64 array (a broadcast view: 8 GB once copied)",
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.broadcast_to(np.float64(0.5), (10**9,))"),
    Case("large_bool_answer", "rnn_step answers with a 120 MB boolean array (under the channel's byte limit)",
         "def rnn_step(x, h, W_x, W_h, b):\n    return np.ones(120_000_000, dtype=bool)"),
    Case("deeply_nested_answer", "rnn_step answers with a list nested 100 000 deep",
         "def rnn_step(x, h, W_x, W_h, b):\n    v = [0.0]\n    for _ in range(100_000):\n        v = [v]\n    return v"),
    Case("wide_answer", "rnn_step answers with a list of three million floats",
         "def rnn_step(x, h, W_x, W_h, b):\n    return [0.0] * 3_000_000"),
    Case("sleep_in_call", "rnn_step and count_params sleep far past the time limit of a call",
         "import time\ndef rnn_step(x, h, W_x, W_h, b):\n    time.sleep(10_000)",
         count_params="import time\ndef count_params(units, features):\n    time.sleep(10_000)"),
    Case("sleep_in_call_uninterruptible", "rnn_step sleeps and swallows every interrupt",
         "import time\ndef rnn_step(x, h, W_x, W_h, b):\n"
         "    while True:\n        try:\n            time.sleep(10_000)\n        except BaseException:\n            pass"),
    Case("kill_in_call", "rnn_step kills its own kernel (SIGKILL) when a test calls it",
         "import os, signal\ndef rnn_step(x, h, W_x, W_h, b):\n    os.kill(os.getpid(), signal.SIGKILL)"),
    Case("stop_in_call", "rnn_step stops its own kernel (SIGSTOP) when a test calls it",
         "import os, signal\ndef rnn_step(x, h, W_x, W_h, b):\n    os.kill(os.getpid(), signal.SIGSTOP)"),
    Case("os_exit_in_call", "rnn_step calls os._exit(0) when a test calls it",
         "import os\ndef rnn_step(x, h, W_x, W_h, b):\n    os._exit(0)"),
    Case("sys_exit_in_call", "rnn_step raises SystemExit, count_params asks IPython to exit the kernel",
         "import sys\ndef rnn_step(x, h, W_x, W_h, b):\n    sys.exit(0)",
         count_params="def count_params(units, features):\n    get_ipython().ask_exit()\n    return 18"),
    Case("kill_everyone_in_call", "rnn_step kills every process it can see (the checker kernel, the grader)",
         "import os, signal\ndef rnn_step(x, h, W_x, W_h, b):\n"
         "    for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()] + [os.getppid(), 1]:\n"
         "        if pid != os.getpid():\n            try:\n                os.kill(pid, signal.SIGKILL)\n"
         "            except Exception:\n                pass\n    return np.zeros(len(b))"),
]

# --- many files -------------------------------------------------------------------------------

MANY = 3000
MANY_FILES = [
    Case("many_files_beside", f"{MANY} extra notebooks beside the blank plain.ipynb",
         files={f"scratch {i:04}.ipynb": "{}" for i in range(MANY)}),
    Case("many_copies_no_notebook", f"no plain.ipynb, but {MANY} notebooks that could each be it",
         notebook=False, files={f"plain ({i:04}).ipynb": "{}" for i in range(MANY)}, statuses=("missing",)),
]

# --- a notebook built to take long ------------------------------------------------------------

SLOW_CELLS = 150
LONG = [
    Case("slow_every_cell", f"every answer cell and {SLOW_CELLS} extra cells sleep to their time limit",
         "import time\ntime.sleep(10_000)\ndef rnn_step(x, h, W_x, W_h, b):\n    time.sleep(10_000)",
         count_params="time.sleep(10_000)",
         cells=("import time\ntime.sleep(10_000)",) * SLOW_CELLS),
    Case("slow_cells_ignoring_interrupts", "cells that sleep and swallow every interrupt",
         "import time\nwhile True:\n    try:\n        time.sleep(10_000)\n    except BaseException:\n        pass",
         cells=("import time\nwhile True:\n    try:\n        time.sleep(10_000)\n    except BaseException:\n"
                "        pass",) * 20),
]

ABUSE: list[Case] = LEAKS + RESOURCES + MANY_FILES + LONG

__all__ = ["ABUSE", "EMIT", "HONEST_LINE", "LEAKS", "PREFIX"]
