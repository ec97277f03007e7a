"""``run_terminal``, the public entry: Qt stays out of app.main, and the window opens and
closes on a fresh data directory (a real process, offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CLOSE_SOON = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(["counterbench"])
def close_windows():
    shown = [w for w in app.topLevelWidgets() if w.isVisible()]
    if not shown:
        QTimer.singleShot(50, close_windows)
        return
    print("window:", shown[0].windowTitle())
    for window in shown:
        window.close()
QTimer.singleShot(0, close_windows)
from app.main import run_terminal
print("exit code", run_terminal(sys.argv[1]))
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_app_main_imports_no_qt() -> None:
    done = _run(
        "-c",
        "import sys, app.main; print(sorted(m for m in sys.modules if m.startswith('PySide6')))",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_run_terminal_opens_and_closes(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    done = _run("-c", CLOSE_SOON, str(data_dir))
    assert done.returncode == 0, done.stderr
    assert "window: Counterbench: not enrolled" in done.stdout
    assert "exit code 0" in done.stdout
    assert (data_dir / "station.sqlite3").exists()
