"""The pickup tag of the Pickup screen: printed by itself when an order is made ready
(on the printing worker, no dialog), and previewed for a print or reprint with F8.

Every print is recorded by the print service; one after a successful print of the same
tag counts as a reprint, so F8 pressed while the tag is still printing opens its preview
once that first print is done. A station whose tag printer only writes files (no
printers.json) says so, and where to choose a printer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.domain.labels import LabelKind, PickupTag
from app.errors import KnownError
from app.labels.profiles import Transport
from app.services.pickup_results import PickupDetail, PickupRecorded
from app.services.printing import PrintOutcome, PrintService
from app.services.results import StaffSession
from app.ui.label_preview import LabelPreviewDialog, open_label_preview
from app.ui.ports import Pickup
from app.ui.screens.pickup_order_view import TAG_KEY, TAGGED
from app.ui.screens.pickup_steps import ready_done
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine

PRINTERS_KEY = "F5"


class PickupTags:
    """Prints the open order's pickup tag on the station's printer for pickup tags."""

    def __init__(
        self,
        *,
        screen: QWidget,
        pickup: Pickup,
        printing: PrintService,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        message: MessageLine,
        on_closed: Callable[[], None],
    ) -> None:
        self._screen = screen
        self._pickup = pickup
        self._printing = printing
        self._runner = runner
        self._staff = staff
        self._message = message
        self._on_closed = on_closed
        self.dialog: LabelPreviewDialog | None = None  # the F8 preview, while open
        self._printing_order: PickupDetail | None = None  # its tag printing after ready
        self._preview_next = False  # F8 pressed while that tag was printing
        self._said = ""  # the message this class showed last (replaced when nothing since)

    def reset(self) -> None:
        """Forget a tag printing and a preview asked for (its dialog is closed by the
        log-out that calls this)."""
        self._printing_order = None
        self._preview_next = False
        self._said = ""

    def preview(self, order: PickupDetail | None) -> None:
        """F8: the tag of a staged or ready order in the label preview; while the order's
        tag is still printing after Mark ready, once that print is done."""
        if self.dialog is not None:
            return
        if order is None or order.summary.state not in TAGGED:
            self._message.show_error("Open a staged order first: its tag names its bin.")
            return
        printing = self._printing_order
        if printing is not None and printing.summary.fulfilment_id == order.summary.fulfilment_id:
            self._preview_next = True
            self._say_info("The pickup tag is still printing: its preview opens when it is done.")
            return
        self._runner.run_db(
            self._pickup.pickup_tag,
            order.summary.fulfilment_id,
            on_done=self._open_preview,
            on_error=self._message.show_error,
        )

    def print_ready(self, recorded: PickupRecorded) -> None:
        """The order is made ready: its tag (dated in the store's time zone) goes to the
        tag printer, no dialog."""
        order = self._printing_order = recorded.order
        self._preview_next = False
        said = ready_done(order)
        self._say_ok(f"{said} Printing the pickup tag…")
        self._runner.run_db(
            self._pickup.pickup_tag,
            order.summary.fulfilment_id,
            on_done=lambda tag: self._send(said, order, tag),
            on_error=lambda error: self._on_print_failed(order, error),
        )

    def _send(self, said: str, order: PickupDetail, tag: PickupTag) -> None:
        printing, code = self._printing, self._staff_code()
        self._runner.run_net(
            lambda: printing.print_label(LabelKind.PICKUP_TAG, tag, staff_code=code),
            on_done=lambda outcome: self._on_printed(said, order, outcome),
            on_error=lambda error: self._on_print_failed(order, error),
        )

    def _on_printed(self, said: str, order: PickupDetail, outcome: PrintOutcome) -> None:
        """Which printer has the tag and where it goes (the file or address it went to
        is in the print history, F8 and the Printers screen: no help at the counter)."""
        if self._message.text() == self._said:  # nothing else said since
            profile = self._printing.profile_for(LabelKind.PICKUP_TAG, outcome.profile)
            if profile.transport is Transport.FILE:
                self._message.show_warning(
                    f"{said} No tag printer is set up, so the tag was saved as a file: "
                    f"choose a printer on Printers ({PRINTERS_KEY})."
                )
            elif outcome.printed:
                where = f" on bin {order.summary.bin}" if order.summary.bin else ""
                self._message.show_ok(
                    f"{said} Pickup tag printed on {outcome.profile}: put it on the order{where}."
                )
            else:  # queued, or the printer did not confirm it: said as it is
                self._message.show_warning(f"{said} Pickup tag: {outcome.said}")
        self._printed(order)

    def _on_print_failed(self, order: PickupDetail, error: KnownError) -> None:
        self._message.show_error(
            KnownError(
                f"{order.summary.order_number} is ready for pickup, but its tag did not print: "
                f"{error.message}",
                next_step=f"Check the tag printer, then press {TAG_KEY} to print it again.",
            )
        )
        self._printed(order)

    def _printed(self, order: PickupDetail) -> None:
        """The tag's print is over (done or failed): a preview asked for meanwhile opens."""
        if self._printing_order is not order:
            return  # another order was made ready since: its print is the one awaited
        self._printing_order = None
        if self._preview_next:
            self._preview_next = False
            self.preview(order)

    def _say_ok(self, text: str) -> None:
        self._said = text
        self._message.show_ok(text)

    def _say_info(self, text: str) -> None:
        self._said = text
        self._message.show_info(text)

    def _open_preview(self, data: PickupTag) -> None:
        if self.dialog is not None:
            return
        self.dialog = open_label_preview(
            self._screen,
            service=self._printing,
            runner=self._runner,
            kind=LabelKind.PICKUP_TAG,
            data=data,
            staff_code=self._staff_code(),
            on_closed=self._on_preview_closed,
        )

    def _on_preview_closed(self) -> None:
        self.dialog = None
        self._on_closed()

    def _staff_code(self) -> str | None:
        staff = self._staff()
        return staff.code if staff is not None else None
