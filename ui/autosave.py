"""Autosave for the flow's pages: every change is saved off the GUI thread, 500 ms after the last one, and
never more than 2 s after the first unsaved one while typing goes on, so a crash loses at most 2 s of typing.

A page connects its fields' change signals to `Autosaver.changed(values)` with the whole step's values (valid
or not), points it at the application and step with `set_target`, and calls `flush()` when the clerk leaves
the page, the window closes or the counter is about to lock. Saves are coalesced: while one is being written
the newest values wait, and only they are written next; values equal to the last written are not written
again. The write itself is `DraftService.save` on the controller's database thread (`for_controller`).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from app.counter.drafts import DraftService
    from ui.controller import Controller

DEBOUNCE_MS = 500
MAX_INTERVAL_MS = 2000

Values = dict[str, str]
# submit(application_id, step, values, on_done, on_error): write off the GUI thread, then call back on it.
Submit = Callable[[uuid.UUID, str, Values, Callable[[Any], None], Callable[[BaseException], None]], None]


class Autosaver(QObject):
    """Debounced, capped, coalescing draft saves for one page. `clock` (seconds, monotonic) may be a fake in
    tests, which then call `poll()` themselves instead of waiting for the timer."""

    saved = Signal(object)  # the values just written (for the page's "saved" hint and for tests)
    failed = Signal(object)  # the exception: app/'s refusal (translated) or a failure to log

    def __init__(
        self,
        submit: Submit,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_interval_ms: int = MAX_INTERVAL_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._debounce = debounce_ms / 1000
        self._cap = max_interval_ms / 1000
        self._clock = clock
        self.application_id: uuid.UUID | None = None
        self.step = ""
        self._pending: Values | None = None
        self._first_change = 0.0  # of the pending values: the cap counts from here
        self._last_change = 0.0  # the debounce counts from here
        self._written: Values | None = None  # the last values handed over for this target
        self._in_flight = 0
        self.saves = 0  # writes started, for tests and the bench
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)

    @classmethod
    def for_controller(
        cls, controller: Controller, drafts: DraftService, parent: QObject | None = None
    ) -> Autosaver:
        """An autosaver writing through `drafts` on the controller's database
        thread, as whoever is signed in when the save starts. Its callbacks are not dropped by a lock, so a
        write started before the lock still reports back and the next one is not held up."""

        def submit(
            application_id: uuid.UUID,
            step: str,
            values: Values,
            on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None],
        ) -> None:
            actor = controller.actor
            if actor is None:
                from app.counter.session import CounterLocked
                from app.kernel.i18n import _

                on_error(CounterLocked(_("Sign in first.")))
                return
            controller.tasks.run_db(
                drafts.save, actor, application_id, step, values, on_done=on_done, on_error=on_error
            )

        return cls(submit, parent)

    # --- what the page calls --------------------------------------------------------------------------------

    def set_target(self, application_id: uuid.UUID | None, step: str) -> None:
        """Save what is pending for the previous application or step, then save to this one from now on."""
        if (application_id, step) == (self.application_id, self.step):
            return
        self.flush()
        self.application_id, self.step = application_id, step
        self._written = None

    def changed(self, values: Values) -> None:
        """The step's values now (all of them): saved after the debounce, or at the latest at the cap."""
        now = self._clock()
        if self._pending is None:
            self._first_change = now
        self._pending = dict(values)
        self._last_change = now
        self._schedule()

    def flush(self) -> None:
        """Write what is pending now (leaving the page, closing, locking), without waiting for a write
        already under way: the database thread keeps the order."""
        self._timer.stop()
        if self._pending is not None:
            self._write()

    def discard(self) -> None:
        """Forget pending values without writing them (the application was cancelled or signed)."""
        self._timer.stop()
        self._pending = None

    @property
    def pending(self) -> bool:
        """Whether some change is not written yet."""
        return self._pending is not None or self._in_flight > 0

    # --- timing -----------------------------------------------------------------------------------------------

    def due_at(self) -> float | None:
        """When the pending values are to be written (clock seconds), or None when nothing is pending."""
        if self._pending is None:
            return None
        return min(self._last_change + self._debounce, self._first_change + self._cap)

    def poll(self) -> None:
        """Write the pending values if they are due and no write is under way; otherwise wait again."""
        due = self.due_at()
        if due is None:
            return
        if self._in_flight == 0 and self._clock() >= due - 0.0005:
            self._write()
        else:
            self._schedule()

    def _schedule(self) -> None:
        due = self.due_at()
        if due is None or self._in_flight:
            self._timer.stop()  # a write under way reschedules when it reports back
            return
        self._timer.start(max(0, math.ceil((due - self._clock()) * 1000)))

    def _write(self) -> None:
        values, self._pending = self._pending, None
        if values is None or self.application_id is None:
            return
        if values == self._written:
            return
        self._written = values
        self._in_flight += 1
        self.saves += 1
        self._submit(self.application_id, self.step, values, lambda _r: self._done(values), self._failed)

    def _done(self, values: Values) -> None:
        self._in_flight -= 1
        self.saved.emit(values)
        self._schedule()

    def _failed(self, error: BaseException) -> None:
        self._in_flight -= 1
        self._written = None  # the next change writes everything again
        self.failed.emit(error)
        self._schedule()

