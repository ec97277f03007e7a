"""The two questions the order panel asks: F7's "mark this line short, and why?"
(:class:`.pickup_short_dialog.ShortDialog`, its reasons from the station's cache) and
"this bin holds another order, put this one there too?" (:func:`.ask_to_share_bin`).
At most one of each is open; when it closes the cursor is back in the step field. Part of
the order panel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.reasons import ReasonUse
from app.services.pickup_bins import BinHoldsAnother
from app.services.pickup_results import PickupDetail, PickupLineView, ReasonChoice
from app.ui.ports import Pickup
from app.ui.screens.pickup_share_bin import ask_to_share_bin
from app.ui.screens.pickup_short_dialog import ShortDialog
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine


class OrderQuestions:
    """The questions asked about the open order of one panel (``parent``)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        pickup: Pickup,
        runner: TaskRunner,
        message: MessageLine,
        order: Callable[[], PickupDetail | None],
        back_to_step: Callable[[], None],
    ) -> None:
        self._parent = parent
        self._pickup = pickup
        self._runner = runner
        self._message = message
        self._order = order  # the order open now
        self._back_to_step = back_to_step
        self.short_dialog: ShortDialog | None = None  # F7's confirmation, while open
        self.short_said = ""  # what the short's reason does, said after it is recorded
        self.share_dialog: QMessageBox | None = None  # staging onto a bin in use: asked

    def ask_short(self, line: PickupLineView, on_confirmed: Callable[[str, str], None]) -> None:
        """Ask to mark ``line`` short, with a reason; ``on_confirmed`` hears its SKU and
        the reason's code once confirmed."""
        self._runner.run_db(
            self._pickup.reasons,
            ReasonUse.SHORT_PICK.value,
            on_done=lambda offered: self._open_short(line, offered, on_confirmed),
            on_error=self._message.show_error,
        )

    def _open_short(
        self,
        line: PickupLineView,
        offered: tuple[ReasonChoice, ...],
        on_confirmed: Callable[[str, str], None],
    ) -> None:
        if self._order() is None or self.short_dialog is not None:
            return
        dialog = ShortDialog(line, offered, self._parent)
        dialog.accepted.connect(lambda: self._on_short_confirmed(dialog, on_confirmed))
        dialog.finished.connect(self._on_short_dialog_closed)
        self.short_dialog = dialog
        dialog.open()

    def _on_short_confirmed(
        self, dialog: ShortDialog, on_confirmed: Callable[[str, str], None]
    ) -> None:
        self.short_said = dialog.chosen_said()
        on_confirmed(dialog.line.sku, dialog.chosen_reason())

    def _on_short_dialog_closed(self) -> None:
        if self.short_dialog is not None:
            self.short_dialog.deleteLater()
        self.short_dialog = None
        self._back_to_step()

    def ask_share(
        self, refused: BinHoldsAnother, order_number: str, on_answer: Callable[[str, bool], None]
    ) -> None:
        """Ask to put ``order_number`` on the bin another order holds; ``on_answer`` hears
        the bin's code and True to share it."""
        self.share_dialog = ask_to_share_bin(
            self._parent,
            refused,
            order_number,
            lambda yes: self._on_share_answered(refused.bin_code, yes, on_answer),
        )

    def _on_share_answered(
        self, bin_code: str, share: bool, on_answer: Callable[[str, bool], None]
    ) -> None:
        if self.share_dialog is not None:
            self.share_dialog.deleteLater()
            self.share_dialog = None
        on_answer(bin_code, share)
        self._back_to_step()
