"""Work a build does beside Pelican, in a forked process, on another core.

Pelican writes pages in one process.  Work that needs only what was read —
the search index — can run at the same time in a child process: on two cores
a cold build then takes the longer of the two instead of their sum
(docs/performance.md).  A job is started with `start`; `Job.result()` waits for
it, logs in the build's process whatever the child logged (so the build's
warning list is complete) and raises the child's exception, if any.  Work split
into many small pieces (reading entries, analysing them, scanning files) goes
to a pool of `workers()`; `map_in_order` feeds one without piling up results.

A job runs inline, in the calling process, where forking is unsafe or useless:
with one core, or in a process with other threads (the preview server builds
in one).  A child never outlives its build: it is killed when the build's
process dies (Linux parent-death signal), and the build's own jobs are cancelled
when it ends (`foundation.build_state.BuildState.cancel`, called by xxgk.build
whatever the outcome); `cancel_all()` stops every job this process still runs.
"""
from __future__ import annotations

import collections
import ctypes
import gc
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

from .errors import XxgkError

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_RUNNING: list["Job"] = []


class BackgroundError(XxgkError):
    """A background job failed in a way that could not be passed back as its own exception."""


def can_fork() -> bool:
    """Whether a job may run in a child process: more than one core, and no other thread."""
    return (os.cpu_count() or 1) > 1 and threading.active_count() == 1 and hasattr(os, "fork")


class _Collect(logging.Handler):
    """In the child: keep every record, formatted, to be logged again by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _die_with_parent(parent: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the build still cancels it when it ends (BuildState.cancel)
        return
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)


def _keep_inherited_memory_shared() -> None:
    # A forked process shares its parent's memory until it writes to it, and Python's
    # cyclic garbage collector writes to every object it examines: the first full collection
    # copied the build's whole memory into each worker (a 20,000-document build peaked at
    # 2,048 MB; docs/performance.md).  Frozen, the inherited objects are never examined.
    # Held for the child's whole life: its own pools shutting down must not unfreeze them.
    _SHARED.hold()


def _child(conn: Any, fn: Callable[[], Any], parent: int) -> None:
    _keep_inherited_memory_shared()
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the parent, which cancels this
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    collect = _Collect()
    root.addHandler(collect)
    try:
        value = fn()
        outcome: tuple[str, Any] = ("ok", value)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the build
        outcome = ("error", exc)
    try:
        conn.send((outcome, collect.records))
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        text = "".join(traceback.format_exception(outcome[1])) if outcome[0] == "error" else "unpicklable result"
        conn.send((("error", BackgroundError(text)), collect.records))
    conn.close()


class _SharedWithChildren:
    """While forked children run, this process's cyclic collector leaves alone the objects
    they share with it.  Examining an object writes to it, and a page of memory that either
    process writes stops being shared: each keeps a copy.  Frozen objects are still freed
    when nothing refers to them; only cycles among them wait until the last child is done.
    Freezing in the parent before forking cut the 20,000-document build's peak by about
    50 MB (docs/performance.md)."""

    def __init__(self) -> None:
        self._holders = 0

    def hold(self) -> None:
        gc.freeze()  # again on each fork: what was made since the last one is shared too
        self._holders += 1

    def release(self) -> None:
        self._holders -= 1
        if self._holders == 0:
            gc.unfreeze()


_SHARED = _SharedWithChildren()


class Job:
    """One piece of work, running in a child process or already done inline."""

    def __init__(self, name: str):
        self.name = name
        self._process: Any = None
        self._conn: Any = None
        self._outcome: tuple[str, Any] | None = None

    @property
    def forked(self) -> bool:
        return self._process is not None

    def result(self) -> Any:
        """Wait for the job; return its value or raise its exception (once, then again on each call)."""
        if self._outcome is None:
            try:
                outcome, records = self._conn.recv()
            except EOFError:  # the child died without a word (killed, out of memory)
                self._process.join()
                outcome, records = ("error", BackgroundError(
                    f"后台任务「{self.name}」意外终止（退出码 {self._process.exitcode}）")), []
            self._process.join()
            self._conn.close()
            self._forget()
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
            self._outcome = outcome
        kind, value = self._outcome
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs (its partial work is in temporary folders only)."""
        if self._process is not None and self._outcome is None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._conn.close()
            self._outcome = ("error", BackgroundError(f"后台任务「{self.name}」已取消"))
        self._forget()

    def _forget(self) -> None:
        if self in _RUNNING:
            _RUNNING.remove(self)
            _SHARED.release()


def start(name: str, fn: Callable[[], Any]) -> Job:
    """Run `fn` in a child process when that is possible (else now, inline); see Job.result()."""
    job = Job(name)
    if not can_fork():
        try:
            job._outcome = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - raised again by result(), like a child's
            job._outcome = ("error", exc)
        return job
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    # Not a daemon: a job may start workers() of its own (the index analyses entries in
    # them), which multiprocessing refuses to a daemon.  It cannot outlive the build all the
    # same: the build's BuildState.cancel() and the parent-death signal stop it.
    job._process = ctx.Process(target=_child, args=(send, fn, os.getpid()), name=f"xxgk-{name}", daemon=False)
    _SHARED.hold()
    job._process.start()
    send.close()
    job._conn = receive
    _RUNNING.append(job)
    return job


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    _keep_inherited_memory_shared()
    _die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def workers(count: int | None = None, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of forked worker processes (`count`, or one per core up to 4) for a build's
    parallel work (reading entries, analysing them for the index, scanning files).  A worker
    sees the memory of the process that made it as it was when it started, and dies with
    that process; a worker that dies (native code crashing) breaks the pool
    (BrokenProcessPool) instead of hanging it.  Call only where can_fork() holds."""
    return _Workers(count or min(os.cpu_count() or 1, 4), mp_context=multiprocessing.get_context("fork"),
                    initializer=_start_worker, initargs=(os.getpid(), initializer, initargs))


class _Workers(ProcessPoolExecutor):
    """A forked pool that keeps this process's objects frozen (_SharedWithChildren) until it is shut down."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _SHARED.hold()
        self._held = True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait, cancel_futures=cancel_futures)
        if self._held:
            self._held = False
            _SHARED.release()


def _apply(fn: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [fn(item) for item in chunk]


def map_in_order(pool: ProcessPoolExecutor, fn: Callable[[Any], Any], items: Iterable[Any],
                 chunksize: int = 16, ahead: int = 8) -> Iterator[Any]:
    """fn(item) for each item, computed by `pool`, yielded in order.  Unlike pool.map, at most
    `ahead` chunks are computed before they are asked for, so results a slow consumer has not
    taken yet (the index's writer, pausing to write a segment) do not pile up in memory."""
    rest = iter(items)
    pending: collections.deque[Future[list[Any]]] = collections.deque()

    def submit_next() -> None:
        chunk = list(itertools.islice(rest, chunksize))
        if chunk:
            pending.append(pool.submit(_apply, fn, chunk))

    for _ in range(ahead):
        submit_next()
    while pending:
        done = pending.popleft().result()
        submit_next()
        yield from done


def cancel_all() -> None:
    """Stop every job still running (a build failed or was interrupted before waiting for them)."""
    for job in list(_RUNNING):
        job.cancel()


__all__ = ["BackgroundError", "Job", "can_fork", "cancel_all", "map_in_order", "start", "workers"]
