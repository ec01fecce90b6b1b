"""Grading at scale: local worker processes and a real Dask cluster give exactly the serial grades,
and only the coordinating process writes the gradebook."""
import os

import pytest

from autograder import cli, config, course, grade, scheduler, worker
from autograder.results import Limits, Options
from scale_helpers import ASSIGNMENT, EXPECTED, gradebook_scores, make_class, make_course

pytestmark = pytest.mark.xdist_group("scale")
slow = pytest.mark.slow


@pytest.fixture(scope="module")
def serial(tmp_path_factory, read_grades):
    """The reference: the class graded serially, in this process."""
    tmp = tmp_path_factory.mktemp("serial")
    source = make_course(tmp / "course")
    subs = make_class(course.State.from_env(tmp / "x", source=source), tmp)
    state = course.State.from_env(tmp / "state", source=source)
    grade.grade_batch(ASSIGNMENT, subs, tmp / "out", Options(state, cell_timeout=30), workers=1, progress=False)
    return source, subs, read_grades(tmp / "out", timing=False), gradebook_scores(state)


@slow
def test_serial_reference_scores(serial):
    _, _, got, book = serial
    assert {s: float(r["score"]) for s, r in got.items()} == EXPECTED
    assert got["s99_notjson"]["status"] == "invalid"
    assert {s for s in book} == set(EXPECTED) - {"s99_notjson"}
    assert all(n == 1 and book[s][0] == EXPECTED[s] for s, (score, n) in book.items())


@slow
def test_local_workers_grade_exactly_like_serial(serial, tmp_path, read_grades):
    source, subs, want, want_book = serial
    state = course.State.from_env(tmp_path / "state", source=source)
    grade.grade_batch(ASSIGNMENT, subs, tmp_path / "out", Options(state, cell_timeout=30),
                      workers=2, progress=False)
    assert read_grades(tmp_path / "out", timing=False) == want
    assert gradebook_scores(state) == want_book
    assert len(grade.last_run.peak_total_rss_kib) == 2, "both worker processes should have graded"
    assert (tmp_path / "out" / "feedback" / "s01_correct" / "add.html").is_file()


@slow
def test_dask_local_cluster_grades_exactly_like_serial(serial, tmp_path, read_grades):
    from distributed import LocalCluster

    source, subs, want, want_book = serial
    state = course.State.from_env(tmp_path / "state", source=source)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="2GiB") as cluster:
        grade.grade_batch(ASSIGNMENT, subs, tmp_path / "out", Options(state, cell_timeout=30),
                          progress=False, scheduler=cluster.scheduler_address)
    assert read_grades(tmp_path / "out", timing=False) == want
    assert gradebook_scores(state) == want_book
    import os

    pids = {w.rsplit(":", 1)[1] for w in grade.last_run.peak_total_rss_kib}
    assert len(pids) == 2 and str(os.getpid()) not in pids, "the work should run in the cluster's two workers"
    assert (tmp_path / "out" / "feedback" / "s01_correct" / "add.html").is_file()


@slow
def test_workers_never_open_the_real_gradebook(serial, tmp_path):
    """A worker gets the submission, the source folder and a private gradebook as bytes, and
    executes without scoring; pointing the state at a database that cannot be opened changes
    nothing until the coordinator records, and recording twice is recording once."""
    source, subs, _, _ = serial
    state = course.State.from_env(tmp_path / "state", source=source)
    from autograder import build

    build.generate(ASSIGNMENT, state, tmp_path / "release")   # as grade_batch does
    task = worker.Task(ASSIGNMENT, "s01_correct", {"add.ipynb": (subs / "s01_correct" / "add.ipynb").read_bytes()},
                       grade.source_files(state, ASSIGNMENT), grade.private_gradebook(ASSIGNMENT, source),
                       Limits(cell_timeout=30))
    outcome = worker.execute(task)                      # no access to any gradebook of ours
    assert outcome.executed and outcome.result.status == "graded" and "add.ipynb" in outcome.autograded
    assert outcome.result.score == 0.0, "a worker does not score"
    broken = course.State(state.root, "sqlite:////nonexistent/dir/gradebook.db", state.source)
    result, recorded = grade.record_outcome(outcome, [], broken, config.api_for(state))
    assert not recorded and result.status == "error" and "could not be recorded" in result.message
    for _ in range(2):                                  # idempotent
        result, recorded = grade.record_outcome(outcome, [], state, config.api_for(state))
        assert recorded and (result.score, result.status) == (3.0, "graded"), result
    assert gradebook_scores(state) == {"s01_correct": (3.0, 1)}


def test_scheduler_streams_with_a_bounded_window():
    """Items are pulled from the iterable only as workers free up (nothing held for the class)."""
    pulled = []

    def items():
        for i in range(10):
            pulled.append(i)
            yield i

    seen = []
    for result in scheduler.run(abs, items(), workers=2, window=3):
        seen.append(result)
        assert len(pulled) - len(seen) <= 3
    assert sorted(seen) == list(range(10))


def _dies_on_three(i):
    if i == 3:
        os._exit(1)       # the worker process dies, as one killed by the OOM killer would
    return i


def test_a_dead_worker_process_costs_only_its_own_item():
    """A worker that dies breaks the local pool; the items it held run again one at a time, and only
    the item that kills its worker becomes ``on_error``'s result."""
    results = list(scheduler.run(_dies_on_three, range(8), workers=2, window=3,
                                 on_error=lambda item, exc: ("failed", item)))
    assert sorted(r for r in results if not isinstance(r, tuple)) == [0, 1, 2, 4, 5, 6, 7]
    assert [r for r in results if isinstance(r, tuple)] == [("failed", 3)]


def test_cli_defaults_to_one_worker_per_core_and_passes_scheduler_and_db(monkeypatch, tmp_path):
    seen = {}

    def fake_grade_batch(assignment, submissions, out, opts, workers=None, progress=True, scheduler=None):
        seen.update(workers=workers, scheduler=scheduler, db=opts.state.db_url)
        return []

    monkeypatch.setattr(grade, "grade_batch", fake_grade_batch)
    monkeypatch.setattr("autograder.sandbox.check_available", lambda: None)
    base = ["grade", "01_sequences", str(tmp_path), "--state", str(tmp_path / "s"), "--out", str(tmp_path / "o")]
    cli.main(base + ["--quiet"])
    assert seen["workers"] is None and seen["scheduler"] is None
    assert scheduler.default_workers() >= 1
    cli.main(base + ["--scheduler", "tcp://10.0.0.1:8786", "--db", "postgresql://u@h/db", "--workers", "3"])
    assert seen == {"workers": 3, "scheduler": "tcp://10.0.0.1:8786", "db": "postgresql+psycopg2://u@h/db"}
