"""Where grading work runs: in this process, in a local process pool, or on a Dask cluster.

``run(fn, items, workers, scheduler)`` applies ``fn`` to every item and yields the results as they
complete (not in order). It never holds more than a small window of items in flight, so a class of
any size streams through in bounded memory: items are pulled from the iterable only when a worker
is about to need them.

* ``scheduler`` given: the work goes to an existing ``dask.distributed`` cluster at that address
  (``tcp://host:8786``, or a ``distributed.Client``/``LocalCluster`` object). Dask is the engine;
  this module only feeds it. Workers must be able to import ``autograder`` (same repository and
  virtual environment) and need bubblewrap; they need no access to the state folder or gradebook
  (see ``gradebook.py``: workers execute and return, only this process writes).
* ``workers <= 1``: serially, in this process.
* otherwise: a local ``ProcessPoolExecutor`` (spawn context: no forked TensorFlow or ZeroMQ state).

Exceptions raised by ``fn`` propagate to the caller; ``fn`` is expected to turn a bad submission
into a result, not an exception.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

#: a worker process is replaced after this many submissions, so slow leaks cannot build up
TASKS_PER_CHILD = 50


def default_workers() -> int:
    """One grading worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run(fn: Callable[[Any], Any], items: Iterable[Any], workers: int | None = None,
        scheduler: Any = None, window: int | None = None) -> Iterator[Any]:
    """Yield ``fn(item)`` for every item, as each completes."""
    workers = default_workers() if workers is None else max(1, int(workers))
    if scheduler is not None:
        yield from _run_dask(fn, items, scheduler, window)
    elif workers == 1:
        for item in items:
            yield fn(item)
    else:
        yield from _run_pool(fn, items, workers, window or 2 * workers)


def _run_pool(fn, items, workers: int, window: int) -> Iterator[Any]:
    items = iter(items)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                             max_tasks_per_child=TASKS_PER_CHILD) as pool:
        pending = {pool.submit(fn, item) for item in itertools.islice(items, window)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
            for item in itertools.islice(items, len(done)):
                pending.add(pool.submit(fn, item))


def _run_dask(fn, items, scheduler, window: int | None) -> Iterator[Any]:
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = 2 * threads
        items = iter(items)
        # pure=False: two identical submissions are still two gradings
        futures = as_completed([client.submit(fn, item, pure=False) for item in itertools.islice(items, window)],
                               loop=client.loop)
        for future in futures:
            try:
                yield future.result()
            finally:
                future.release()
            for item in itertools.islice(items, 1):
                futures.add(client.submit(fn, item, pure=False))
    finally:
        if own:
            client.close()
