"""The gradebook on a real PostgreSQL server: a parallel batch records every grade exactly once.

The server is Debian's ``postgresql``, installed before pytest starts by the set-up step of
``make test`` (``bash scripts/system-deps.sh postgresql``; the tests never install anything),
initialised in a temporary folder and listening on 127.0.0.1 only, for this test session; it is
stopped at the end. Without a server the tests skip saying why, and under ``CI=true`` that skip is
a failure (tests/conftest.py).
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder import config, course, grade
from autograder.results import Options
from scale_helpers import ASSIGNMENT, EXPECTED, gradebook_scores, make_class, make_course

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


def _pg_bin() -> Path | None:
    for pattern in ("/usr/lib/postgresql/*/bin/initdb", "/usr/local/bin/initdb", "/usr/bin/initdb"):
        found = sorted(glob.glob(pattern))
        if found:
            return Path(found[-1]).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """(base URL, bin dir) of a throw-away PostgreSQL server on loopback."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server (initdb not found): `make test` installs it before pytest starts, "
                    "or run `bash scripts/system-deps.sh postgresql`")
    root = Path(tempfile.mkdtemp(prefix="rnncourse-pg-"))
    data, sock, log = root / "data", root / "sock", root / "server.log"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:                      # PostgreSQL refuses to run as root
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root but there is no 'postgres' user to run the server as")
        for path in (root, sock):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        init = subprocess.run(as_user + [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                         "--no-sync", "-E", "UTF8"], capture_output=True, text=True, timeout=300)
        if init.returncode != 0:
            pytest.skip(f"initdb failed: {init.stderr.strip()[-500:]}")
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log),
                                          "-w", "-t", "120", "start"], capture_output=True, text=True, timeout=180)
        if start.returncode != 0:
            text = log.read_text() if log.exists() else start.stderr
            pytest.skip(f"PostgreSQL did not start: {text.strip()[-500:]}")
        yield f"postgresql://postgres@127.0.0.1:{port}", bindir
    finally:
        if data.exists():
            subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server, request):
    """A fresh database on the session's server."""
    import psycopg2

    base, _ = postgres_server
    name = "gb_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    conn = psycopg2.connect(base + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return f"{base}/{name}"


def test_parallel_batch_into_postgresql_records_every_grade_once(postgres_url, tmp_path, read_grades):
    source = make_course(tmp_path / "course")
    subs = make_class(course.State.from_env(tmp_path / "x", source=source), tmp_path)
    state = course.State.from_env(tmp_path / "state", db_url=postgres_url, source=source)
    assert state.db_url.startswith("postgresql")   # a plain postgresql:// URL, as --db takes it
    grade.grade_batch(ASSIGNMENT, subs, tmp_path / "out", Options(state, cell_timeout=30),
                      workers=2, progress=False)
    got = read_grades(tmp_path / "out", timing=False)
    assert {s: float(r["score"]) for s, r in got.items()} == EXPECTED
    book = gradebook_scores(state)
    assert book == {s: (EXPECTED[s], 1) for s in EXPECTED if s != "s99_notjson"}
    assert not (state.root / "gradebook.db").exists(), "nothing may fall back to SQLite"

    # recording the same grades again (a re-run, or a resumed batch) changes nothing
    from autograder import worker

    outcome = worker.execute(next(grade.tasks(ASSIGNMENT, ["s03_half"], Options(state, cell_timeout=30))))
    assert grade.record_outcome(outcome, [], state, config.api_for(state))[1]
    assert gradebook_scores(state) == book


def test_nbgrader_reads_the_postgresql_gradebook(postgres_url, tmp_path):
    """What the grader wrote is what nbgrader's own tools (formgrader, export) see."""
    source = make_course(tmp_path / "course")
    subs = make_class(course.State.from_env(tmp_path / "x", source=source), tmp_path,
                      students={"s01_correct": "def add(a, b):\n    return a + b"})
    state = course.State.from_env(tmp_path / "state", db_url=postgres_url, source=source)
    grade.grade_batch(ASSIGNMENT, subs, tmp_path / "out", Options(state, cell_timeout=30),
                      workers=1, progress=False)
    from nbgrader.api import Gradebook

    with Gradebook(state.db_url, course.COURSE_ID) as gb:
        sub = gb.find_submission(ASSIGNMENT, "s01_correct")
        assert (sub.score, sub.max_score, sub.needs_manual_grade) == (3.0, 3.0, False)
        grades = {g.name: g.auto_score for g in gb.find_submission_notebook("add", ASSIGNMENT, "s01_correct").grades}
        assert grades == {"add_small": 1.0, "add_large": 2.0}
