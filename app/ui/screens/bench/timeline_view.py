"""A ship order's timeline at the bench: a line per step and carrier event, per parcel
when there are several, oldest first, scrolled when long. A failed delivery or a return
to origin is red and says what the store must do next."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain.shipping.timeline import ParcelTimeline
from app.ui.widgets import label

NOTHING_YET = "Nothing packed yet"
LINES_LEAST = 3  # lines it keeps room for on a short screen; the rest scroll


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
        # One "nothing yet" line made once and shown or hidden, so the panel after a
        # log-out is the panel as built.
        self._nothing = label(NOTHING_YET, role="muted")
        self._rows.insertWidget(0, self._nothing)
        # Newest last, and in view: once the lines are laid out, the view goes to its end.
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high))
        self.show_timeline((), None)

    def sizeHint(self) -> QSize:
        """Ask for a few lines only: the panel gives the timeline what height is left, so
        a long one scrolls here instead of pushing the page past the screen."""
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().lineSpacing() * LINES_LEAST)

    def show_timeline(self, parcels: tuple[ParcelTimeline, ...], zone: tzinfo | None) -> None:
        """Show each parcel's lines in the store's ``zone`` under a heading with its SSCC
        (and which of how many); "Nothing packed yet" without any."""
        for old in self._labels:
            self._rows.removeWidget(old)
            old.deleteLater()
        self._labels = []
        shown = bool(parcels) and zone is not None
        self._nothing.setHidden(shown)
        if shown and zone is not None:
            self._show_parcels(parcels, zone)

    def _show_parcels(self, parcels: tuple[ParcelTimeline, ...], zone: tzinfo) -> None:
        for n, parcel in enumerate(parcels, start=1):
            count = f"{n} of {len(parcels)} · " if len(parcels) > 1 else ""
            self._add(label(f"Parcel {count}{parcel.sscc}", role="heading"))
            for line in parcel.lines:
                self._add(label(line.text(zone), role="error" if line.alarm else "", wrap=True))

    def _add(self, widget: QLabel) -> None:
        self._labels.append(widget)
        self._rows.insertWidget(len(self._labels), widget)  # after the hidden "nothing yet"

    def lines(self) -> list[tuple[str, bool]]:
        """(text, alarm) of each line shown, headings included: what a person reads."""
        if not self._labels:
            return [(self._nothing.text(), False)]
        return [(w.text(), w.property("role") == "error") for w in self._labels]
