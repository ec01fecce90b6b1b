"""Where grading work runs: in this process, in a local process pool, or on a Dask cluster.

``run(fn, items, workers, scheduler)`` applies ``fn`` to every item and yields the results as they
complete (not in order). It never holds more than a small window of items in flight, so a class of
any size streams through in bounded memory: items are pulled from the iterable only when a worker
is about to need them.

* ``scheduler`` given: the work goes to an existing ``dask.distributed`` cluster at that address
  (``tcp://host:8786``, or a ``distributed.Client``/``LocalCluster`` object). Dask is the engine;
  this module only feeds it. Workers must be able to import ``autograder`` (same repository and
  virtual environment) and need bubblewrap; they need no access to the state folder or gradebook
  (see ``worker.py``: workers execute and return; only this process writes, see ``grade.py``).
* ``workers <= 1``: serially, in this process.
* otherwise: a local ``ProcessPoolExecutor`` (spawn context: no forked TensorFlow or ZeroMQ state).

``fn`` is expected to turn a bad submission into a result, not an exception. What it cannot catch
(its worker process killed, a result that cannot be sent back) becomes ``on_error(item, exc)``'s
result when ``on_error`` is given, so one item never stops the others: when a local pool's worker
dies, the items that pool held run again one at a time, each in a fresh process, so only the one
that kills its worker fails, and the rest of the items go on in a new pool. Without ``on_error`` the
exception propagates to the caller.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

#: a worker process is replaced after this many submissions, so slow leaks cannot build up
TASKS_PER_CHILD = 50


def default_workers() -> int:
    """One grading worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


OnError = Callable[[Any, BaseException], Any]


def _failed(on_error: OnError | None, item: Any, exc: BaseException) -> Any:
    if on_error is None:
        raise exc
    return on_error(item, exc)


def run(fn: Callable[[Any], Any], items: Iterable[Any], workers: int | None = None,
        scheduler: Any = None, window: int | None = None, on_error: OnError | None = None) -> Iterator[Any]:
    """Yield ``fn(item)`` for every item, as each completes (``on_error(item, exc)`` for an item
    whose work failed outside ``fn``)."""
    workers = default_workers() if workers is None else max(1, int(workers))
    if scheduler is not None:
        yield from _run_dask(fn, items, scheduler, window, on_error)
    elif workers == 1:
        for item in items:
            try:
                result = fn(item)
            except Exception as exc:
                result = _failed(on_error, item, exc)
            yield result
    else:
        yield from _run_pool(fn, items, workers, window or 2 * workers, on_error)


def _run_pool(fn, items, workers: int, window: int, on_error: OnError | None = None) -> Iterator[Any]:
    items = iter(items)
    ctx = multiprocessing.get_context("spawn")
    while True:
        suspects: list[Any] = []          # items a dead worker's pool held: one of them killed it
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 max_tasks_per_child=TASKS_PER_CHILD) as pool:
            pending = {pool.submit(fn, item): item for item in itertools.islice(items, window)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    item = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(item)
                        continue
                    except Exception as exc:
                        result = _failed(on_error, item, exc)
                    yield result
                if suspects:                  # the pool is gone with everything it held
                    if on_error is None:
                        raise BrokenProcessPool("a worker process died")
                    suspects += pending.values()
                    break
                for item in itertools.islice(items, len(done)):
                    pending[pool.submit(fn, item)] = item
        if not suspects:
            return
        for item in suspects:               # each alone in a fresh process: only the culprit fails
            yield _run_alone(fn, item, ctx, on_error)


def _run_alone(fn, item, ctx, on_error: OnError | None) -> Any:
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        try:
            return pool.submit(fn, item).result()
        except Exception as exc:
            return _failed(on_error, item, exc)


def _run_dask(fn, items, scheduler, window: int | None, on_error: OnError | None = None) -> Iterator[Any]:
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = 2 * threads
        items = iter(items)
        # pure=False: two identical submissions are still two gradings
        held, first = {}, []
        for item in itertools.islice(items, window):
            future = client.submit(fn, item, pure=False)
            held[future.key] = item
            first.append(future)
        futures = as_completed(first, loop=client.loop)
        for future in futures:
            item = held.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:   # e.g. KilledWorker: the task's workers kept dying
                result = _failed(on_error, item, exc)
            finally:
                future.release()
            yield result
            for item in itertools.islice(items, 1):
                new = client.submit(fn, item, pure=False)
                held[new.key] = item
                futures.add(new)
    finally:
        if own:
            client.close()
