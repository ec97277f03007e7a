"""The demo leaves no ledger behind when its window cannot open or the demo is killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from app.commands.demo import check_window_opens
from app.errors import KnownError
from tests.support.ledger import free_port

DEADLINE_S = 120.0


def _demo(data_dir: Path, port: int) -> list[str]:
    demo = ["demo", "--data-dir", str(data_dir), "--port", str(port)]
    return [sys.executable, "-m", "app.cli", *demo]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _ledger_answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).ok
    except requests.RequestException:
        return False


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_window_that_cannot_open_says_so_in_one_line_and_starts_no_ledger(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "nosuchplatform"}
    port = free_port()
    done = subprocess.run(
        _demo(tmp_path, port), env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        "counterbench: The window cannot open: Could not find the Qt platform plugin "
        '"nosuchplatform". Check QT_QPA_PLATFORM (unset it for the desktop\'s own), '
        "or run counterbench demo --no-window to set up without a window."
    ]
    assert not _listening(port)


def test_without_a_display_qt_is_asked_in_a_child_and_says_why_in_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    with pytest.raises(KnownError) as raised:
        check_window_opens(env)  # this process is still here: Qt aborted the child
    said = str(raised.value)
    assert said.startswith("The window cannot open: ")
    assert "\n" not in said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killing_the_demo_stops_its_ledger(tmp_path: Path) -> None:
    """SIGKILL runs no ``finally``, as Qt's abort runs none: the ledger follows anyway."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(_demo(tmp_path, port), env=env, stdout=out, stderr=out)
    try:
        _wait_until(lambda: _ledger_answers(port) or demo.poll() is not None, "the demo ledger")
        assert demo.poll() is None, log.read_text()
        demo.send_signal(signal.SIGKILL)
        demo.wait(timeout=30)
        _wait_until(lambda: not _listening(port), "the ledger to follow the demo")
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(timeout=30)
