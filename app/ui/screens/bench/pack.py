"""The bench's pack step: scan a tote or an order, scan each item into the parcel, weigh
it and press Enter to close it; its label and packing slip print.

Keyboard and scanner only. The cursor waits in the weight field, where a scale that
types like a keyboard puts its reading (a reading with its unit, sent as a burst, is
taken as the weight wherever focus is). F7: a lead accepts a weight outside the range;
F8 reprints the last parcel's label and slip; F9 voids its label (its items are loose
again, to repack); Alt+N empties the parcel being filled; Esc closes the order. One line
always says what to do next; a wrong scan double-beeps and says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.errors import KnownError, NotFound
from app.services.results import StaffSession
from app.services.shipping.pack import LeadOverride
from app.services.shipping.pack_results import PackScanned, PackView, ParcelClosed
from app.ui.ports import PackStation
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.pack_dialogs import LeadDialog, void_dialog
from app.ui.screens.bench.pack_models import (
    PackLinesModel,
    count_scan,
    fit_columns,
    heading_text,
    lines_table,
    paint_row,
    parcel_text,
    parcels_text,
)
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

LEAD_KEY, REPRINT_KEY, VOID_KEY, EMPTY_KEY = "F7", "F8", "F9", "Alt+N"
KEYS_LINE = "Enter closes the parcel · F7 lead accepts the weight · F8 reprint · F9 void label"
START = "Scan a tote or an order number to pack it."
# What a scale types: a status (ST,GS,…) or a number with its unit.
SCALE = re.compile(r"^((ST|US|OL)\s*,|[+-]?\s*\d*\.?\d+\s*(kg|g|lbs?|oz)$)", re.IGNORECASE)


class PackScreen(QWidget):
    """One order at the pack step: its lines, the parcel being filled, the weight."""

    title = "Pack"
    key = "F6"  # the same with or without the Printers screen (F5)

    def __init__(
        self,
        *,
        pack: PackStation,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pack = pack
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self.view_shown: PackView | None = None
        self.dialog: QWidget | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Scan or type a tote or order number")
        self.search.setAccessibleName("Find order to pack")
        self.find_button = button("Open")
        self.message = MessageLine()
        self.heading = label("", role="heading", wrap=True)
        self.lines = PackLinesModel(self)
        self.lines_view = lines_table(self.lines)
        self.parcel = label("", wrap=True)
        self.parcel.setAccessibleName("Parcel being filled")
        self.parcels = label("", role="muted", wrap=True)
        self.weight = QLineEdit()
        self.weight.setPlaceholderText("Weigh the parcel, or type grams (1325) or kg (1.325 kg)")
        self.weight.setAccessibleName("Parcel weight")
        self.close_button = button("Close parcel", primary=True)
        self.next_line = label(START, role="muted")
        self.next_line.setAccessibleName("What to do next")
        self.keys_line = label(KEYS_LINE, role="muted")
        self._build()
        self.search.returnPressed.connect(self._on_search)
        self.find_button.clicked.connect(self._on_search)
        self.weight.returnPressed.connect(lambda: self.close_parcel())
        self.close_button.clicked.connect(lambda: self.close_parcel())
        for key, slot in ((LEAD_KEY, self.ask_lead), (REPRINT_KEY, self.reprint),
                          (VOID_KEY, self.ask_void), (EMPTY_KEY, self.empty_parcel),
                          ("Esc", self.close_order)):  # fmt: skip
            shortcut(self, key, slot)

    def _build(self) -> None:
        work, inside = card(spacing=8)
        for widget, stretch in ((self.heading, 0), (self.lines_view, 1), (self.parcel, 0)):
            inside.addWidget(widget, stretch)
        weigh = QHBoxLayout()
        weigh.addWidget(label("Weight", role="muted"))
        weigh.addWidget(self.weight, 1)
        weigh.addWidget(self.close_button)
        inside.addLayout(weigh)
        for widget in (self.parcels, self.next_line, self.keys_line):
            inside.addWidget(widget)
        keep_room(self.message)
        header = title_row(self.title, self.search, self.find_button)
        screen_layout(self, header, self.message, body=work)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        (self.search if self.view_shown is None else self.weight).setFocus()
        if self.view_shown is not None:
            self._run(self._pack.order, self.view_shown.fulfilment_id, done=self.show_view)

    def on_scan(self, code: str) -> None:
        code = code.strip()
        if SCALE.match(code) and self.view_shown is not None:
            self.weight.setText(code)
            self.close_parcel()
        elif self.view_shown is None:
            self._open(code, scanned=True)
        else:
            counted = self._count_at_once(code)
            fid = self.view_shown.fulfilment_id
            refused = lambda e: self._on_item_refused(code, e, counted)  # noqa: E731
            self._run(self._pack.scan_item, fid, code, done=self._on_item, failed=refused)

    def reset(self) -> None:
        """Forget the order open: at a log-out."""
        if self.dialog is not None:
            self.dialog.close()
        self.show_view(None)
        self.message.clear_message()

    def show_view(self, view: PackView | None) -> None:
        """Show ``view`` (None: no order open)."""
        old, self.view_shown = self.view_shown, view
        self.lines.set_rows(view.lines if view else [])
        if view is not None and (old is None or old.fulfilment_id != view.fulfilment_id):
            fit_columns(self.lines_view)
        self.heading.setText(heading_text(view) if view else "")
        self.parcel.setText(parcel_text(view) if view else "")
        self.parcels.setText(parcels_text(view) if view else "")
        self.next_line.setText(view.next_step if view else START)

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

    # -- opening an order and scanning items --------------------------------------------

    def _on_search(self) -> None:
        code = self.search.text().strip()
        if code:
            self.on_scan(code) if self.view_shown is not None else self._open(code, False)

    def _open(self, code: str, scanned: bool) -> None:
        self._run(self._pack.open_order, code, done=lambda v: self._on_opened(v, scanned))

    def _on_opened(self, view: PackView, scanned: bool) -> None:
        if scanned and self._feedback is not None:
            self._feedback.scan_ok()
        self.search.clear()
        self.message.show_info(f"Packing {view.order_number}.")
        self.show_view(view)
        self.weight.setFocus()

    def _on_item(self, scanned: PackScanned) -> None:
        if self._feedback is not None:
            self._feedback.scan_ok()
        self.search.clear()
        self.message.show_ok(f"{scanned.name} is in the parcel.")
        self.show_view(scanned.view)

    def _count_at_once(self, code: str) -> bool:
        """Show the scanned unit counted at once (painted now, not when the event loop gets
        to it behind the write); the cache's write confirms it."""
        counted = count_scan(self.view_shown, code) if self.view_shown else None
        if counted is not None:
            self.view_shown, line = counted
            self.lines.replace_row(line)
            paint_row(self.lines_view, self.lines.rows().index(line))
        return counted is not None

    def _on_item_refused(self, code: str, error: KnownError, counted: bool) -> None:
        if counted and self.view_shown is not None:  # shown counted: as the cache has it
            self._run(self._pack.order, self.view_shown.fulfilment_id, done=self.show_view)
        if isinstance(error, NotFound):  # not an item: perhaps the next tote or order
            self._run(self._pack.open_order, code, done=lambda v: self._on_opened(v, True),
                      failed=lambda _e: self._refused(error))  # fmt: skip
            return
        self._refused(error)

    # -- the parcel ---------------------------------------------------------------------

    def close_parcel(self, lead: LeadOverride | None = None) -> None:
        """Close the parcel being filled at the weight keyed (or typed by the scale)."""
        staff, view = self._staff(), self.view_shown
        if staff is None or view is None:
            self._refused(START)
            return
        if not self.weight.text().strip():
            self._refused("Weigh the parcel first: put it on the scale, or type its weight.")
            return
        self._run(self._pack.close_parcel, view.fulfilment_id, self.weight.text(), staff, lead,
                  done=self._on_closed)  # fmt: skip

    def _on_closed(self, closed: ParcelClosed) -> None:
        self.weight.clear()
        lead = f" Weight accepted by {closed.override_by}." if closed.override_by else ""
        self.message.show_ok(
            f"Parcel {closed.sscc} closed ({closed.carrier}).{lead} {closed.printed}".strip()
        )
        self.show_view(closed.view)
        self.weight.setFocus()

    def empty_parcel(self) -> None:
        if self.view_shown is not None:
            self._run(self._pack.empty_parcel, self.view_shown.fulfilment_id, done=self.show_view)

    def ask_lead(self) -> None:
        """A lead accepts the weight keyed: code, PIN and reason in a dialog."""
        if self.view_shown is None or not self.weight.text().strip():
            self._refused("Weigh the parcel first; then a lead may accept its weight (F7).")
            return
        dialog = LeadDialog(self.message.text() or "The parcel weight is out of range.", self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.close_parcel(dialog.override()))
        dialog.finished.connect(self._on_dialog_closed)
        dialog.open()

    def _on_dialog_closed(self) -> None:
        self.dialog = None
        self.window().activateWindow()
        self.weight.setFocus()

    def _last_parcel(self) -> str:
        view = self.view_shown
        live = [p.sscc for p in view.parcels if not p.void] if view else []
        if not live:
            self._refused("No parcel of this order has a label yet.")
            return ""
        return live[-1]

    def reprint(self) -> None:
        staff, sscc = self._staff(), self._last_parcel()
        if staff is not None and sscc:
            self._run(self._pack.reprint, sscc, staff, done=self.message.show_info)

    def ask_void(self) -> None:
        """Void the last parcel's label, with a reason (Enter accepts, Esc keeps it)."""
        sscc = self._last_parcel()
        if not sscc:
            return
        dialog = self.dialog = void_dialog(sscc, self)
        dialog.textValueSelected.connect(lambda reason: self._void(sscc, reason))
        dialog.finished.connect(self._on_dialog_closed)
        dialog.open()

    def _void(self, sscc: str, reason: str) -> None:
        staff, view = self._staff(), self.view_shown
        if staff is not None and view is not None:
            self._run(self._pack.void_label, view.fulfilment_id, sscc, reason, staff,
                      done=lambda v: self._on_voided(sscc, v))  # fmt: skip

    def _on_voided(self, sscc: str, view: PackView) -> None:
        self.message.show_ok(f"Label of parcel {sscc} is void: pack its items again.")
        self.show_view(view)

    def close_order(self) -> None:
        self.show_view(None)
        self.message.clear_message()
        self.search.setFocus()
