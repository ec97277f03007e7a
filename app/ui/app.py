"""The Qt side of the terminal: the application, the theme, the window, and a clean close.

``run_gui`` is what ``app.main.run_terminal`` calls once the station is built. Closing
the window never waits on the network: ``Terminal.shut_down`` stops taking work on the
GUI thread, then a plain thread stops background sync (cutting a request in flight,
bounded), waits for the task runner's workers (bounded) and only then closes the cache,
so ``db.dispose()`` never runs under a thread still using it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

from app import log
from app.config import SessionSettings
from app.services.printing import PrintService
from app.services.scan_settings import station_scan_settings
from app.services.station import Station
from app.ui.crash import install_crash_handler
from app.ui.idle import IdleWatch
from app.ui.input_filter import InputFilter
from app.ui.main_window import MainWindow
from app.ui.notice import NotEnrolledScreen
from app.ui.scanner import ScanInput
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from app.ui.window_fit import show_fitted

logger = log.get("ui")
SYNC_STOP_S = 1.0  # how long a close waits for background sync to end its pass
WORKERS_STOP_MS = 1_000  # then for the database and printing workers
SHUTDOWN_WAIT_S = 5.0  # how long the process waits for the closing thread at exit


class Terminal(QObject):
    """The running terminal: owns the window and the workers, and shuts them down."""

    def __init__(
        self,
        app: QApplication,
        station: Station,
        *,
        printing: PrintService | None,
        session: SessionSettings,
        data_dir: Path | None,
    ) -> None:
        super().__init__()
        self.app = app
        self.station = station
        self.printing = printing
        self.runner = TaskRunner()
        self.scans = ScanInput(settings=station_scan_settings(station.data_dir))
        self.idle = IdleWatch(session.idle_logout_s)
        self.input = InputFilter(scans=self.scans, idle=self.idle)
        self.input.install(app)
        self.window: QMainWindow | None = None
        self.closed_cleanly: bool | None = None  # set when the shutdown thread is done
        self._data_dir = data_dir
        self._closing: threading.Thread | None = None
        self._stopped = threading.Event()
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
            services=self.station,
            runner=self.runner,
            scans=self.scans,
            idle=self.idle,
            printing=self.printing,
        )

    def _on_check(self, notice: NotEnrolledScreen) -> None:
        def checked(enrolled: bool) -> None:
            if enrolled:
                old = self.window
                self._show(self._main_window())
                if old is not None:
                    old.removeEventFilter(self)  # replaced, not closed by the associate
                    old.close()
            else:
                notice.still_not_enrolled()

        self.runner.run_db(self.station.enrolment.is_enrolled, on_done=checked)

    def _show(self, window: QMainWindow) -> None:
        self.window = window
        window.installEventFilter(self)
        show_fitted(window)
        # With no window manager (a kiosk on bare xinit) nobody gives the window keyboard
        # focus, and X's default focus follows the mouse pointer: ask for it ourselves.
        window.raise_()
        window.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shut_down()
        return False

    # -- closing ----------------------------------------------------------------------

    def shut_down(self) -> None:
        """Stop taking work now; stop sync, wait for workers and close the cache on a
        background thread, so the window never freezes. Safe to call twice."""
        if self._closing is not None:
            return
        self.app.aboutToQuit.disconnect(self.shut_down)
        self.input.remove(self.app)
        self.runner.close()
        self._closing = threading.Thread(
            target=self._close_station, name="counterbench-shutdown", daemon=True
        )
        self._closing.start()

    def is_stopped(self) -> bool:
        """Whether the shutdown thread has finished."""
        return self._stopped.is_set()

    def wait_stopped(self, timeout_s: float = SHUTDOWN_WAIT_S) -> bool:
        """Wait (bounded) for the shutdown thread; True when it finished."""
        return self._stopped.wait(timeout_s)

    def _close_station(self) -> None:
        try:
            sync_ended = _stop_sync(self.station, SYNC_STOP_S)
            workers_done = self.runner.wait(WORKERS_STOP_MS)
            if sync_ended and workers_done:
                self.station.close()
                self.closed_cleanly = True
            else:
                # Closing the cache under a thread still using it is the race to avoid:
                # the process exit closes it instead. SQLite's WAL keeps it consistent.
                logger.warning(
                    "Closed without waiting longer: sync ended %s, workers idle %s",
                    sync_ended,
                    workers_done,
                )
                self.closed_cleanly = False
        except Exception:
            logger.exception("The terminal did not close cleanly")
            self.closed_cleanly = False
        finally:
            self._stopped.set()


def _stop_sync(station: Station, timeout_s: float) -> bool:
    """Stop background sync, cutting a request in flight (bounded wait); True when it ended."""
    return station.sync.close(timeout_s)


def run_gui(
    station: Station,
    *,
    printing: PrintService | None,
    data_dir: Path | None = None,
    argv: list[str] | None = None,
    session: SessionSettings | None = None,
) -> int:
    """Run the terminal window on ``station`` until it closes; returns the exit code."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(["counterbench", *(argv or [])])
    )
    app.setApplicationName("Counterbench")
    install_crash_handler()
    apply_theme(app)
    terminal = Terminal(
        app, station, printing=printing, session=session or SessionSettings(), data_dir=data_dir
    )
    terminal.open()
    code = int(app.exec())
    terminal.shut_down()
    if not terminal.wait_stopped():
        logger.warning("The terminal closed before its shutdown finished")
    return code
