"""The autosave's timing: 500 ms after the last change, never more than 2 s between saves while typing goes on,
only the newest values written, flushed on leaving; and the write runs on the database thread, not the GUI's."""

from __future__ import annotations

import threading
import uuid

from PySide6.QtWidgets import QLineEdit

from ui.autosave import Autosaver

APPLICATION = uuid.uuid4()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """A submit that records each write (at the fake time) and acknowledges at once, or holds it."""

    def __init__(self, clock: FakeClock, hold: bool = False) -> None:
        self.clock, self.hold = clock, hold
        self.writes: list[tuple[float, str, dict[str, str]]] = []
        self.held: list = []

    def __call__(self, application_id, step, values, on_done, on_error) -> None:
        assert application_id == APPLICATION
        self.writes.append((round(self.clock.now - 1000.0, 3), step, values))
        if self.hold:
            self.held.append(on_done)
        else:
            on_done(None)


def _saver(qtbot, hold: bool = False) -> tuple[Autosaver, FakeClock, Recorder]:
    clock = FakeClock()
    recorder = Recorder(clock, hold)
    saver = Autosaver(recorder, clock=clock)
    saver.set_target(APPLICATION, "customer")
    return saver, clock, recorder


def _type(saver: Autosaver, clock: FakeClock, seconds: float, every: float = 0.1, start: int = 0) -> int:
    """A change every `every` s for `seconds`, polling like the timer would in between (1 ms steps)."""
    n = start
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        n += 1
        saver.changed({"name": f"v{n}"})
        for _ in range(round(every * 1000)):
            clock.now += 0.001
            saver.poll()
    return n


def _idle(saver: Autosaver, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds * 1000)):
        clock.now += 0.001
        saver.poll()


def test_one_change_is_saved_500_ms_after_it(qtbot) -> None:
    saver, clock, recorder = _saver(qtbot)
    saver.changed({"name": "王"})
    _idle(saver, clock, 0.499)
    assert recorder.writes == []
    _idle(saver, clock, 0.002)
    assert recorder.writes == [(0.5, "customer", {"name": "王"})]
    _idle(saver, clock, 5)
    assert len(recorder.writes) == 1  # nothing new: nothing written


def test_each_change_restarts_the_500_ms(qtbot) -> None:
    """Changes 400 ms apart (under the debounce) for 1.2 s: one save, 500 ms after the last."""
    saver, clock, recorder = _saver(qtbot)
    last = _type(saver, clock, 1.2, every=0.4)
    _idle(saver, clock, 1)
    assert [(t, v["name"]) for t, _s, v in recorder.writes] == [(1.3, f"v{last}")]


def test_typing_on_saves_at_most_every_2_s_and_the_end_500_ms_later(qtbot) -> None:
    """A change every 100 ms for 9 s (the last at 8.9 s): a save at 2, 4, 6 and 8 s, each with the newest
    values, then the last values 500 ms after the last change. Never more than 2 s without a save."""
    saver, clock, recorder = _saver(qtbot)
    last = _type(saver, clock, 9.0)
    _idle(saver, clock, 1.0)
    times = [t for t, _s, _v in recorder.writes]
    assert times == [2.0, 4.0, 6.0, 8.0, 9.4], times
    assert recorder.writes[-1][2] == {"name": f"v{last}"}
    gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
    assert max(gaps) <= 2.0 + 1e-9
    assert recorder.writes[0][2] == {"name": "v20"}  # the values of the moment, not the first ones


def test_while_a_write_is_under_way_only_the_newest_values_follow(qtbot) -> None:
    """Coalescing: a slow write holds the next; the changes meanwhile become one write of the newest values."""
    saver, clock, recorder = _saver(qtbot, hold=True)
    saver.changed({"name": "a"})
    _idle(saver, clock, 0.5)
    assert len(recorder.writes) == 1
    for text in ("b", "c", "d"):
        saver.changed({"name": text})
        _idle(saver, clock, 1.0)
    assert len(recorder.writes) == 1 and saver.pending  # held: due, but one write at a time
    recorder.held.pop()(None)
    _idle(saver, clock, 0.01)
    assert [v["name"] for _t, _s, v in recorder.writes] == ["a", "d"]


def test_flush_writes_at_once_and_a_new_target_flushes_the_old(qtbot) -> None:
    saver, _clock, recorder = _saver(qtbot)
    saver.flush()
    assert recorder.writes == []  # nothing pending: nothing written
    saver.changed({"name": "王"})
    saver.flush()
    assert recorder.writes == [(0.0, "customer", {"name": "王"})]
    saver.changed({"price": "4999"})
    saver.set_target(APPLICATION, "purchase")  # leaving the step writes it first, under its own step
    assert recorder.writes[-1] == (0.0, "customer", {"price": "4999"})
    saver.changed({"price": "4999"})
    saver.flush()
    assert recorder.writes[-1] == (0.0, "purchase", {"price": "4999"})


def test_with_real_timers_typing_into_a_field(qtbot) -> None:
    """The QTimer wiring with real time: typing every 100 ms for 3.2 s saves once or twice on the way (the
    cap), none in the first 400 ms; the last text is saved within a second of stopping."""
    writes: list[tuple[float, str]] = []
    import time

    start = time.monotonic()

    def submit(application_id, step, values, on_done, on_error) -> None:
        writes.append((time.monotonic() - start, values["name"]))
        on_done(None)

    saver = Autosaver(submit)
    saver.set_target(APPLICATION, "customer")
    field = QLineEdit()
    qtbot.addWidget(field)
    field.textChanged.connect(lambda text: saver.changed({"name": text}))
    for i in range(32):
        field.setText(f"王{i}")
        qtbot.wait(100)
    typing = list(writes)
    assert 1 <= len(typing) <= 2, typing
    assert typing[0][0] >= 1.9, typing  # the cap, not a save per keystroke
    qtbot.waitUntil(lambda: writes and writes[-1][1] == "王31", timeout=1_500)
    assert writes[-1][0] - 3.2 < 1.0


def test_the_write_runs_on_the_database_thread(qtbot, services) -> None:
    """Through a controller: DraftService.save runs on the task runner's database thread, never the GUI's."""
    from app.counter.drafts import DraftService
    from tests.unit.test_drafts import actor, started
    from ui.tasks import TaskRunner

    clerk = actor(services, "sales01")
    application_id = started(services, clerk)
    tasks = TaskRunner()
    seen: list[bool] = []
    drafts = DraftService(services.store, services.store_id)
    original = drafts.save

    def save(*args) -> None:
        seen.append(tasks.is_db_thread() and threading.current_thread() is not threading.main_thread())
        original(*args)

    drafts.save = save

    class Controller:  # what for_controller uses of ui.controller.Controller
        def __init__(self) -> None:
            self.actor, self.tasks, self.services = clerk, tasks, services

    saver = Autosaver.for_controller(Controller(), drafts)
    saver.set_target(application_id, "customer")
    acknowledged: list[dict] = []
    saver.saved.connect(acknowledged.append)
    saver.changed({"name": "欧阳娜娜"})
    qtbot.waitUntil(lambda: acknowledged == [{"name": "欧阳娜娜"}], timeout=3_000)
    assert seen == [True]
    loaded = drafts.load(application_id)
    assert loaded is not None and loaded.values == {"name": "欧阳娜娜"}
    tasks.shutdown()
