"""ui/tasks.py: database work on its one thread, I/O on the pool, results delivered on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest

from ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown(wait=True)


def test_db_work_runs_on_one_worker_and_answers_on_gui_thread(qtbot, runner) -> None:
    """All database jobs run on the same non-GUI thread, in order; callbacks run on the GUI thread."""
    gui = threading.get_ident()
    seen: list[tuple[int, int]] = []
    results: list[tuple[int, int]] = []

    def job(i: int) -> int:
        seen.append((i, threading.get_ident()))
        return i * 10

    for i in range(5):
        runner.run_db(job, i, on_done=lambda r: results.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: len(results) == 5, timeout=5000)
    assert [i for i, _ in seen] == [0, 1, 2, 3, 4]
    assert len({t for _, t in seen}) == 1 and seen[0][1] != gui
    assert [r for r, _ in results] == [0, 10, 20, 30, 40]
    assert {t for _, t in results} == {gui}


def test_errors_come_back_to_the_caller_or_to_failed(qtbot, runner) -> None:
    """An exception reaches on_error; with no on_error it is emitted on `failed`, never swallowed."""
    caught: list[BaseException] = []

    def boom() -> None:
        raise ValueError("nope")

    runner.run_io(boom, on_error=caught.append)
    qtbot.waitUntil(lambda: len(caught) == 1, timeout=5000)
    assert isinstance(caught[0], ValueError)
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.run_db(boom)
    assert isinstance(blocker.args[0], ValueError)


def test_gui_thread_stays_responsive_during_slow_work(qtbot, runner) -> None:
    """While a slow job runs, the GUI thread keeps processing events (the job is not on it)."""
    done: list[bool] = []
    runner.run_io(lambda: time.sleep(0.5), on_done=lambda _r: done.append(True))
    started = time.perf_counter()
    qtbot.wait(10)  # returns promptly: the event loop is free
    assert time.perf_counter() - started < 0.3
    qtbot.waitUntil(lambda: done == [True], timeout=5000)


def test_work_asked_for_after_shutdown_is_dropped(qtbot, runner) -> None:
    """A signal that arrives while the window closes (e.g. sync reporting a change) asks for work after the
    pools stopped: it is dropped, neither run nor raising in the event loop."""
    ran: list[str] = []
    runner.shutdown()
    future = runner.run_db(lambda: ran.append("db"), on_done=lambda _r: ran.append("done"))
    assert future.cancelled() and runner.run_io(lambda: ran.append("io")).cancelled()
    qtbot.wait(50)
    assert ran == []
