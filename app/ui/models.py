"""Qt table models over the rows the services return (frozen dataclasses).

Each model is a ``RowsModel`` with its columns declared once: header, how to show a
row, alignment. ``ROW_ROLE`` hands a view the row itself; ``KEY_ROLE`` a stable key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.stock import Bucket
from app.services.printing import KindPrinter
from app.services.results import BucketStock, ExceptionRow, ItemSummary, NearbyStock
from app.ui.statusbar import age

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

BUCKET_NAMES = {
    Bucket.SELLABLE: "Sellable",
    Bucket.QUARANTINE: "Quarantine",
    Bucket.DAMAGED: "Damaged",
    Bucket.OPEN_BOX: "Open box",
    Bucket.RTV: "Return to vendor",
    Bucket.IN_TRANSIT: "In transit",
}


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    numeric: bool = False
    tip: str = ""  # the header's tooltip
    cell_tip: Callable[[T], str] | None = None  # each cell's tooltip (what a cut text says)


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table of rows; ``set_rows`` replaces them all."""

    columns: Sequence[Column[T]] = ()

    def __init__(self, key: Callable[[T], object], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._key = key

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, row: T) -> None:
        """Show a fresh copy of a row already listed (same key); others stay as they are."""
        key = self._key(row)
        for i, old in enumerate(self._rows):
            if self._key(old) == key:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((_RIGHT if column.numeric else _LEFT).value)
        if role == Qt.ItemDataRole.ToolTipRole and column.cell_tip is not None:
            return column.cell_tip(row)
        if role == ROW_ROLE:
            return row
        if role == KEY_ROLE:
            return str(self._key(row))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((_RIGHT if self.columns[section].numeric else _LEFT).value)
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
            return self.columns[section].tip
        return None


def signed(n: int) -> str:
    """A change as the shop reads it: +3, −2, or nothing for no change."""
    if n == 0:
        return ""
    return f"+{n}" if n > 0 else f"−{-n}"


def distance(km: float) -> str:
    """Kilometres, whole (one decimal below 10 km), or a dash when unknown; the header
    says "km"."""
    if not math.isfinite(km):
        return "—"
    return f"{km:.1f}" if km < 10 else f"{km:,.0f}"


def local_time(at: datetime) -> str:
    """A UTC time shown in the station's local time."""
    return at.astimezone().strftime("%d %b %H:%M")


class ItemSummaryModel(RowsModel[ItemSummary]):
    """Lookup results."""

    columns = (
        Column[ItemSummary]("Name", lambda r: r.name),
        Column[ItemSummary]("SKU", lambda r: r.sku),
        Column[ItemSummary]("GTIN", lambda r: r.gtin),
        Column[ItemSummary]("Price", lambda r: r.price, numeric=True),
        Column[ItemSummary]("Available here", lambda r: str(r.sellable_available), numeric=True),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.item_id, parent)


class BucketStockModel(RowsModel[BucketStock]):
    """Stock of one item here, per bucket, with what is not yet confirmed."""

    columns = (
        Column[BucketStock]("Bucket", lambda r: BUCKET_NAMES.get(r.bucket, str(r.bucket))),
        Column[BucketStock]("On hand", lambda r: str(r.on_hand), numeric=True),
        Column[BucketStock]("Reserved", lambda r: str(r.reserved), numeric=True),
        Column[BucketStock]("Available", lambda r: str(r.available), numeric=True),
        Column[BucketStock](
            "Pending",
            lambda r: signed(r.pending_change),
            numeric=True,
            tip="Change made at this station that the ledger has not confirmed yet",
        ),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.bucket, parent)


class NearbyStockModel(RowsModel[NearbyStock]):
    """What nearby locations can promise of one item."""

    columns = (
        Column[NearbyStock](  # at 1024 px the column has room for a code, not a name
            "Where",
            lambda r: r.location_code,
            tip="Nearby store or warehouse",
            cell_tip=lambda r: ", ".join(p for p in (r.location_name, r.city) if p),
        ),
        Column[NearbyStock](
            "km", lambda r: distance(r.distance_km), numeric=True, tip="Distance from here"
        ),
        Column[NearbyStock]("Available", lambda r: str(r.available), numeric=True),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.location_code, parent)


class ExceptionModel(RowsModel[ExceptionRow]):
    """Open exceptions, one row per cause: what, about which order or item, for how long."""

    columns = (
        Column[ExceptionRow]("Exception", lambda r: r.title),
        Column[ExceptionRow]("Order / item", lambda r: r.order_number or r.sku or r.about),
        Column[ExceptionRow](
            "Open for", lambda r: age(r.age_s), numeric=True, tip="How long it has been open"
        ),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.key, parent)


def sends_to(printer: KindPrinter) -> str:
    """Where a profile sends labels, as a person reads it."""
    profile = printer.profile
    where = {"file": "File", "tcp": "Network", "cups": "Print queue", "system": "System printer"}
    name = where.get(str(profile.transport), str(profile.transport))
    if profile.target:
        return f"{name}: {profile.target}"
    return {"file": "File: the station's printed folder", "system": "System printer: default"}.get(
        str(profile.transport), name
    )


def label_kind_text(kind: str) -> str:
    """A label kind in words: "packing-slip" → "Packing slip"."""
    return kind.replace("-", " ").capitalize()


class PrinterModel(RowsModel[KindPrinter]):
    """Each kind of label and the printer profile that prints it."""

    columns = (
        Column[KindPrinter]("Label", lambda r: label_kind_text(str(r.kind))),
        Column[KindPrinter]("Printer profile", lambda r: r.profile.name),
        Column[KindPrinter]("Media", lambda r: r.profile.media),
        Column[KindPrinter]("Resolution", lambda r: f"{r.profile.dpi} dpi", numeric=True),
        Column[KindPrinter]("Language", lambda r: str(r.profile.language).upper()),
        Column[KindPrinter]("Sends to", sends_to),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: str(r.kind), parent)
