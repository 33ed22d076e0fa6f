"""Work spread over every core: batches of messages handled by worker processes, results in input order.

``ordered_map`` sends batches to a pool of worker processes and yields each
batch's result in the order the batches came, holding at most a few batches
per worker in flight: the input is read as the workers need it, so a large
mbox never sits in memory, and a slow batch holds the others back only as far
as that window.

How the workers start depends on the caller. A process with one thread (the
command line) forks them: a forked worker has everything imported already and
starts at once. A process with threads (the app calls this from a worker
thread, while Textual's threads may hold locks a forked child could never
release) starts them with "forkserver" where the platform has it, else "spawn":
a fresh interpreter with no threads. The fork server imports this package
once, so each worker still starts in milliseconds after the first.

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the caller
alone decides what stops (it shuts the pool down and cancels what is queued).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

# Batches in flight per worker: enough to keep every worker busy while the
# caller reads the next ones and writes out the finished ones.
_WINDOW_PER_WORKER = 3


def default_jobs() -> int:
    """How many worker processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """"fork" for a process with one thread, else "forkserver" where the platform has it, else "spawn".

    Forking copies the caller as it is: safe only while no other thread can hold a lock.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The analysis makes no reference cycles: the cyclic collector would only
    # walk the results over and over. Reference counting frees everything.
    gc.disable()
    if initializer is not None:
        initializer(*initargs)


def _standard_fds_open() -> None:
    """Open /dev/null on any of file descriptors 0 to 2 that is closed.

    The fork server is started with the descriptors it needs kept open, and
    those must not be 0, 1 or 2 ("bad value(s) in fds_to_keep"): in a process
    whose stdin was closed (a test harness, a daemon), its socket would get one.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            # The lowest free descriptor is the closed one: it is now /dev/null.
            os.open(os.devnull, os.O_RDWR)


class _NoStream:
    """Stands for sys.stderr while the resource tracker starts: it writes where stderr writes, but has no
    file descriptor to hand on."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def fileno(self) -> int:
        raise OSError("no file descriptor")

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with no standard error of its own.

    It hands on sys.stderr's descriptor; inside the app that is Textual's
    capture of printed text, whose descriptor is -1 ("bad value(s) in
    fds_to_keep"), and a real one would let the tracker write over the screen.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    sys.stderr = _NoStream(saved)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last one shorter), read as they are needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class WorkerPool:
    """A pool of worker processes that maps a function over batches, in order.

    Use it as a context manager, or call ``close``. ``cancel`` drops what is
    queued without waiting (Ctrl-C, a closed pipe, the user cancelling a load).
    """

    def __init__(self, jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        _standard_fds_open()
        _start_resource_tracker()
        context = multiprocessing.get_context(start_method())
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["tui.core.parallel", "tui.core.analysis", "tui.core.sources"])
        elif context.get_start_method() == "fork":
            # A forked worker flushes the standard streams it inherited as it exits: what this
            # process has printed but not yet written must not be written twice.
            sys.stdout.flush()
            sys.stderr.flush()
        self.jobs = jobs
        self._executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs)
        )

    def map(self, function: Callable[[Any], Any], work: Iterable[Any]) -> Iterator[Any]:
        """``function(item)`` for each item of ``work``, computed in the workers, yielded in order."""
        window = self.jobs * _WINDOW_PER_WORKER
        pending: deque[Future] = deque()
        submit = self._executor.submit
        items = iter(work)
        for item in items:
            pending.append(submit(function, item))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            # Refill before handing the result over: the workers go on while the caller works.
            for item in islice(items, 1):
                pending.append(submit(function, item))
            yield result

    def cancel(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.cancel()
