"""What the bench queue shows: its rows with times in the store's day, the red mark with
its words on orders that will miss today's cut-off, the amber mark with its words on
orders late for their delivery promise, and the summary line."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.fulfilment import FulfilmentState
from app.services.shipping.results import ShipQueue, ShipSummary
from app.ui.models import Column, Index, RowsModel
from app.ui.screens.pickup_models import age_text
from app.ui.theme import ERROR, WARN

S = FulfilmentState
STATE_NAMES = {
    S.ROUTED: "To pick",
    S.ACCEPTED: "To pick",
    S.PICKING: "Picking",
    S.PICKED: "To pack",
    S.PACKED: "Packed",
}
MARK = "⚠"  # with words beside it: the red alone says nothing to some eyes


def state_text(state: FulfilmentState) -> str:
    """A ship order's state at the bench, in the shop's words."""
    return STATE_NAMES.get(state, str(state).replace("_", " ").capitalize())


def clock_text(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%H:%M")


def day_text(day: date, today: date) -> str:
    """ "today", "tomorrow", "yesterday", else the day and month: "9 Dec"."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"{day.day} {day.strftime('%b')}"


def when_text(at: datetime, now: datetime, zone: tzinfo) -> str:
    """A time of the store's day: "16:00" today, else with its day: "yesterday 17:02"."""
    today, day = now.astimezone(zone).date(), at.astimezone(zone).date()
    clock = clock_text(at, zone)
    return clock if day == today else f"{day_text(day, today)} {clock}"


def leaves_by_text(row: ShipSummary, now: datetime, zone: tzinfo) -> str:
    """When the order should leave: "16:00", "tomorrow 16:00"; with the mark and its
    words when it will miss the cut-off ("⚠ 14:10 missed", "⚠ 16:00 will miss")."""
    if row.ship_by is None:
        return "no cut-off yet"
    when = when_text(row.ship_by, now, zone)
    if not row.will_miss:
        return when
    return f"{MARK} {when} {'missed' if row.ship_by <= now else 'will miss'}"


def promised_text(row: ShipSummary, now: datetime, zone: tzinfo) -> str:
    """The promised day ("tomorrow", "12 Dec"); with the mark and a word when the order
    will be delivered after it ("⚠ late: 12 Dec", short enough for a 1024 px queue)."""
    if row.promised_by is None:
        return ""
    if row.late_for_promise:
        return f"{MARK} late: {row.promised_by.day} {row.promised_by:%b}"
    return day_text(row.promised_by, now.astimezone(zone).date())


def promised_words(row: ShipSummary, now: datetime, zone: tzinfo) -> str:
    """The promise where there is room (an open order): "⚠ late for promise 12 Dec"."""
    if row.promised_by is None or not row.late_for_promise:
        return promised_text(row, now, zone)
    return f"{MARK} late for promise {row.promised_by.day} {row.promised_by:%b}"


def promise_tip(row: ShipSummary) -> str:
    """What the Promised cell says in full."""
    if row.promised_by is None:
        return "No delivery date promised"
    day = f"{row.promised_by.day} {row.promised_by:%b}"
    if row.late_for_promise:
        return f"Late for promise {day}: it reaches the customer after the day promised"
    return f"Delivery promised by {day}"


def picker_text(row: ShipSummary) -> str:
    """Who picks it, by first name (the whole name shows once the order is open)."""
    return row.picker_name.split()[0] if row.picker_name.strip() else "—"


def summary_text(queue: ShipQueue) -> str:
    """The line over the queue: "12 to ship today · 3 will miss the 16:00 cut-off ·
    2 late for promise"."""
    if not queue.total:
        return "No ship orders here now."
    today = "Nothing to ship today" if not queue.due_today else f"{queue.due_today} to ship today"
    later = queue.total - queue.due_today
    parts = [today + (f", {later} later" if later else "")]
    if queue.will_miss:
        times = [clock_text(at, queue.zone) for at in queue.missed_cutoffs]
        shown = ", ".join(times[:3]) + (" …" if len(times) > 3 else "")
        which = f"the {times[0]} cut-off" if len(times) == 1 else f"their cut-off ({shown})"
        parts.append(f"{MARK} {queue.will_miss} will miss {which}")
    elif queue.due_today:
        parts.append("all in time for today's cut-off")
    if queue.late_for_promise:
        parts.append(f"{MARK} {queue.late_for_promise} late for promise")
    return " · ".join(parts)


PROMISED = 4  # the column of the delivery promise


class ShipQueueModel(RowsModel[ShipSummary]):
    """The bench queue, one ship order a row; orders that will miss the cut-off in red,
    bold, with the mark and words in their "Leaves by" cell; a promise that will not be
    kept in amber, bold, with the mark and words in the "Promised" cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(key=lambda r: r.fulfilment_id, parent=parent)
        self._now = datetime.min
        self._zone: tzinfo | None = None
        self.columns = (
            Column[ShipSummary]("Order", lambda r: r.order_number),
            Column[ShipSummary]("Items", lambda r: str(r.units), numeric=True),
            Column[ShipSummary]("Carrier", lambda r: r.carrier),
            Column[ShipSummary](
                "Leaves by", self._leaves_by, tip="The carrier's cut-off it should leave by"
            ),
            Column[ShipSummary](
                "Promised", self._promised, tip="Delivery promised by", cell_tip=promise_tip
            ),
            Column[ShipSummary]("Age", self._age, numeric=True, tip="Since the order was placed"),
            Column[ShipSummary]("State", lambda r: state_text(r.state)),
            Column[ShipSummary](
                "Picker", picker_text, cell_tip=lambda r: r.picker_name or "Nobody yet"
            ),
        )

    def set_queue(self, queue: ShipQueue) -> None:
        self._now, self._zone = queue.as_of, queue.zone
        self.set_rows(queue.orders)

    def row_of(self, fulfilment_id: int) -> int:
        for i, row in enumerate(self.rows()):
            if row.fulfilment_id == fulfilment_id:
                return i
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.row_at(index.row())
            colour = ERROR if row.will_miss else ""
            if row.late_for_promise and index.column() == PROMISED:
                colour = WARN
            if colour and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(colour))
            if colour and role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)

    def _leaves_by(self, row: ShipSummary) -> str:
        return leaves_by_text(row, self._now, self._zone_or_local())

    def _promised(self, row: ShipSummary) -> str:
        return promised_text(row, self._now, self._zone_or_local())

    def _age(self, row: ShipSummary) -> str:
        return age_text(row.created_at, self._now)

    def _zone_or_local(self) -> tzinfo:
        zone = self._zone or datetime.now().astimezone().tzinfo
        assert zone is not None
        return zone
