# nbgrader's own commands (formgrader, collect, release_assignment, ...) use the same layout as
# `python -m autograder`: source = solutions/, release = lessons/, state in .grading/.
from autograder.course import configure

configure(get_config())  # noqa: F821 - provided by nbgrader when it loads this file
