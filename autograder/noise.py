"""Library noise: lines TensorFlow, absl, oneDNN and Python's warnings write to stderr on their own.

They are removed from the student's cells before feedback, so that nothing a library says reads as
the student's mistake. (A test cell's score never depends on stderr: it is decided by the checker
kernel, whose stderr is dropped; see ``twokernel.py``.)
"""
from __future__ import annotations

import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, List, Unicode

from rnncourse.liblog import CPP_LOG_PATTERNS

# Lines that TensorFlow, absl, oneDNN, CUDA and Python's warnings module write to stderr on their
# own. nbgrader zeroes a test cell with *any* stderr output, so a correct answer whose cell merely
# triggered a library warning would lose its points; these lines are removed before scoring.
# (The C++ logger's lines are the student package's too: rnncourse.setup() keeps them out of the
# student's own notebook, see rnncourse/liblog.py.)
NOISE_PATTERNS = CPP_LOG_PATTERNS + [
    r"^(WARNING|INFO|ERROR):(tensorflow|absl|keras)?:?.*$",                      # Python logging of TF/absl
    r"^.*\.py:\d+: \w*Warning: .*$",                                             # warnings.warn(...) lines
]


class StripLibraryNoise(NbGraderPreprocessor):
    """Remove library log and warning lines from stderr so they never cost a student points."""

    enabled = Bool(True).tag(config=True)
    patterns = List(Unicode(), default_value=NOISE_PATTERNS).tag(config=True)

    @property
    def regex(self) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns))  # re caches the compiled form

    def strip(self, text: str) -> str:
        kept, skip_source_line = [], False
        for line in text.splitlines(keepends=True):
            bare = line.rstrip("\n")
            if skip_source_line and line.startswith("  "):
                # warnings.warn prints the offending source line, indented, after the message.
                skip_source_line = False
                continue
            skip_source_line = False
            if self.regex.match(bare):
                skip_source_line = "Warning: " in bare
                continue
            kept.append(line)
        return "".join(kept)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        if cell.cell_type != "code" or not self.enabled:
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output.text = self.strip(output.text)
                if not output.text.strip():
                    continue
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources
