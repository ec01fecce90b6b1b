"""nbgrader's exchange on a shared JupyterHub, with submissions and feedback private to their student.

Stock nbgrader makes every submitted file and every released feedback page world-readable and hides
them only behind names nobody can list (a random suffix, a hash). On a hub where students are Unix
users, these two plugins use ordinary permissions instead:

- ``PrivateSubmit``: a submission is readable by its student and by the group of the ``inbound``
  folder (nbgrader creates it set-group-id with the instructor's group), by nobody else.
- ``PrivateReleaseFeedback``: each released feedback page belongs to the instructor and to the
  student's own group, readable by nobody else. The instructor must be a member of each student's
  personal group (``usermod -aG STUDENT INSTRUCTOR``; hub/democlass.py does it); where that is not
  so, the page keeps nbgrader's default permissions and a warning is logged.

Enable them in the ``nbgrader_config.py`` of students and instructors respectively::

    c.ExchangeFactory.submit = "autograder.exchange.PrivateSubmit"
    c.ExchangeFactory.release_feedback = "autograder.exchange.PrivateReleaseFeedback"

This module imports nothing of the grader, so a student's server (which cannot read the course's
solutions) can load it.
"""
from __future__ import annotations

import glob
import os
import pwd
import re

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import notebook_hash

OWNER_AND_GROUP_FILE = 0o640
OWNER_AND_GROUP_DIR = 0o750


class PrivateSubmit(ExchangeSubmit):
    """``nbgrader submit`` whose copy in ``inbound`` only the student and the instructors can read."""

    def set_perms(self, dest, fileperms, dirperms):
        super().set_perms(dest, fileperms & OWNER_AND_GROUP_FILE, dirperms & OWNER_AND_GROUP_DIR)

    def copy_files(self):
        super().copy_files()
        # nbgrader opens the submission folder to everyone (0777) so the instructor can delete it;
        # the inbound folder's group (the instructors) is enough for that.
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        if os.path.isdir(dest):
            os.chmod(dest, 0o770)


class PrivateReleaseFeedback(ExchangeReleaseFeedback):
    """``nbgrader release_feedback`` whose pages only their student (and the instructor) can read."""

    def copy_files(self):
        super().copy_files()
        pattern = re.escape(os.path.sep).join([
            self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>.*)",
                                       self.coursedir.assignment_id, escape=True),
            "(?P<notebook_id>.*).html"])
        for html in glob.glob(os.path.join(self.src_path, "*.html")):
            match = re.match(pattern, html)
            if not match:
                continue
            student, notebook = match.group("student_id"), match.group("notebook_id")
            with open(os.path.join(os.path.dirname(html), "submission_secret.txt")) as fh:
                checksum = notebook_hash(secret=fh.read(), notebook_id=notebook)
            released = os.path.join(self.dest_path, f"{checksum}.html")
            try:
                os.chown(released, -1, pwd.getpwnam(student).pw_gid)
                os.chmod(released, OWNER_AND_GROUP_FILE)
            except (KeyError, PermissionError) as exc:
                self.log.warning("feedback of %s stays readable by anyone who knows its name (%s); "
                                 "add the instructor to the student's group to make it private", student, exc)
