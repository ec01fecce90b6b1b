"""Autograder for the RNN course: nbgrader, with a sandbox and a batch pipeline around it.

The pipeline for one batch reads like nbgrader's converters, one small step per module:
``intake`` (sanitize and validate files) → ``execute`` (sandboxed kernel) → nbgrader's scoring →
``gradebook`` (record) → ``feedback`` → ``report``. ``python -m autograder --help`` lists commands.
"""
__version__ = "0.1.0"
