"""Hand over: the carrier's driver is at the bench; press Alt+<number> for the carrier,
then scan each parcel's shipping label as the driver takes it.

Keyboard and scanner only. A refused scan double-beeps and says why (scanned twice,
another carrier's parcel, a void label, not a parcel of this bench, an order that needs
an e-way bill). For the e-way bill the cursor moves to its field: scan or type the 12
digits and press Enter, and the parcel goes out with it. The carrier's parcels not
scanned yet are listed under the scans; Ctrl+Enter lets the driver go (pressed twice
when parcels are missing); Ctrl+P prints the carrier's manifest on the A4 printer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.domain.shipping.scan_out import OutParcel
from app.errors import KnownError
from app.services.results import StaffSession
from app.services.shipping.scan_out import ScannedOut, ScanOutBoard
from app.ui.ports import ScanOutStation
from app.ui.scanner import ScanFeedback
from app.ui.tasks import TaskRunner
from app.ui.widgets import (
    MessageLine,
    button,
    card,
    keep_room,
    label,
    screen_layout,
    shortcut,
    title_row,
)

FINISH_KEY, MANIFEST_KEY = "Ctrl+Return", "Ctrl+P"
KEYS_LINE = "Alt+1… carrier · scan each label · Ctrl+P manifest · Ctrl+Enter driver leaves"
EWAY_WORDS = "e-way bill"
SHOWN_SCANS = 8  # the latest scans listed; the manifest has them all


NO_PARCELS = "No parcel is packed at this bench today."


class ScanOutScreen(QWidget):
    """Scan-out of one carrier's parcels as its driver collects them."""

    title = "Hand over"
    key = "F11"  # the same with or without the Printers screen (F5)

    def __init__(
        self,
        *,
        scan_out: ScanOutStation,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._scan_out = scan_out
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self.board: ScanOutBoard | None = None
        self.carrier = ""
        self.eway_for = ""  # the SSCC waiting for its e-way bill number
        self._leaving = False  # Ctrl+Enter pressed once with parcels missing
        self.search = QLineEdit()
        self.search.setPlaceholderText("Scan or type a parcel's SSCC")
        self.search.setAccessibleName("Parcel to hand over")
        self.find_button = button("Hand over")
        self.message = MessageLine()
        self.carriers = label(NO_PARCELS, wrap=True)
        self.carriers.setAccessibleName("Carriers")
        self.heading = label("", role="heading", wrap=True)
        self.scanned = label("", wrap=True)
        self.scanned.setAccessibleName("Parcels scanned out")
        self.warning = label("", role="muted", wrap=True)
        self.warning.setAccessibleName("Parcels not scanned")
        self.eway = QLineEdit()
        self.eway.setPlaceholderText("E-way bill number: 12 digits")
        self.eway.setAccessibleName("E-way bill number")
        self.eway.setMaxLength(20)
        self.next_line = label("", role="muted", wrap=True)
        self.next_line.setAccessibleName("What to do next")
        self.keys_line = label(KEYS_LINE, role="muted")
        self._build()
        self.search.returnPressed.connect(self._on_typed)
        self.find_button.clicked.connect(self._on_typed)
        self.eway.returnPressed.connect(self._on_eway_bill)
        for n in range(1, 10):
            shortcut(self, f"Alt+{n}", self._chooser(n))
        shortcut(self, FINISH_KEY, self.finish)
        shortcut(self, "Ctrl+Enter", self.finish)
        shortcut(self, MANIFEST_KEY, self.manifest)

    def _build(self) -> None:
        work, inside = card(spacing=8)
        for widget in (self.carriers, self.heading, self.scanned, self.warning):
            inside.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(label("E-way bill", role="muted"))
        row.addWidget(self.eway, 1)
        inside.addLayout(row)
        inside.addStretch(1)
        for widget in (self.next_line, self.keys_line):
            inside.addWidget(widget)
        keep_room(self.message)
        header = title_row(self.title, self.search, self.find_button)
        screen_layout(self, header, self.message, body=work)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.search.setFocus()
        self._run(self._scan_out.board, self.carrier, done=self.show_board)

    def on_scan(self, code: str) -> None:
        code = code.strip()
        if self.eway_for and self.eway.hasFocus():
            self.eway.setText(code)
            self._on_eway_bill()
            return
        staff = self._staff()
        if not self.carrier or staff is None:
            self._refused("Choose the carrier whose driver is here first (Alt+1, Alt+2 …).")
            return
        self.search.clear()
        self._run(self._scan_out.scan, self.carrier, code, staff, done=self._on_scanned,
                  failed=lambda e: self._on_refused(code, e))  # fmt: skip

    def reset(self) -> None:
        """Forget the carrier chosen: at a log-out."""
        self.carrier, self.eway_for, self._leaving = "", "", False
        self.eway.clear()
        self.message.clear_message()
        self.show_board(None)

    # -- showing ------------------------------------------------------------------------

    def show_board(self, board: ScanOutBoard | None) -> None:
        self.board = board
        numbered = [
            f"Alt+{n} {c.carrier}: {c.waiting} waiting, {c.handed} out"
            for n, c in enumerate(board.carriers if board else (), start=1)
        ]
        self.carriers.setText(" · ".join(numbered) or NO_PARCELS)
        self.heading.setText(f"{self.carrier} driver at the bench" if self.carrier else "")
        handed = board.handed if board else ()
        latest = [_scanned_text(p) for p in reversed(handed[-SHOWN_SCANS:])]
        scanned = f"Scanned out ({len(handed)}): " + "; ".join(latest) if handed else ""
        self.scanned.setText(scanned)
        self.warning.setText(board.warning if board else "")
        self.next_line.setText(board.next_step if board else "")

    def _run(
        self,
        fn: Callable[..., object],
        *args: object,
        done: Callable[..., None],
        failed: Callable[[KnownError], None] | None = None,
    ) -> None:
        self._runner.run_db(fn, *args, on_done=done, on_error=failed or self._refused)

    def _refused(self, error: KnownError | str) -> None:
        if self._feedback is not None:
            self._feedback.scan_failed()  # a double beep: the message says why
        self.message.show_error(error)

    # -- steps --------------------------------------------------------------------------

    def _chooser(self, number: int) -> Callable[[], None]:
        return lambda: self.choose(number)

    def choose(self, number: int) -> None:
        """Alt+<number>: the carrier whose driver is here."""
        carriers = self.board.carriers if self.board else ()
        if not 1 <= number <= len(carriers):
            self._refused(f"There is no carrier {number} in the list.")
            return
        self.carrier, self.eway_for, self._leaving = carriers[number - 1].carrier, "", False
        self.message.show_info(f"{self.carrier}: scan each parcel as the driver takes it.")
        self._run(self._scan_out.board, self.carrier, done=self.show_board)
        self.search.setFocus()

    def _on_typed(self) -> None:
        code = self.search.text().strip()
        if code:
            self.on_scan(code)

    def _on_scanned(self, scanned: ScannedOut) -> None:
        if self._feedback is not None:
            self._feedback.scan_ok()
        self.eway_for, self._leaving = "", False
        self.eway.clear()
        p = scanned.parcel
        bill = f" with e-way bill {p.eway_bill}" if p.eway_bill else ""
        self.message.show_ok(f"Parcel {p.sscc} ({p.order_number}) handed to {p.carrier}{bill}.")
        self.show_board(scanned.board)
        self.search.setFocus()

    def _on_refused(self, code: str, error: KnownError) -> None:
        self._refused(error)
        if EWAY_WORDS in error.message:
            self.eway_for = code
            self.eway.clear()
            self.eway.setFocus()

    def _on_eway_bill(self) -> None:
        staff, number = self._staff(), self.eway.text().strip()
        if not self.eway_for or staff is None:
            self._refused("Scan the parcel first; its e-way bill is asked for when needed.")
            return
        self._run(self._scan_out.scan, self.carrier, self.eway_for, staff, number,
                  done=self._on_scanned)  # fmt: skip

    def finish(self) -> None:
        """Ctrl+Enter: the driver leaves; with parcels missing, pressed twice."""
        waiting = self.board.waiting if self.board else ()
        if waiting and not self._leaving:
            self._leaving = True
            self.message.show_warning(
                f"{self.board.warning if self.board else ''}. Press Ctrl+Enter again to let "
                "the driver go without them, or scan them now."
            )
            return
        gone = self.carrier
        self.carrier, self.eway_for, self._leaving = "", "", False
        self.message.show_ok(f"{gone} driver has left." if gone else "No driver was here.")
        self._run(self._scan_out.board, "", done=self.show_board)

    def manifest(self) -> None:
        """Ctrl+P: the carrier's manifest of today, printed on the A4 printer (saved as a
        PDF where none is set up)."""
        staff = self._staff()
        if not self.carrier or staff is None:
            self._refused("Choose the carrier first (Alt+1, Alt+2 …), then press Ctrl+P.")
            return
        self._run(self._scan_out.manifest, self.carrier, staff, done=self._on_manifest)

    def _on_manifest(self, said: object) -> None:
        self.message.show_ok(str(said))


def _scanned_text(parcel: OutParcel) -> str:
    return f"{parcel.handed_over} {parcel.sscc} ({parcel.order_number})"
