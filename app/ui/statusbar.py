"""The status bar: where this station is, who is working, and how sync stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.domain.clock_skew import station_warning, station_warning_short
from app.services.results import StaffSession, StationStatus
from app.ui.theme import WARN
from app.ui.widgets import ElidedLabel, repolish

BAR_HEIGHT_PX = 42  # the bar never grows: a message is one line, cut at its area's end
ITEM_GAP_PX = 6  # between two of the bar's items (Qt's status bar layout)


def age(seconds: float | None) -> str:
    """A duration as the shop says it: "12 s", "3 min", "2 h 5 min", "3 days"."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86_400:
        h, m = divmod(s // 60, 60)
        return f"{h} h {m} min" if m else f"{h} h"
    days = s // 86_400
    return f"{days} day" if days == 1 else f"{days} days"


def sync_state(status: StationStatus) -> str:
    """The dot's state: ``offline``, ``pending`` (online with work to send), ``online``."""
    if not status.online:
        return "offline"
    return "pending" if status.pending_ops else "online"


class StationStatusBar(QStatusBar):
    """Location, station, staff and sync state; messages show on the left.

    One fixed height. When the whole row does not fit (a 1024 px screen) the station and
    staff names leave (the sidebar names the staff) and the location shows its code only,
    so the sync state, what waits to be sent, the exceptions and the last sync read whole.
    While a message shows, location, station, staff and last sync step aside for it.

    A terminal clock that is off the ledger's by more than a few minutes is said first,
    in full where the row has room ("This terminal's clock is 2 days behind — ask IT to
    set the time"), shorter where it has not ("Clock 2 days behind — ask IT"), and then
    the last sync steps aside for it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setFixedHeight(BAR_HEIGHT_PX)
        self.location = ElidedLabel()
        self.station = ElidedLabel()
        self.staff = ElidedLabel("Nobody logged in")
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.sync = QLabel("Starting…")
        self.sync.setObjectName("syncText")
        self.pending = QLabel()
        self.exceptions = QLabel()
        self.exceptions.setObjectName("exceptionCount")
        self.last_sync = ElidedLabel()
        self.clock = QLabel()
        self.clock.setObjectName("clockWarning")
        self.clock.setStyleSheet(f"color: {WARN}; font-weight: 600;")
        self.clock.setMinimumWidth(1)  # never widens the window: _fit picks a text that fits
        self.clock.hide()
        self._clock_texts = ("", "")  # in full, and short
        for widget in (
            self.clock,
            self.location,
            self.station,
            self.staff,
            self.dot,
            self.sync,
            self.pending,
            self.exceptions,
            self.last_sync,
        ):
            self.addPermanentWidget(widget)
        self._aside = (self.location, self.station, self.staff, self.last_sync)
        self._location = ("", "")  # code and name
        self.narrow = False  # station and staff left out, the location by its code
        self.messageChanged.connect(self._on_message)

    def _on_message(self, text: str) -> None:
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Show the whole row if it fits the bar's width, else the narrow one."""
        code, name = self._location
        self.location.setText(f"{code} {name}".strip())
        full, short = self._clock_texts
        self.clock.setText(full)
        self.clock.setVisible(bool(full))
        items: list[QWidget] = [*self._aside, self.dot, self.sync, self.pending]
        items += [w for w in (self.exceptions, self.clock) if not w.isHidden()]
        self.narrow = _width(items) > self.width()
        if self.narrow and code:
            self.location.setText(code)
        left_out: list[QWidget] = [self.station, self.staff] if self.narrow else []
        row = [w for w in items if w not in left_out]
        if full and _width(row) > self.width():
            self.clock.setText(short)
            if _width(row) > self.width():  # the clock matters more than the last sync
                left_out.append(self.last_sync)
        message = bool(self.currentMessage())
        for widget in self._aside:
            widget.setVisible(not message and widget not in left_out)

    def show_staff(self, session: StaffSession | None) -> None:
        self.staff.setText(
            f"{session.name} ({session.role})" if session is not None else "Nobody logged in"
        )
        self._fit()

    def show_status(self, status: StationStatus, now: datetime | None = None) -> None:
        """Show one status report; ages count from ``now``, else from when it was read."""
        now = now or status.as_of or datetime.now(UTC)
        self._location = (status.location_code, status.location_name)
        self.station.setText(status.station_name)
        state = sync_state(status)
        self.dot.setProperty("state", state)
        repolish(self.dot)
        text = "Offline" if state == "offline" else "Online"
        # the note (why this station skipped its sync) is long: a hint here, all of it in the tip
        if status.sync_blocked:  # waiting will not mend it: say what will
            text = status.sync_blocked
        self.sync.setText(f"{text}, sync paused" if status.sync_note else text)
        tips = [f"Last problem: {status.last_error}" if status.last_error else "", status.sync_note]
        tip = "\n".join(t[:1].upper() + t[1:] for t in tips if t)
        self.dot.setToolTip(tip)
        self.sync.setToolTip(tip)
        if status.pending_ops:
            oldest = age(status.oldest_pending_age_s)
            self.pending.setText(
                f"{status.pending_ops} to send" + (f", oldest {oldest}" if oldest else "")
            )
        else:
            self.pending.setText("All sent")
        if status.last_sync_at is None:
            self.last_sync.setText("Never synced")
        else:
            self.last_sync.setText(
                f"Last sync {age((now - status.last_sync_at).total_seconds())} ago"
            )
        skew = None if status.clock_skew_s is None else timedelta(seconds=status.clock_skew_s)
        self._clock_texts = (station_warning(skew), station_warning_short(skew))
        self.clock.setToolTip(
            "Times this terminal shows and records are off; work still reaches the ledger "
            "in the right order."
            if self._clock_texts[0]
            else ""
        )
        self.show_open_exceptions(status.open_exceptions)  # fits the row, every text set

    def show_open_exceptions(self, count: int) -> None:
        """How many exceptions wait for a person (F2); nothing when none."""
        self.exceptions.setText(f"{count} exception{'' if count == 1 else 's'}")
        self.exceptions.setVisible(count > 0)
        self._fit()


def _width(items: list[QWidget]) -> int:
    """The room a row of the bar's items asks for."""
    return sum(w.sizeHint().width() + ITEM_GAP_PX for w in items) + ITEM_GAP_PX
