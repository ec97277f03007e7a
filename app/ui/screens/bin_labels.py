"""Hold-shelf bin labels, on the Printers screen: all of the store's bins or a chosen few,
printed as one job on the station's bin label printer, with a preview of the first label.

Scanner first: a scanned (or typed, then Enter) bin code chooses that bin; in the list the
arrows move and Space checks or clears a bin; F9 prints the chosen bins. Leads and
managers print; an associate sees the bins and the preview, and why printing is off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.domain.labels import BinLabel
from app.errors import KnownError, PrintFailed
from app.services.printing import CHOOSING_ROLES, PrintService
from app.services.printing_bins import BinLabelsPrinted, StoreBins
from app.services.results import StaffSession
from app.ui.models import sends_to
from app.ui.screens.bin_label_models import BinModel, bin_list_view
from app.ui.screens.bin_label_preview import FirstLabelPreview
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label, shortcut

PRINT_KEY = "F9"
LEADS_ONLY = "Only a lead or a manager can print hold-shelf bin labels."


class BinLabelsPanel(QWidget):
    """Choose hold-shelf bins, see the first label, print them in one job."""

    printed = Signal(object)  # BinLabelsPrinted

    def __init__(
        self,
        *,
        printing: PrintService,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._printing = printing
        self._runner = runner
        self._staff = staff
        self._store: StoreBins | None = None
        self._busy = False
        self._failed: tuple[str, ...] = ()  # the bins of the last failed print, for Retry

        self.heading = label("Hold-shelf bin labels", role="heading")
        self.info = label("Loading this store's bins…", role="muted", wrap=True)
        self.message = MessageLine()
        self.code_field = QLineEdit()
        self.code_field.setPlaceholderText("Scan or type a bin code, then Enter")
        self.code_field.setAccessibleName("Bin code to choose")
        self.bins = BinModel(self)
        self.bins_view = bin_list_view(self.bins)
        self.choose_all_button = button("Choose all")
        self.clear_button = button("Clear")
        self.first_label = FirstLabelPreview(
            printing=printing, runner=runner, on_error=self.message.show_error
        )
        self.preview_title = self.first_label.title
        self.preview = self.first_label.picture
        self.preview_details = self.first_label.details
        self.print_chosen_button = button(f"Print chosen ({PRINT_KEY})", primary=True)
        self.print_all_button = button("Print all")
        self.retry_button = button("Retry")
        self.retry_button.hide()
        self.leads_only = label(LEADS_ONLY, role="muted", wrap=True)
        self._build()

        self.code_field.returnPressed.connect(self._on_code_entered)
        self.bins.chosen_changed.connect(self._on_chosen_changed)
        self.choose_all_button.clicked.connect(lambda: self.bins.choose_all(True))
        self.clear_button.clicked.connect(lambda: self.bins.choose_all(False))
        self.print_chosen_button.clicked.connect(self.print_chosen)
        self.print_all_button.clicked.connect(self.print_all)
        self.retry_button.clicked.connect(self._on_retry)
        shortcut(self, PRINT_KEY, self.print_chosen)

    def _build(self) -> None:
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_all_button)
        choose_row.addWidget(self.clear_button)
        choose_row.addSpacing(8)
        choose_row.addWidget(label("Space checks a bin in the list", role="muted", wrap=True), 1)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.code_field)
        left.addWidget(self.bins_view, 1)
        left.addLayout(choose_row)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left)
        body.addWidget(self.first_label, 1)

        actions = QHBoxLayout()
        actions.setSpacing(10)
        for widget in (self.print_chosen_button, self.print_all_button, self.retry_button):
            actions.addWidget(widget)
        actions.addSpacing(12)
        actions.addWidget(self.leads_only, 3)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        layout.addLayout(actions)

    # -- what the Printers screen calls -----------------------------------------------

    def activate(self) -> None:
        """The bin labels were just shown: cursor in the bin code field, bins reloaded."""
        self.code_field.setFocus()
        self.refresh()

    def reset(self) -> None:
        """Forget the bins chosen, a failed print and what was said (at a log-out)."""
        self._busy = False
        self._failed = ()
        self._store = None
        self.first_label.drop_pending()
        self.code_field.clear()
        self.message.clear_message()
        self.bins.set_bins([])
        self.heading.setText("Hold-shelf bin labels")
        self.info.setText("Loading this store's bins…")
        self.retry_button.hide()
        self._update_actions()

    def refresh(self) -> None:
        """Load the store's bins and the bin label printer."""
        self._update_actions()
        self._runner.run_db(
            self._printing.bin_labels, on_done=self._on_loaded, on_error=self._on_load_failed
        )

    def choose_code(self, code: str) -> bool:
        """Choose the bin ``code`` (scanned or typed); False when it is not a bin here."""
        code = code.strip()
        if self._store is None:
            self.message.show_info("The bins are still loading. Scan the bin again.")
            return False
        row = self.bins.row_of(code)
        if row < 0:
            self.message.show_error(
                KnownError(
                    f"{code} is not a hold-shelf bin of {self._store.store_code}.",
                    next_step=f"Scan a bin label or type a bin code ({self._bins_range()}).",
                )
            )
            return False
        before = self.bins.chosen()
        self.bins.choose(row)
        index = self.bins.index(row)
        self.bins_view.setCurrentIndex(index)
        self.bins_view.scrollTo(index)
        chosen = self.bins.chosen()
        what = "was already chosen" if len(chosen) == len(before) else "chosen"
        them = "them" if len(chosen) > 1 else "it"
        then = f": press {PRINT_KEY} to print {them}" if self._may_print() else ""
        self.message.show_ok(
            f"{self.bins.bins()[row].bin_code} {what}. {_count(len(chosen))} chosen{then}."
        )
        self.code_field.clear()
        return True

    def print_chosen(self) -> None:
        """Print the chosen bins' labels (F9)."""
        if self._refused_printing():
            return
        chosen = [b.bin_code for b in self.bins.chosen()]
        if not chosen:
            self.message.show_error(
                KnownError(
                    "No bin is chosen.",
                    next_step="Scan or type a bin code, or check bins in the list with Space.",
                )
            )
            return
        self._print(chosen)

    def print_all(self) -> None:
        """Print every bin label of the store."""
        self._print([b.bin_code for b in self.bins.bins()])

    # -- slots --------------------------------------------------------------------------

    def _on_loaded(self, store: StoreBins) -> None:
        self._store = store
        self.bins.set_bins(store.labels)
        where = f"{store.store_code} {store.store_name}"
        self.heading.setText(f"{_count(len(store.labels))} on the hold shelf at {where}")
        profile = store.printer.profile
        if store.labels:
            self.info.setText(
                f"Bin labels print on {profile.name} ({profile.media}; "
                f"{sends_to(store.printer)}). To change it, use the Printer for each label tab."
            )
        else:
            self.info.setText(
                f"{store.store_code} has no hold-shelf bins yet. Head office sets them up; "
                "they arrive here with the next sync."
            )
        self._update_actions()
        self._request_preview()

    def _on_load_failed(self, error: KnownError) -> None:
        self.info.setText("The store's bins could not be loaded.")
        self.message.show_error(error)

    def _on_code_entered(self) -> None:
        if self.code_field.text().strip():
            self.choose_code(self.code_field.text())

    def _on_chosen_changed(self) -> None:
        self._update_actions()
        self._request_preview()

    def _request_preview(self, *, again: bool = False) -> None:
        profile = self._store.printer.profile.name if self._store else None
        self.first_label.show_first(self._first_label(), self._first_of(), profile, again=again)

    def _refused_printing(self) -> bool:
        """Say so before anything is sent when the staff logged in may not print."""
        if self._may_print():
            return False
        self.message.show_error(
            KnownError(LEADS_ONLY, next_step="Ask a lead to log in and print them.")
        )
        return True

    def _print(self, codes: Sequence[str]) -> None:
        staff = self._staff()
        if self._busy or staff is None or self._refused_printing():
            return
        profile = self._store.printer.profile.name if self._store else "the bin label printer"
        self._busy = True
        self._update_actions()
        self.message.show_info(f"Printing {_labels(len(codes))} on {profile}…")
        self._runner.run_net(
            self._printing.print_bin_labels,
            staff,
            tuple(codes),
            on_done=self._on_printed,
            on_error=lambda error: self._on_print_failed(tuple(codes), error),
        )

    def _on_printed(self, done: BinLabelsPrinted) -> None:
        self._busy = False
        self._failed = ()
        self.retry_button.hide()
        again = f" {_count(len(done.reprinted))} made before: recorded as reprints."
        if done.delivery.printed:
            self.message.show_ok(
                f"Printed {_labels(len(done.bins))} on {done.profile} ({done.where})."
                + (again if done.reprinted else "")
            )
        else:  # saved to a file, queued, or the printer did not confirm: said as it is
            self.message.show_warning(
                f"{_labels(len(done.bins)).capitalize()}: {done.said}"
                + (again if done.reprinted else "")
            )
        self._update_actions()
        self._request_preview(again=True)
        self.code_field.setFocus()
        self.printed.emit(done)

    def _on_print_failed(self, codes: tuple[str, ...], error: KnownError) -> None:
        """Retry is offered when the printer or its connection failed; another refusal
        (a bin no longer on the store's list, a role) says what to do instead."""
        self._busy = False
        self.message.show_error(error)
        can_retry = isinstance(error, PrintFailed)
        self._failed = codes if can_retry else ()
        self.retry_button.setText(f"Retry ({_labels(len(codes))})")
        self.retry_button.setVisible(can_retry)
        self._update_actions()
        if can_retry and self.retry_button.isEnabled():
            self.retry_button.setFocus()
        else:
            self.code_field.setFocus()
        if not can_retry:
            self.refresh()  # the store's bins may have changed since they were loaded

    def _on_retry(self) -> None:
        if self._failed:
            self._print(self._failed)

    # -- state --------------------------------------------------------------------------

    def _may_print(self) -> bool:
        staff = self._staff()
        return staff is not None and staff.role in CHOOSING_ROLES

    def _update_actions(self) -> None:
        may_print = self._may_print()
        chosen, every = len(self.bins.chosen()), self.bins.rowCount()
        ready = may_print and not self._busy
        self.print_chosen_button.setText(
            f"Print {chosen} chosen ({PRINT_KEY})" if chosen else f"Print chosen ({PRINT_KEY})"
        )
        self.print_all_button.setText(f"Print all {every}" if every else "Print all")
        self.print_chosen_button.setEnabled(ready and chosen > 0)
        self.print_all_button.setEnabled(ready and every > 0)
        self.retry_button.setEnabled(ready)
        self.choose_all_button.setEnabled(every > 0)
        self.clear_button.setEnabled(chosen > 0)
        self.leads_only.setVisible(not may_print)

    def _first_label(self) -> BinLabel | None:
        chosen = self.bins.chosen()
        if chosen:
            return chosen[0]
        every = self.bins.bins()
        return every[0] if every else None

    def _first_of(self) -> str:
        chosen = len(self.bins.chosen())
        return (
            f"the first of {chosen} chosen"
            if chosen
            else f"the first of all {self.bins.rowCount()}"
        )

    def _bins_range(self) -> str:
        every = self.bins.bins()
        if not every:
            return "none yet"
        return (
            every[0].bin_code if len(every) == 1 else f"{every[0].bin_code} … {every[-1].bin_code}"
        )


def _count(n: int) -> str:
    return "1 bin" if n == 1 else f"{n} bins"


def _labels(n: int) -> str:
    return "1 bin label" if n == 1 else f"{n} bin labels"
