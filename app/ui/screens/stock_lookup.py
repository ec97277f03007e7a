"""Stock lookup: scan or type a GTIN, SKU or name; see stock here and nearby; count it.

Keyboard only: type or scan into the search field and press Enter; arrows pick a result;
F9 counts the item shown; in the count dialog Enter saves. F8 opens the item's shelf label
in the label preview (print, reprint, save as PDF) when the station can print; Shift+F8
prints every shelf label whose price changed in a sync (``shelf_reprints``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.domain.gs1 import item_code
from app.domain.labels import LabelKind, ShelfLabel
from app.domain.stock import Bucket
from app.errors import KnownError
from app.services.printing import PrintService
from app.services.results import CountCheck, CountRecorded, ItemStock, ItemSummary, StaffSession
from app.ui.label_preview import LabelPreviewDialog, open_label_preview
from app.ui.models import BUCKET_NAMES, BucketStockModel, ItemSummaryModel, NearbyStockModel
from app.ui.ports import Stock
from app.ui.scanner import ScanFeedback
from app.ui.screens.common import fit_rows, table_view
from app.ui.screens.count_dialog import CountDialog
from app.ui.screens.shelf_reprints import ShelfReprintsBar
from app.ui.tasks import TaskRunner
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine, button, label, panel, title_row

COUNT_KEY = "F9"
SHELF_LABEL_KEY = "F8"
ROWS_VISIBLE_PX = 4 * MIN_TOUCH_PX + 48  # header and four results


COUNT_DUE_NOTE = (
    f"Not found at a pick: nothing of it is promised from here until it is counted "
    f"({COUNT_KEY} counts it)."
)


class StockLookupScreen(QWidget):
    """Find an item and its stock by bucket here and at nearby locations."""

    title = "Stock lookup"
    changed_locally = Signal()  # an operation was committed to this station's outbox

    def __init__(
        self,
        *,
        stock: Stock,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        printing: PrintService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._stock = stock
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self._printing = printing
        self._query_no = 0
        self._shown: ItemStock | None = None
        self.count_dialog: CountDialog | None = None
        self.label_dialog: LabelPreviewDialog | None = None

        self.search = QLineEdit()
        self.search.setProperty("role", "search")
        self.search.setPlaceholderText("Scan or type a GTIN, SKU or item name, then press Enter")
        self.search.setAccessibleName("Search items")
        self.search.setClearButtonEnabled(True)
        self.find_button = button("Find")
        self.message = MessageLine()

        self.results = ItemSummaryModel(self)
        self.results_view = table_view(self.results, stretch_column=0)
        self.buckets = BucketStockModel(self)
        self.buckets_view = table_view(self.buckets, stretch_column=0)
        self.nearby = NearbyStockModel(self)
        self.nearby_view = table_view(self.nearby, stretch_column=0)
        self.item_title = label("No item chosen yet", role="title", wrap=True)
        self.item_meta = label(
            "Scan an item, or search by GTIN, SKU or name.", role="muted", wrap=True
        )
        self.count_button = button(f"Count stock ({COUNT_KEY})", primary=True)
        self.count_button.setEnabled(False)
        self.shelf_label_button = button(f"Shelf label ({SHELF_LABEL_KEY})")
        self.shelf_label_button.setEnabled(False)
        self.shelf_label_button.setVisible(printing is not None)
        self.reprints = (  # shelf labels to reprint after price changes (Shift+F8)
            ShelfReprintsBar(
                printing=printing, runner=runner, staff=staff, message=self.message, parent=self
            )
            if printing is not None
            else None
        )

        self._build()
        self.search.returnPressed.connect(self._on_search)
        self.find_button.clicked.connect(self._on_search)
        self.results_view.selectionModel().selectionChanged.connect(self._on_result_chosen)
        self.count_button.clicked.connect(self._on_count)
        shortcut = QShortcut(QKeySequence(COUNT_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._on_count)
        if printing is not None:
            self.shelf_label_button.clicked.connect(self._on_shelf_label)
            labels = QShortcut(QKeySequence(SHELF_LABEL_KEY), self)
            labels.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            labels.activated.connect(self._on_shelf_label)

    def _build(self) -> None:
        self.results_view.setMaximumHeight(ROWS_VISIBLE_PX)
        # never squeezed to a sliver of a row under a banner and the reprints bar
        self.results_view.setMinimumHeight(ROWS_VISIBLE_PX - 2 * MIN_TOUCH_PX)
        fit_rows(self.buckets_view, 1)

        here = QVBoxLayout()
        here.addWidget(label("Stock here", role="heading"))
        here.addWidget(self.buckets_view)
        here.addStretch(1)
        nearby = QVBoxLayout()
        nearby.addWidget(label("Nearby locations", role="heading"))
        nearby.addWidget(self.nearby_view, 1)
        tables = QHBoxLayout()
        tables.setSpacing(20)
        tables.addLayout(here, 5)  # five columns, four of them numbers
        tables.addLayout(nearby, 3)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.item_title)
        titles.addWidget(self.item_meta)
        head.addLayout(titles, 1)
        head.addWidget(self.shelf_label_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.count_button, 0, Qt.AlignmentFlag.AlignTop)

        detail = panel()
        inside = QVBoxLayout(detail)
        inside.setContentsMargins(20, 14, 20, 14)
        inside.setSpacing(8)
        inside.addLayout(head)
        inside.addLayout(tables, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row(self.title, self.search, self.find_button))
        layout.addWidget(self.message)
        if self.reprints is not None:
            layout.addWidget(self.reprints)
        layout.addWidget(self.results_view, 2)
        layout.addWidget(detail, 3)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
        if self.reprints is not None:
            self.reprints.refresh()

    def on_scan(self, scan: str) -> None:
        code = item_code(scan)  # a GS1 scan (GTIN, batch, expiry …) looks up its GTIN
        self.search.setText(code)
        self._look_up(code, scanned=True)

    def reset(self) -> None:
        """Forget the search, its results and the item shown (at a log-out)."""
        self._query_no += 1  # a search still on its way is not shown
        self.search.clear()
        self.message.clear_message()
        self.results.set_rows([])
        self._show_item(None)
        fit_rows(self.buckets_view, 1)
        if self.reprints is not None:
            self.reprints.reset()

    def on_station_status(self, _status: object) -> None:
        """A sync landed: the item shown is read again (what was pending is confirmed), and
        the shelf labels to reprint are counted again (a pulled price change adds one)."""
        if self.reprints is not None:
            self.reprints.refresh()
        if self._shown is not None:
            self._load_item(self._shown.item.item_id)

    def open_reference(self, sku: str) -> None:
        """Look an item up as if its SKU were typed (from another screen)."""
        self.search.setText(sku)
        self._look_up(sku, scanned=False)

    def shown_item(self) -> ItemStock | None:
        """The item whose stock is on screen."""
        return self._shown

    # -- slots ---------------------------------------------------------------------

    def _on_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.message.show_error("Type a GTIN, SKU or part of a name first.")
            return
        self._look_up(query, scanned=False)

    def _look_up(self, query: str, *, scanned: bool) -> None:
        self._query_no += 1
        number = self._query_no
        self._runner.run_db(
            self._stock.lookup,
            query,
            on_done=lambda found: self._on_found(number, query, found, scanned),
            on_error=lambda error: self._on_lookup_failed(number, error, scanned),
        )

    def _on_found(self, number: int, query: str, found: list[ItemSummary], scanned: bool) -> None:
        if number != self._query_no:
            return  # an older search answered after a newer one was typed
        self.results.set_rows(found)
        if not found:
            self._show_item(None)
            self._scan_feedback(scanned, ok=False)
            self.message.show_error(
                KnownError(
                    f"Nothing found for “{query}”.",
                    next_step="Check the number, or search by part of the item name.",
                )
            )
            self.search.setFocus()
            self.search.selectAll()
            return
        self._scan_feedback(scanned, ok=True)
        self.message.clear_message()
        self.results_view.selectRow(0)
        if len(found) > 1:
            self.message.show_info(f"{len(found)} items match. Use ↑ ↓ to choose one.")
            self.results_view.setFocus()

    def _on_lookup_failed(self, number: int, error: KnownError, scanned: bool) -> None:
        if number == self._query_no:
            self._scan_feedback(scanned, ok=False)
            self.message.show_error(error)

    def _on_result_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self._load_item(self.results.row_at(rows[0].row()).item_id)

    def _load_item(self, item_id: int) -> None:
        self._runner.run_db(
            self._stock.item_stock,
            item_id,
            on_done=self._show_item,
            on_error=self.message.show_error,
        )

    def _show_item(self, stock: ItemStock | None) -> None:
        self._shown = stock
        self.count_button.setEnabled(stock is not None)
        self.shelf_label_button.setEnabled(stock is not None)
        if stock is None:
            self.item_title.setText("No item chosen yet")
            self.item_meta.setText("Scan an item, or search by GTIN, SKU or name.")
            self.buckets.set_rows([])
            self.nearby.set_rows([])
            return
        item = stock.item
        self.results.replace_row(item)
        self.item_title.setText(item.name)
        meta = f"SKU {item.sku}  ·  GTIN {item.gtin}  ·  {stock.category}  ·  {item.price}"
        if item.count_due:
            meta += f"\n{COUNT_DUE_NOTE}"
        self.item_meta.setText(meta)
        self.buckets.set_rows(stock.buckets)
        fit_rows(self.buckets_view, len(stock.buckets))
        self.nearby.set_rows(stock.nearby)

    def _on_count(self) -> None:
        if self._shown is None:
            self.message.show_error("Choose an item first: scan it or search for it.")
            return
        if self.count_dialog is not None:
            return
        dialog = CountDialog(self._shown, self)
        dialog.count_entered.connect(self._on_count_entered)
        dialog.finished.connect(self._on_count_dialog_closed)
        self.count_dialog = dialog
        self._show_stock_figures(False)
        dialog.open()

    def _on_count_dialog_closed(self) -> None:
        if self.count_dialog is not None:
            self.count_dialog.deleteLater()
        self.count_dialog = None
        self._show_stock_figures(True)
        self.window().activateWindow()  # some platforms leave no window active after a dialog
        self.search.setFocus()

    def _show_stock_figures(self, shown: bool) -> None:
        """A blind count: while the count dialog is open, no table behind it shows the book
        (results' "Available here", stock here, nearby)."""
        for view in (self.results_view, self.buckets_view, self.nearby_view):
            view.setVisible(shown)

    def _on_count_entered(
        self, observed: int, bucket: Bucket, first_count: int | None, reason: str
    ) -> None:
        """Save pressed in the count dialog: one count call; it records the count or says
        what the blind count wants next (a recount, a reason)."""
        staff = self._staff()
        dialog = self.count_dialog
        if staff is None or self._shown is None or dialog is None:
            return
        count = partial(self._stock.count, first_count=first_count, reason=reason)
        self._runner.run_db(
            count,
            staff,
            self._shown.item.sku,
            observed,
            bucket,
            on_done=self._on_count_answered,
            on_error=self._on_count_failed,
        )

    def _on_count_answered(self, answer: CountRecorded | CountCheck) -> None:
        dialog = self.count_dialog
        if isinstance(answer, CountCheck):
            if dialog is not None:
                dialog.ask(answer)
            return
        if dialog is not None:
            dialog.done_recording()
        self._on_counted(answer)

    def _on_count_failed(self, error: KnownError) -> None:
        if self.count_dialog is not None:
            self.count_dialog.failed(error)
        else:
            self.message.show_error(error)

    def _on_counted(self, recorded: CountRecorded) -> None:
        bucket = BUCKET_NAMES.get(recorded.bucket, str(recorded.bucket)).lower()
        if recorded.difference == 0:
            change = "the same as the book"
        else:
            change = f"{abs(recorded.difference)} {'more' if recorded.difference > 0 else 'fewer'}"
            change += " than the book"
        why = f"; reason: {recorded.reason}" if recorded.reason else ""
        self.message.show_ok(
            f"Count saved on this station: {recorded.observed} {bucket} ({change}{why}). "
            "It will reach the ledger with the next sync, even if the network is down now."
        )
        self.changed_locally.emit()
        if self._shown is not None:
            self._load_item(self._shown.item.item_id)

    def _on_shelf_label(self) -> None:
        if self._printing is None or self.label_dialog is not None:
            return
        if self._shown is None:
            self.message.show_error("Choose an item first: scan it or search for it.")
            return
        self._runner.run_db(
            self._printing.shelf_label,
            self._shown.item.item_id,
            on_done=self._open_label_preview,
            on_error=self.message.show_error,
        )

    def _open_label_preview(self, data: ShelfLabel) -> None:
        if self._printing is None or self.label_dialog is not None:
            return
        staff = self._staff()
        self.label_dialog = open_label_preview(
            self,
            service=self._printing,
            runner=self._runner,
            kind=LabelKind.SHELF,
            data=data,
            staff_code=staff.code if staff is not None else None,
            on_closed=self._on_label_dialog_closed,
        )

    def _on_label_dialog_closed(self) -> None:
        self.label_dialog = None
        self.search.setFocus()

    def _scan_feedback(self, scanned: bool, *, ok: bool) -> None:
        if scanned and self._feedback is not None:
            if ok:
                self._feedback.scan_ok()
            else:
                self._feedback.scan_failed()
