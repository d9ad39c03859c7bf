"""A first-come-first-served lock for the writers of one local store in this process.

SQLite makes a writer that finds the database locked sleep and retry with growing waits; a writer that commits
and at once begins again (the sync sender marking items sent) keeps winning the gap, and the clerk's autosave
waited up to a second and a half (bench/autosave.py). Taking turns in arrival order first keeps it to
milliseconds. The standard library's Lock lets the releasing thread barge back in, hence this small class."""

from __future__ import annotations

import collections
import threading


class FifoLock:
    """Hands the lock to waiters in the order they came; not reentrant."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: collections.deque[threading.Event] = collections.deque()
        self._held = False

    def __enter__(self) -> None:
        with self._mutex:
            if not self._held and not self._waiting:
                self._held = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # set by the holder leaving: the lock is now ours

    def __exit__(self, *_exc: object) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False
