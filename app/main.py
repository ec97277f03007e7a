"""The composition root: build the station, the Qt application and the window, then run.

``run_terminal`` is what ``counterbench terminal`` calls. It configures logging, opens
the station (``build_station``), starts background sync, and shows the login screen, or,
on a station that is not enrolled yet, a screen saying how to enrol it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow

from app import config, log
from app.config import SessionSettings, StationPaths
from app.services.station import Station, build_station
from app.ui.crash import install_crash_handler
from app.ui.idle import IdleWatch
from app.ui.main_window import MainWindow
from app.ui.notice import NotEnrolledScreen
from app.ui.scanner import ScanInput
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme

logger = log.get("ui")
WINDOW_SIZE = (1366, 800)


class Terminal:
    """The running terminal: owns the window and the workers, and shuts them down."""

    def __init__(
        self,
        app: QApplication,
        station: Station,
        *,
        session: SessionSettings,
        data_dir: Path | None,
    ) -> None:
        self.app = app
        self.station = station
        self.runner = TaskRunner()
        self.scans = ScanInput()
        self.scans.install(app)
        self.idle = IdleWatch(session.idle_logout_s)
        self.idle.install(app)
        self.window: QMainWindow | None = None
        self._data_dir = data_dir
        self._running = True
        app.aboutToQuit.connect(self.shut_down)

    def open(self) -> QMainWindow:
        """Show the main window, or the enrolment notice when not enrolled; returns it."""
        if self.station.enrolment.is_enrolled():
            self._show(self._main_window())
        else:
            notice = NotEnrolledScreen(data_dir=self._data_dir)
            notice.check_requested.connect(lambda: self._on_check(notice))
            notice.quit_button.clicked.connect(self.app.quit)
            shell = QMainWindow()
            shell.setWindowTitle("Counterbench: not enrolled")
            shell.setCentralWidget(notice)
            self._show(shell)
        assert self.window is not None
        return self.window

    def _main_window(self) -> MainWindow:
        self.station.sync.start()
        return MainWindow(
            services=self.station, runner=self.runner, scans=self.scans, idle=self.idle
        )

    def _on_check(self, notice: NotEnrolledScreen) -> None:
        def checked(enrolled: bool) -> None:
            if enrolled:
                old = self.window
                self._show(self._main_window())
                if old is not None:
                    old.close()
            else:
                notice.still_not_enrolled()

        self.runner.run_db(self.station.enrolment.is_enrolled, on_done=checked)

    def _show(self, window: QMainWindow) -> None:
        self.window = window
        window.resize(*WINDOW_SIZE)
        window.show()

    def shut_down(self) -> None:
        """Stop the workers and background sync; close the cache. Safe to call twice."""
        if not self._running:
            return
        self._running = False
        self.app.aboutToQuit.disconnect(self.shut_down)
        self.app.removeEventFilter(self.scans)
        self.app.removeEventFilter(self.idle)
        self.runner.shutdown()
        self.station.close()


def run_terminal(data_dir: Path | None = None, *, argv: list[str] | None = None) -> int:
    """Run the terminal GUI on the station in ``data_dir``; returns the exit code."""
    root = config.data_dir(data_dir)
    log.configure(log_dir=StationPaths(root).logs)
    logger.info("Starting the terminal on %s", root)
    station = build_station(root)
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(["counterbench", *(argv or [])])
    )
    app.setApplicationName("Counterbench")
    install_crash_handler()
    apply_theme(app)
    terminal = Terminal(app, station, session=SessionSettings(), data_dir=data_dir)
    terminal.open()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(run_terminal())
