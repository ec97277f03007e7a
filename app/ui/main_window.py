"""The main window: it only navigates between screens and owns the status bar.

Pages: the login screen, then the workspace (banners across the top, sidebar + screens).
F1…F6, F10 and F11 open the screens in sidebar order (``app.ui.sidebar``), Ctrl+PgDn and
Ctrl+PgUp step through them all, F12 logs out. A bench station opens on the screen
marked ``bench_home`` (the pick/pack queue), a counter on the first. Scans go to the
login screen or to the screen on show. The status bar is refreshed by a timer through the
database worker; when a sync landed or the station went offline or online, the screens
hear of it.

A log-out (F12 or idle, after a countdown any key cancels) closes every dialog, drops
the answers of work still on its way, and resets every screen: the next person sees
nothing of the last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import KnownError
from app.services.printing import PrintService
from app.services.results import StaffSession, StationStatus
from app.ui.banner import Banner, idle_text, offline_text
from app.ui.crash import show_unexpected
from app.ui.idle import IdleWatch
from app.ui.login import LoginScreen
from app.ui.ports import Services
from app.ui.scanner import ScanFeedback, ScanInput
from app.ui.screens import build_screens
from app.ui.screens.common import Screen, forget_inputs
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.sidebar import NEXT_SCREEN_KEY, PREVIOUS_SCREEN_KEY, Sidebar, screen_keys
from app.ui.statusbar import StationStatusBar
from app.ui.tasks import TaskRunner
from app.ui.widgets import Insulated

LOGOUT_KEY = "F12"
STATUS_INTERVAL_MS = 2_000


class MainWindow(QMainWindow):
    """Navigation, login/logout and the status bar; the work happens in the screens."""

    def __init__(
        self,
        *,
        services: Services,
        runner: TaskRunner,
        scans: ScanInput,
        idle: IdleWatch,
        printing: PrintService | None = None,
        status_interval_ms: int = STATUS_INTERVAL_MS,
        more_screens: Sequence[QWidget] = (),
    ) -> None:
        """``more_screens`` come after the working screens of ``build_screens``."""
        super().__init__()
        self.setWindowTitle("Counterbench")
        self._services = services
        self._runner = runner
        self._idle = idle
        self._staff: StaffSession | None = None
        self._status_in_flight = False
        self.last_status: StationStatus | None = None
        self.offline_banner = Banner("offline")
        self.idle_banner = Banner("idle")

        self.status = StationStatusBar(self)
        self.setStatusBar(self.status)
        self.feedback = ScanFeedback(self.status)

        self.login = LoginScreen(auth=services.auth, runner=runner, feedback=self.feedback)
        self.screens = build_screens(
            services=services,
            runner=runner,
            staff=self.staff,
            feedback=self.feedback,
            printing=printing,
        ) + list(more_screens)
        self.screen_keys = screen_keys(self.screens)
        self.screen_stack = QStackedWidget()
        self.sidebar = Sidebar(self.screens, self.screen_keys, LOGOUT_KEY, self.width())
        self.nav = self.sidebar.nav
        self.staff_line = self.sidebar.staff_line
        self.logout_button = self.sidebar.logout_button
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login)
        self.pages.addWidget(self._workspace())
        self.setCentralWidget(_scrolled(self.pages))

        self._shortcuts = self._make_shortcuts()
        self._enable_work(False)
        self.login.logged_in.connect(self._on_logged_in)
        self.logout_button.clicked.connect(lambda: self.log_out())
        scans.scanned.connect(self._on_scanned)
        idle.timed_out.connect(self._on_idle)
        idle.warning.connect(self._on_idle_warning)
        idle.stayed.connect(self._on_stayed)
        runner.known_error.connect(self._on_known_error)
        runner.unexpected_error.connect(self._on_unexpected_error)
        for screen in self.screens:
            changed = getattr(screen, "changed_locally", None)
            if changed is not None:
                changed.connect(self._on_changed_locally)
            if isinstance(screen, ExceptionsScreen):  # Enter on a row opens what it is about
                screen.order_asked.connect(partial(self._open_on, PickupScreen))
                screen.item_asked.connect(partial(self._open_on, StockLookupScreen))

        self._status_timer = QTimer(self)
        self._status_timer.setInterval(status_interval_ms)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        self.refresh_status()
        self.login.reset()
        idle.arm(warn=False)  # the login screen forgets what was typed there

    def _workspace(self) -> QWidget:
        for widget in self.screens:
            self.screen_stack.addWidget(widget)
        self.nav.idClicked.connect(self.show_screen)

        workspace = QWidget()
        workspace.setObjectName("workspace")
        column = QVBoxLayout(workspace)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.idle_banner)
        column.addWidget(self.offline_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.screen_stack, 1)
        column.addLayout(row, 1)
        return workspace

    def _make_shortcuts(self) -> list[QShortcut]:
        shortcuts = []
        for i, key in enumerate(self.screen_keys):
            if key:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(lambda i=i: self.show_screen(i))
                shortcuts.append(shortcut)
        for key, step in ((NEXT_SCREEN_KEY, 1), (PREVIOUS_SCREEN_KEY, -1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda step=step: self.step_screen(step))
            shortcuts.append(shortcut)
        # F12 in a dialog too: an application shortcut on the window's own QWindow (one on
        # the widget is blocked while a modal dialog is open); off once the window closes
        self.winId()  # the QWindow exists from here on
        logout = QShortcut(QKeySequence(LOGOUT_KEY), self.windowHandle())
        logout.setContext(Qt.ShortcutContext.ApplicationShortcut)
        logout.activated.connect(lambda: self.log_out())
        shortcuts.append(logout)
        return shortcuts

    # -- navigation and session -----------------------------------------------------

    def staff(self) -> StaffSession | None:
        """Who is logged in, or None at the login screen."""
        return self._staff

    def current_screen(self) -> QWidget | None:
        """The screen on show, or None while the login screen shows."""
        if self._staff is None:
            return None
        return self.screen_stack.currentWidget()

    def show_screen(self, index: int) -> None:
        """Show screen ``index`` (sidebar order)."""
        if self._staff is None or not 0 <= index < len(self.screens):
            return
        self.screen_stack.setCurrentIndex(index)
        self.sidebar.mark(index)
        cast(Screen, self.screens[index]).activate()

    def step_screen(self, step: int) -> None:
        """Show the next (``step`` 1) or previous (-1) screen in sidebar order, round."""
        if self.screens:
            self.show_screen((self.screen_stack.currentIndex() + step) % len(self.screens))

    def home_index(self) -> int:
        """The screen a login opens on: a bench station's pick/pack queue, else the first."""
        kind = self.last_status.station_kind if self.last_status is not None else ""
        if kind == "bench":
            for i, screen in enumerate(self.screens):
                if getattr(screen, "bench_home", False):
                    return i
        return 0

    def log_out(self, message: str = "") -> None:
        """Back to the login screen with nothing of the last person left: open dialogs
        and menus are closed without saving, answers still on their way are dropped, and
        every screen forgets what was typed, shown and open there."""
        close_dialogs()
        self._runner.forget_answers()
        self._status_in_flight = False  # its answer was dropped too
        self._staff = None
        self._enable_work(False)
        self.idle_banner.say("")
        for screen in self.screens:
            forget_inputs(screen)
            cast(Screen, screen).reset()
        self.staff_line.clear()
        self.status.clearMessage()
        self.status.show_staff(None)
        self.pages.setCurrentWidget(self.login)
        self.login.reset(message)
        self._idle.arm(warn=False)
        self.refresh_status()

    def _enable_work(self, enabled: bool) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(enabled)

    def _on_logged_in(self, session: StaffSession) -> None:
        self._staff = session
        self._idle.arm()
        self._enable_work(True)
        self.status.show_staff(session)
        self.staff_line.setText(f"{session.name}\n{session.role.capitalize()} · {session.code}")
        self.pages.setCurrentIndex(1)
        self.show_screen(self.home_index())

    def _on_idle(self) -> None:
        if self._staff is not None:
            self.log_out("You were logged out because the station was not used for a while.")
        else:  # nobody logged in: a half-typed code, a PIN, a lockout message go
            close_dialogs()
            self.login.reset()
            self._idle.arm(warn=False)

    def _on_idle_warning(self, seconds_left: int) -> None:
        if self._staff is not None:
            self.idle_banner.say(idle_text(seconds_left))

    def _on_stayed(self) -> None:
        self.idle_banner.say("")

    def _on_scanned(self, code: str) -> None:
        if QApplication.activeModalWidget() is not None:
            self.feedback.scan_failed()
            self.status.showMessage("Finish or close the open dialog before scanning.", 6_000)
            return
        screen = self.current_screen()
        target = self.login if screen is None else cast(Screen, screen)
        target.on_scan(code)

    # -- status and errors -----------------------------------------------------------

    def refresh_status(self) -> None:
        """Ask the station for its status (on the database worker)."""
        if self._status_in_flight:
            return
        self._status_in_flight = True
        self._runner.run_db(
            self._services.status.status,
            on_done=self._on_status,
            on_error=self._on_status_failed,
        )

    def _on_status(self, status: StationStatus) -> None:
        self._status_in_flight = False
        before, self.last_status = self.last_status, status
        self.status.show_status(status)
        self.offline_banner.say(offline_text(status))
        if before is None or _moved(before) != _moved(status):
            for screen in self.screens:
                heard = getattr(screen, "on_station_status", None)
                if heard is not None:
                    heard(status)
        self.login.set_station(
            f"{status.station_name} at {status.location_code} {status.location_name}".strip()
        )
        for i, (screen, key) in enumerate(zip(self.screens, self.screen_keys, strict=True)):
            badge, nav = getattr(screen, "nav_badge", None), self.nav.button(i)
            if badge is not None and nav is not None:  # e.g. "F2  Exceptions  3"
                nav.setText(f"{key}  {cast(Screen, screen).title}  {badge(status)}".strip())

    def _open_on(self, kind: type[PickupScreen | StockLookupScreen], reference: str) -> None:
        """Show the screen of ``kind`` with the order or item ``reference`` open."""
        for i, screen in enumerate(self.screens):
            if isinstance(screen, kind):
                self.show_screen(i)
                screen.open_reference(reference)
                return

    def _on_status_failed(self, error: KnownError) -> None:
        self._status_in_flight = False
        self.status.showMessage(str(error), 10_000)

    def _on_changed_locally(self) -> None:
        self._services.sync.wake()
        self.refresh_status()

    def _on_known_error(self, error: KnownError) -> None:
        self.status.showMessage(str(error), 10_000)

    def _on_unexpected_error(self, summary: str, details: str) -> None:
        show_unexpected(self, summary, details)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sidebar.fit_width(event.size().width())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._status_timer.stop()
        self._idle.disarm()  # nobody works in a closed window
        self._enable_work(False)
        super().closeEvent(event)


def _moved(status: StationStatus) -> tuple[int, int, bool]:
    """What changes when a sync lands or the station goes offline or online."""
    return (status.cursor, status.pending_ops, status.online)


def close_dialogs() -> None:
    """Close every open dialog and popup menu of the application, without saving."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for _ in range(8):  # a menu over a menu: each closes in turn
        popup = app.activePopupWidget()
        if popup is None or not popup.close():
            break
    for widget in app.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def _scrolled(pages: QWidget) -> QScrollArea:
    """``pages`` in a scroll area that shows its bars only if a screen cannot fit the
    window: the window never grows past the screen, so the status bar stays in view."""
    area = QScrollArea()
    area.setObjectName("pagesArea")
    area.setWidget(Insulated(pages))
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
