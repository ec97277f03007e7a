"""Staging onto a bin that holds another order asks first: Y puts it there too, N (or
Esc, or Enter) scans another bin. Part of the order panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.pickup_bins import BinHoldsAnother

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def ask_to_share_bin(
    parent: QWidget, refused: BinHoldsAnother, order_number: str, on_answer: Callable[[bool], None]
) -> QMessageBox:
    """Open the question (window-modal, so the screen keeps running); ``on_answer`` hears
    True when the associate puts ``order_number`` on the bin too. Returns the box."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Bin in use")
    box.setText(f"{refused.message} Put {order_number} on bin {refused.bin_code} too?")
    box.setInformativeText("Y: yes, both orders share the bin.  N or Esc: no, scan another bin.")
    box.setStandardButtons(Yes | No)
    for which, text in (
        (Yes, f"&Yes, put it on {refused.bin_code} too"),
        (No, "&No, scan another bin"),
    ):
        shown = box.button(which)
        if shown is not None:
            shown.setText(text)
    box.setDefaultButton(No)  # an Enter meant for something else shares no bin
    box.setEscapeButton(No)
    box.finished.connect(lambda result: on_answer(result == Yes.value))
    box.open()
    return box
