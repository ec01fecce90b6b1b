# nbgrader's own commands (formgrader, collect, release_assignment, ...) use the same layout as
# `python -m autograder`: source = solutions/, release = lessons/, state in .grading/.
# `nbgrader collect` writes to .grading/submitted/; grade that folder with
# `python -m autograder grade <assignment> .grading/submitted` (it is only read).
from autograder.config import configure, prepare_nbgrader

prepare_nbgrader()   # nbgrader finds `alembic` in this environment, even when it is not activated
configure(get_config(), nbgrader_cli=True)  # noqa: F821 - provided by nbgrader when it loads this file
