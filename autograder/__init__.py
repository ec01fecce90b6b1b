"""Autograder for the RNN course: nbgrader, with a sandbox and a batch pipeline around it.

A batch (``grade.py``, the coordinator) reads like nbgrader's converters, one small step per
module: ``intake`` (find and vet files) → ``stage`` (the grader's own copies) → ``worker`` (execute
one submission in the sandbox, on a worker process) → ``gradebook`` (score once and record, in the
coordinator) → feedback → ``grades_csv`` → ``report``. ``results`` holds the plain data both sides
exchange, ``course`` and ``paths`` the layout, ``config`` nbgrader's configuration.
``python -m autograder --help`` lists commands.
"""
__version__ = "0.1.0"
