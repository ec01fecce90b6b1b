"""Lines TensorFlow's C++ logger (absl, oneDNN, CUDA) writes to stderr on its own.

In a notebook they show as red stderr boxes, like an error in the student's code: lesson 01's first
training prints ``E0000 … oneDNN supports DT_BOOL only on platforms with AVX-512 …``, and
``TF_CPP_MIN_LOG_LEVEL=2`` does not hide E-level lines. ``drop_from_notebook_stderr`` (called by
``rnncourse.setup``) keeps them out of the student's notebook; the grader strips the same lines from
graded notebooks (``autograder/noise.py``). Python's own warnings are left alone here: they can be
about the student's code.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
import threading

#: whole lines (without the newline) that TensorFlow's C++ side writes unasked
CPP_LOG_PATTERNS = [
    r"^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$",
    r"^[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] .*$",     # absl / glog C++ lines (clock or epoch timestamps)
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+:\d+\] .*$",                # TF C++ logging
    r"^To enable the following instructions: .*$",                               # cpu_feature_guard
]
_LINE = re.compile("|".join(f"(?:{p})" for p in CPP_LOG_PATTERNS))
# what may be the start of such a line, held back until its end arrives (the kernel reads stderr in
# chunks): a severity letter or a year, then a digit or a dash, or the beginning of a fixed line
_START = re.compile(r"^(?:[IWEF]\d|\d{4}-)|^(?:[IWEF]|\d{1,4})$")
_FIXED = ("WARNING: All log messages before absl", "To enable the following instructions")
_relaying = False


def _may_start_a_log_line(piece: str) -> bool:
    return bool(_START.match(piece)) or any(f.startswith(piece) or piece.startswith(f) for f in _FIXED)


class _Filter:
    """Wraps a stream's ``write``: complete library log lines are dropped, everything else passes."""

    def __init__(self, write):
        self.inner, self.pending = write, ""

    def __call__(self, text: str):
        data, self.pending = self.pending + text, ""
        kept = []
        for piece in data.splitlines(keepends=True):
            if piece.endswith(("\n", "\r")):
                if not _LINE.match(piece.rstrip("\r\n")):
                    kept.append(piece)
            elif _may_start_a_log_line(piece):
                self.pending = piece          # maybe a log line whose end is still to come
            else:
                kept.append(piece)
        return self.inner("".join(kept)) if kept else len(text)


def _relay(source: int, target: int) -> None:
    """Copy what arrives on ``source`` to ``target``, less TensorFlow's log lines, until it closes."""
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode

    def write(text: str) -> int:
        os.write(target, text.encode())
        return len(text)

    keep = _Filter(write)
    while chunk := os.read(source, 65536):
        keep(decode(chunk))


def drop_from_notebook_stderr() -> bool:
    """In a Jupyter kernel, drop TensorFlow's C++ log lines before they reach the notebook; elsewhere
    nothing changes. Returns whether it was installed (once per process).

    TensorFlow writes them to file descriptor 2, which ipykernel (on Linux and macOS) reads in a
    thread and shows as the cell's stderr. A pipe with a filtering thread is put in front of that
    descriptor: patching ``sys.stderr.write`` does not last, since IPython replaces it while each
    cell runs and restores its own after (``InteractiveShell._tee``), and the filter was gone from
    the second cell on. What Python code writes to ``sys.stderr`` is not touched."""
    global _relaying
    stream = sys.stderr
    if _relaying or not type(stream).__module__.startswith("ipykernel") or getattr(stream, "_fid", None) is None:
        return False
    read_end, write_end = os.pipe()
    to_notebook = os.dup(2)                 # the kernel's pipe, read by its stderr watcher
    os.dup2(write_end, 2)
    os.close(write_end)
    threading.Thread(target=_relay, args=(read_end, to_notebook), name="rnncourse-stderr-filter", daemon=True).start()
    _relaying = True
    return True
