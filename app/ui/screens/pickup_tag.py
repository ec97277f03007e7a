"""The pickup tag of the Pickup screen: printed by itself when an order is made ready
(on the printing worker, no dialog), and previewed for a print or reprint with F8.

Every print is recorded by the print service; one after a successful print of the same
tag counts as a reprint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.domain.labels import LabelKind, PickupTag
from app.errors import KnownError
from app.services.pickup_results import PickupDetail, PickupRecorded
from app.services.printing import PrintOutcome, PrintService
from app.services.results import StaffSession
from app.ui.label_preview import LabelPreviewDialog, open_label_preview
from app.ui.ports import Pickup
from app.ui.screens.pickup_order_panel import TAG_KEY, TAGGED
from app.ui.screens.pickup_steps import is_ready_done, ready_done
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine


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

    def preview(self, order: PickupDetail | None) -> None:
        """F8: the tag of a staged or ready order in the label preview."""
        if self.dialog is not None:
            return
        if order is None or order.summary.state not in TAGGED:
            self._message.show_error("Open a staged order first: its tag names its bin.")
            return
        self._runner.run_db(
            self._pickup.pickup_tag,
            order.summary.fulfilment_id,
            on_done=self._open_preview,
            on_error=self._message.show_error,
        )

    def print_ready(self, recorded: PickupRecorded) -> None:
        """The order is made ready: its tag goes to the tag printer in one call."""
        order, printing, code = recorded.order, self._printing, self._staff_code()
        number = order.summary.order_number
        said = ready_done(order)
        self._message.show_ok(f"{said} Printing the pickup tag…")
        self._runner.run_net(
            lambda: printing.print_label(LabelKind.PICKUP_TAG, order.pickup_tag(), staff_code=code),
            on_done=lambda outcome: self._on_printed(said, order, outcome),
            on_error=lambda error: self._on_print_failed(number, error),
        )

    def _on_printed(self, said: str, order: PickupDetail, outcome: PrintOutcome) -> None:
        """Which printer has the tag and where it goes (the file or address it went to
        is in the print history, F8 and the Printers screen: no help at the counter)."""
        if is_ready_done(self._message.text()):  # nothing else said since
            where = f" on bin {order.summary.bin}" if order.summary.bin else ""
            self._message.show_ok(
                f"{said} Pickup tag printed on {outcome.profile}: put it on the order{where}."
            )

    def _on_print_failed(self, number: str, error: KnownError) -> None:
        self._message.show_error(
            KnownError(
                f"{number} is ready for pickup, but its tag did not print: {error.message}",
                next_step=f"Check the tag printer, then press {TAG_KEY} to print it again.",
            )
        )

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
