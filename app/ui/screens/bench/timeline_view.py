"""A ship order's timeline at the bench: a line per step and carrier event, per parcel
when there are several, oldest first, scrolled when long. A failed delivery or a return
to origin is red and says what the store must do next."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.shipping.timeline import ParcelTimeline
from app.ui.widgets import label

NOTHING_YET = "Nothing packed yet"


class TimelineView(QScrollArea):
    """The timeline's lines as labels in a scroll area (``lines()`` reads them back)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the lines table
        self.setAccessibleName("Order timeline")
        self._body = QWidget()
        self._rows = QVBoxLayout(self._body)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addStretch(1)  # lines go above it, at the top
        self.setWidget(self._body)
        self._labels: list[QLabel] = []
        self.show_timeline((), None)

    def show_timeline(self, parcels: tuple[ParcelTimeline, ...], zone: tzinfo | None) -> None:
        """Show each parcel's lines in the store's ``zone`` (a heading per parcel when
        there are several); "Nothing packed yet" without any."""
        for old in self._labels:
            self._rows.removeWidget(old)
            old.deleteLater()
        self._labels = []
        if parcels and zone is not None:
            self._show_parcels(parcels, zone)
        else:
            self._add(label(NOTHING_YET, role="muted"))

    def _show_parcels(self, parcels: tuple[ParcelTimeline, ...], zone: tzinfo) -> None:
        for n, parcel in enumerate(parcels, start=1):
            if len(parcels) > 1:
                self._add(label(f"Parcel {n} of {len(parcels)} · {parcel.sscc}", role="heading"))
            for line in parcel.lines:
                self._add(label(line.text(zone), role="error" if line.alarm else "", wrap=True))

    def _add(self, widget: QLabel) -> None:
        self._labels.append(widget)
        self._rows.insertWidget(len(self._labels) - 1, widget)

    def lines(self) -> list[tuple[str, bool]]:
        """(text, alarm) of each line shown, headings included: what a person reads."""
        return [(w.text(), w.property("role") == "error") for w in self._labels]
