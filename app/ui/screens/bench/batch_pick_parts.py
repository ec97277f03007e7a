"""The parts of the batch pick screen: the current stop shown big, the walk's next stops,
and the words of each. Qt widgets only; the screen wires them (:mod:`.batch_pick`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.shipping.batch_results import BatchView, StopView, UnpickTask
from app.ui.screens.bench.count_keys import KeyedCount
from app.ui.widgets import label

TOTES = 6  # totes listed; more are counted

KEYS_LINE = (  # the stop's keys, then the walk's: two lines at any width
    "* count · F7 short · F8 reject · F9 unpick\n"
    "Ctrl+→ skip · Ctrl+← back · Ctrl+P print pick list · Ctrl+Enter finish"
)
IDLE_KEYS = "Ctrl+B starts a batch · F9 unpick · on the Ship queue, Shift+↓ marks orders"
NO_BATCH = (
    "No batch open. Press Ctrl+B for the next 20 orders by cut-off, "
    "or mark orders on the Ship queue and press Ctrl+B there."
)


def _big(widget: QLabel, pixels: int) -> QLabel:
    """Seen from the shelf: the theme's label size is for reading at arm's length."""
    widget.setStyleSheet(f"font-size: {pixels}px; font-weight: 700;")
    return widget


def stop_line(stop: StopView) -> str:
    """A next stop in one line: "A-01-3  Steel bottle 3 ×3 → T01, T04"."""
    return f"{stop.bin_code}   {stop.name} ×{stop.quantity} → {stop.tote}"


class StopCard(QWidget):
    """The stop the picker is at: the bin big, the item, how many into which tote."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bin = _big(label(""), 56)
        self.bin.setAccessibleName("Bin")
        self.item = _big(label("", wrap=True), 24)
        self.item.setAccessibleName("Item")
        self.tote = _big(label(""), 56)
        self.tote.setAccessibleName("Into tote")
        self.count = _big(label(""), 56)
        self.count.setAccessibleName("Counted")
        self.keyed = KeyedCount()
        self.progress = label("", role="heading")
        self.progress.setAccessibleName("Progress")
        self.next_stops = label("", wrap=True)
        self.next_stops.setAccessibleName("Next stops")
        self.totes = label("", wrap=True)
        self.totes.setAccessibleName("Totes")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(40)
        grid.setVerticalSpacing(4)
        grid.addWidget(label("Bin", role="muted"), 0, 0)
        grid.addWidget(label("Counted", role="muted"), 0, 1)
        grid.addWidget(label("Into tote", role="muted"), 0, 2)
        grid.addWidget(self.bin, 1, 0)
        grid.addWidget(self.count, 1, 1)
        grid.addWidget(self.tote, 1, 2)
        keyed = QHBoxLayout()  # nothing shows, and the row takes no room, until *
        keyed.setSpacing(12)
        keyed.addWidget(self.keyed)
        keyed.addWidget(self.keyed.caption, 1)
        grid.addLayout(keyed, 2, 1, 1, 2)
        grid.addWidget(self.item, 3, 0, 1, 3)
        grid.addWidget(self.progress, 4, 0, 1, 3)
        grid.addWidget(label("Then", role="muted"), 5, 0, 1, 2)
        grid.addWidget(label("Totes", role="muted"), 5, 2)
        grid.addWidget(self.next_stops, 6, 0, 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.totes, 6, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowMinimumHeight(3, 8)
        grid.setRowStretch(7, 1)

    def show_batch(self, view: BatchView | None) -> None:
        stop = view.current if view else None
        self.bin.setText(stop.bin_code if stop else "")
        self.item.setText(f"{stop.name}  ({stop.sku})" if stop else "")
        self.count.setText(f"{stop.counted} of {stop.quantity}" if stop else "")
        tote = stop.tote if stop else ""
        self.tote.setText(tote)
        if view is None:
            for part in (self.progress, self.next_stops, self.totes):
                part.setText("")
            return
        waiting = sum(s.quantity for s in view.to_reject)
        short = f" · {waiting} short, waiting for a reason" if waiting else ""
        self.progress.setText(
            f"Batch {view.batch_id} · {view.progress} units picked · {len(view.totes)} totes{short}"
        )
        lines = [stop_line(s) for s in view.next_stops]
        self.next_stops.setText("\n".join(lines) or "Nothing after this stop.")
        marks = {tote: "   ◀ now"}
        self.totes.setText(
            "\n".join(
                f"{t.tote}  {t.order_number}{marks.get(t.tote, '')}" for t in view.totes[:TOTES]
            )
        )
        if len(view.totes) > TOTES:
            self.totes.setText(self.totes.text() + f"\n… {len(view.totes) - TOTES} more")


class Chooser(QWidget):
    """A question and a list to choose from by ↑ ↓ and Enter (reasons, unpick tasks)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = label("", role="heading", wrap=True)
        self.choices = QListWidget()
        self.choices.setAccessibleName("Choices")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.question)
        column.addWidget(self.choices, 1)

    def clear(self) -> None:
        self.question.clear()
        self.choices.clear()

    def ask(self, question: str, items: list[str]) -> None:
        self.question.setText(question)
        self.choices.clear()
        self.choices.addItems(items)
        if items:
            self.choices.setCurrentRow(0)
        self.choices.setFocus()


def task_line(task: UnpickTask) -> str:
    """ "WEB-1 (cancelled): Item 4 ×2 to bin A-01-4"."""
    parts = [
        f"{name} ×{units} to bin {' or '.join(bins) or 'any'}"
        for _, name, units, bins in task.lines
    ]
    return f"{task.order_number} ({task.state}): " + "; ".join(parts)
