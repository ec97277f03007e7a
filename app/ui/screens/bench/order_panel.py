"""One ship order opened at the bench: its lines, where it goes, how it is paid, the
carrier, and routing's note on why this store ships it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.money import Money
from app.domain.shipping.assign import ASSIGNABLE
from app.services.shipping.results import ShipDetail, ShipLine, ShipSummary
from app.ui.models import Column, RowsModel
from app.ui.screens.bench.queue_models import (
    leaves_by_text,
    promised_words,
    state_text,
    when_text,
)
from app.ui.screens.bench.timeline_view import TimelineView
from app.ui.screens.common import fit_rows, table_view
from app.ui.widgets import label

LINES_SHOWN = 4  # rows the lines table keeps room for; more scroll
LINES_LEAST = 2  # what it gives up to on a short screen


class ShipLinesModel(RowsModel[ShipLine]):
    columns = (
        Column[ShipLine]("SKU", lambda r: r.sku),
        Column[ShipLine]("Item", lambda r: r.name),
        Column[ShipLine]("Qty", lambda r: str(r.quantity), numeric=True),
        Column[ShipLine]("Picked", lambda r: str(r.picked), numeric=True),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(key=lambda r: r.sku, parent=parent)


def payment_text(detail: ShipDetail) -> str:
    """ "Prepaid", or the cash the courier collects: "Cash on delivery: ₹1,497.00"."""
    if detail.payment == "cod":
        return f"Cash on delivery: collect {Money(detail.cod_minor).format()}"
    if detail.payment == "prepaid":
        return "Prepaid: collect nothing"
    return "Payment not known yet"


def heading_text(detail: ShipDetail) -> str:
    """ "WEB-1 · To pack · leaves by 16:00" while the bench works on it; once it left, when
    it was handed over instead: "WEB-1 · Shipped · handed over yesterday 17:02"."""
    s, zone, now = detail.summary, detail.zone, detail.as_of
    head = f"{s.order_number} · {state_text(s.state)}"
    if s.state in ASSIGNABLE:  # the bench's queue states
        return f"{head} · leaves by {leaves_by_text(s, now, zone)}"
    if detail.handed_over_at is not None:
        return f"{head} · handed over {when_text(detail.handed_over_at, now, zone)}"
    return head


def picker_words(summary: ShipSummary) -> str:
    """Who picks it; while nobody does, how to give it (only while someone still may)."""
    if summary.picker_name:
        return summary.picker_name
    return "Nobody yet: Alt+A gives it" if summary.state in ASSIGNABLE else "Nobody"


class ShipOrderPanel(QWidget):
    """The open order: a heading, its lines, and beside them address, payment, carrier
    and why this store."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ShipDetail | None = None
        self.heading = label("", role="heading", wrap=True)
        self.lines = ShipLinesModel(self)
        self.lines_view = table_view(self.lines, stretch_column=1)
        self.lines_view.setAccessibleName("Lines of the order")
        fit_rows(self.lines_view, LINES_SHOWN, least=LINES_LEAST)
        self.address = label("", wrap=True)
        self.payment = label("", wrap=True)
        self.carrier = label("", wrap=True)
        self.promised = label("", wrap=True)
        self.picker = label("", wrap=True)
        self.why = label("", wrap=True)
        self.why.setAccessibleName("Why this store")
        self.timeline = TimelineView()
        self._build()

    def _build(self) -> None:
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(6)
        rows: list[tuple[str, QLabel]] = [
            ("Ship to", self.address),
            ("Payment", self.payment),
            ("Carrier", self.carrier),
            ("Promised", self.promised),
            ("Picker", self.picker),
        ]
        top = Qt.AlignmentFlag.AlignTop
        for i, (name, value) in enumerate(rows):
            facts.addWidget(label(name, role="muted"), i, 0, top)
            facts.addWidget(value, i, 1, top)
        facts.setColumnStretch(1, 1)
        left = QVBoxLayout()  # the lines, and under them the timeline in the height the
        left.setSpacing(8)  # facts beside them take anyway (it scrolls when longer)
        left.addWidget(self.lines_view, 0, top)
        left.addWidget(label("Timeline", role="muted"))
        left.addWidget(self.timeline, 1)
        side = QHBoxLayout()
        side.setSpacing(16)
        side.addLayout(left, 3)
        side.addLayout(facts, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addLayout(side, 1)
        layout.addWidget(label("Why this store", role="muted"))
        layout.addWidget(self.why)

    def detail(self) -> ShipDetail | None:
        return self._detail

    def show_order(self, detail: ShipDetail | None) -> None:
        """Show ``detail`` (None: nothing open)."""
        self._detail = detail
        if detail is None:
            self.lines.set_rows([])
            for field in (self.heading, self.address, self.payment, self.carrier):
                field.clear()
            for field in (self.promised, self.picker, self.why):
                field.clear()
            self.timeline.show_timeline((), None)
            return
        s, zone, now = detail.summary, detail.zone, detail.as_of
        self.heading.setText(heading_text(detail))
        self.lines.set_rows(detail.lines)
        shown = min(LINES_SHOWN, max(len(detail.lines), LINES_LEAST))
        fit_rows(self.lines_view, shown, least=min(shown, LINES_LEAST))  # the rest: timeline
        self.address.setText("\n".join(detail.address.lines()) or "No address yet")
        self.payment.setText(payment_text(detail))
        service = f" {detail.carrier_service}" if detail.carrier_service else ""
        carrier = detail.carrier_name or s.carrier  # the code where no name came
        self.carrier.setText(f"{carrier}{service}" if carrier else "Not chosen yet")
        self.promised.setText(promised_words(s, now, zone) or "Not promised")
        self.picker.setText(picker_words(s))
        self.why.setText(detail.route_note or "Routing left no note.")
        self.timeline.show_timeline(detail.timeline, zone)
