"""The task runner runs work off the GUI thread and reports back on it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.errors import KnownError, NotFound
from app.ui.tasks import UNEXPECTED, TaskRunner


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    assert runner.shutdown(5_000)


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def double(x: int) -> int:
        seen["worker"] = threading.current_thread()
        return x * 2

    runner.run_db(double, 21, on_done=lambda v: seen.update(done=(v, threading.current_thread())))
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["done"] == (42, threading.main_thread())
    assert seen["worker"] is not threading.main_thread()
    assert not runner.is_busy()


def test_known_error_goes_to_on_error_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[tuple[KnownError, threading.Thread]] = []

    def lookup() -> None:
        raise NotFound("No item with GTIN 8901234567890 here.", next_step="Scan again.")

    runner.run_db(
        lookup,
        on_done=lambda _: seen.clear(),
        on_error=lambda e: seen.append((e, threading.current_thread())),
    )
    qtbot.waitUntil(lambda: bool(seen))
    error, thread = seen[0]
    assert isinstance(error, NotFound)
    assert error.next_step == "Scan again."
    assert thread is threading.main_thread()


def test_known_error_without_handler_is_announced(qtbot: QtBot, runner: TaskRunner) -> None:
    def offline() -> None:
        raise KnownError("The ledger cannot be reached.")

    with qtbot.waitSignal(runner.known_error) as blocker:
        runner.run_net(offline)
    assert str(blocker.args[0]) == "The ledger cannot be reached."


def test_unexpected_error_is_logged_and_announced(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[KnownError] = []

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(runner.unexpected_error) as blocker:
        runner.run_db(broken, on_error=heard.append)
    summary, trace = blocker.args
    assert summary == "ZeroDivisionError: division by zero"
    assert "in broken" in trace
    assert heard == [UNEXPECTED]
    assert "ZeroDivisionError" in caplog.text


def test_database_work_runs_in_order_on_one_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    threads: set[int] = set()

    def step(i: int) -> int:
        threads.add(threading.get_ident())
        return i

    for i in range(20):
        runner.run_db(step, i, on_done=order.append)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))
    assert len(threads) == 1


def test_network_work_does_not_wait_for_database_work(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    done: list[str] = []
    runner.run_db(lambda: release.wait(10), on_done=lambda ok: done.append(f"db {ok}"))
    runner.run_net(lambda: "net", on_done=done.append)
    qtbot.waitUntil(lambda: done == ["net"])
    release.set()
    qtbot.waitUntil(lambda: done == ["net", "db True"])


def test_answers_asked_before_a_log_out_reach_nobody(qtbot: QtBot, runner: TaskRunner) -> None:
    """The last person's work finishes, but neither its result nor its error is shown
    to the next person."""
    release = threading.Event()
    heard: list[object] = []
    unasked: list[KnownError] = []
    runner.known_error.connect(unasked.append)

    def slow_check() -> bool:
        release.wait(5)
        return True

    def refused() -> None:
        release.wait(5)
        raise NotFound("That pickup code does not match.")

    runner.run_db(slow_check, on_done=heard.append, on_error=heard.append)
    runner.run_db(refused)
    runner.forget_answers()
    release.set()
    qtbot.waitUntil(lambda: not runner.is_busy())
    runner.run_db(lambda: "after", on_done=heard.append)
    qtbot.waitUntil(lambda: heard == ["after"])
    assert unasked == []
