"""A count keyed on the batch pick walk: ``*`` opens a field for how many units the next
item scan counts, so a picker holding 12 of an item scans one and keys 12. The domain
refuses more than the tote still needs (:mod:`app.domain.shipping.pick_scan`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.services.shipping.batch_results import StopView
from app.ui.widgets import label

COUNT_KEY = "*"  # as at the counter (``3*`` then the scan); on the number pad too


class KeyedCount(QLineEdit):
    """The units of the next item scan, keyed after ``*``: hidden until then.

    A scan while the cursor is here does not leave its characters behind: the scanner
    input (:mod:`app.ui.scanner`) tells a scan from typing by the gaps between keys and
    puts back the text the field had. A ``*`` inside a code scanned with the cursor on
    the stop opens this field mid-scan, so the rest of the code lands here: such text is
    the end of the code just scanned, and it is not a count (:meth:`typed_by`).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Units in the next scan")
        self.setProperty("role", "quantity")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setFixedWidth(120)
        self.caption = label("units in the next scan", role="muted")
        self.hide()
        self.caption.hide()
        self._confirmed = False  # Enter was pressed here: keyed by hand

    def open(self) -> None:
        """Show the field empty, with the cursor in it."""
        self.clear()
        self._confirmed = False
        self.show()
        self.caption.show()
        self.setFocus()

    def close_count(self) -> None:
        self.clear()
        self.hide()
        self.caption.hide()

    def confirm(self) -> None:
        self._confirmed = True

    def units(self) -> int | None:
        """The count keyed (``12``, or ``12*`` as at the counter); 1 when nothing was keyed;
        None when the text is no count of 1 or more."""
        text = self.text().strip().rstrip("*xX").strip()
        if not text:
            return 1
        return int(text) if text.isdigit() and int(text) > 0 else None

    def typed_by(self, code: str) -> bool:
        """Whether the text here is the end of ``code``: the scanner typed it after a ``*``
        of the code opened this field."""
        return not self._confirmed and "*" in code and code.endswith("*" + self.text())


class CountKeys:
    """What ``*``, the keyed count and Enter do on the walk (the screen owns the widgets)."""

    def __init__(
        self, *, field: KeyedCount, next_line: QLabel, refuse: Callable[[str], None]
    ) -> None:
        self._field = field
        self._next_line = next_line
        self._refuse = refuse  # a double beep and why

    def ask(self, stop: StopView | None) -> None:
        """``*``: open the count field at a stop whose bin is scanned and units are due."""
        if stop is None:
            self._refuse("There is no item to count: " + self._next_line.text())
        elif not stop.bin_verified:
            self._refuse(f"Scan bin {stop.bin_code} first, then press * to key a count.")
        elif stop.counted >= stop.quantity:
            self._refuse(f"All {stop.quantity} are counted: put them in tote {stop.tote}.")
        else:
            self._field.open()
            self._next_line.setText(
                f"Key how many you hold ({stop.quantity - stop.counted} or fewer), then scan one "
                "of them. Esc: scan one by one."
            )

    def keyed(self, stop: StopView | None) -> None:
        """Enter in the count field: the count stands for the next scan."""
        units = self._field.units()
        if units is None or stop is None:
            self._refuse("Key the number of units, 1 or more (Esc: scan one by one).")
            return
        self._field.confirm()
        self._next_line.setText(f"Scan {stop.name}: {units} in one go (Esc: one by one).")

    def for_scan(self, code: str) -> int | None:
        """The units the scan of ``code`` counts (1 unless keyed); None when what was keyed
        is no number. The field is emptied: a count is for one scan."""
        if self._field.typed_by(code):
            self._field.clear()
        units = self._field.units()
        self._field.close_count()
        return units

    def after_refusal(self, stop: StopView | None, units: int) -> None:
        """A keyed count the tote cannot take: say what to key instead."""
        if units > 1 and stop is not None and stop.bin_verified:
            self._next_line.setText(
                f"Press * and key {stop.quantity - stop.counted} or fewer, then scan "
                f"{stop.name}; or scan them one by one."
            )
