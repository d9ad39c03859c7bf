"""Background work for the GUI: one database thread for the counter's own reads and writes, a small pool for
network, model and file work.

The database thread runs what the pages ask of app/ one call at a time, in the order asked. The I/O pool may
write too: a sync run and the retention purge open their own short transactions there (SQLite serialises the
writers; neither holds a session across threads), so a long sync never queues the clerk's saves behind it.
Results (or errors) come back to the GUI thread through a Qt signal; callbacks always run on the GUI thread,
so widgets may be touched there. Nothing in ui/ touches the database on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs blocking app/ services off the GUI thread and delivers their typed results back on it."""

    _finished = Signal(object)
    failed = Signal(object)  # an exception no caller handled: the main window reports it

    def __init__(self, parent: QObject | None = None, io_workers: int = 4) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fenqi-db")
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="fenqi-io")
        self._finished.connect(self._deliver)
        self._db_thread_ident: int | None = None
        self._closed = False
        self._db.submit(self._remember_db_thread).result()

    def _remember_db_thread(self) -> None:
        self._db_thread_ident = threading.get_ident()

    def is_db_thread(self) -> bool:
        """True when called from the database worker (for assertions in services and tests)."""
        return threading.get_ident() == self._db_thread_ident

    def run_db(
        self, fn: Callable[..., T], *args: Any, on_done: OnDone | None = None, on_error: OnError | None = None
    ) -> Future[T]:
        """Run `fn(*args)` on the database thread; `on_done(result)` or `on_error(exc)` on the GUI thread."""
        return self._submit(self._db, fn, args, on_done, on_error)

    def run_io(
        self, fn: Callable[..., T], *args: Any, on_done: OnDone | None = None, on_error: OnError | None = None
    ) -> Future[T]:
        """Run `fn(*args)` on the network/model pool; callbacks as for `run_db`."""
        return self._submit(self._io, fn, args, on_done, on_error)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        on_done: OnDone | None,
        on_error: OnError | None,
    ) -> Future[T]:
        if self._closed:  # the window is closing: a late signal's work is dropped, never run half-way
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        future = pool.submit(fn, *args)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))
        return future

    @Slot(object)
    def _deliver(self, item: tuple[Future[Any], OnDone | None, OnError | None]) -> None:
        future, on_done, on_error = item
        error = future.exception()
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                self.failed.emit(error)
        elif on_done is not None:
            on_done(future.result())

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work (later requests are dropped, their callbacks never called) and, with `wait`,
        finish what was queued."""
        self._closed = True
        self._io.shutdown(wait=wait, cancel_futures=not wait)
        self._db.shutdown(wait=wait, cancel_futures=not wait)
