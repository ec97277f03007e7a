"""What the pack screen shows of an order: its lines as a table, and the words for the
order, the parcel being filled and the parcels closed."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from app.domain.shipping.weights import kg_text
from app.services.shipping.pack_results import PackLine, PackView
from app.ui.models import Column, RowsModel
from app.ui.screens.common import fit_rows, table_view


class PackLinesModel(RowsModel[PackLine]):
    """The order's lines: what is ordered, packed, in the parcel and left to pack."""

    columns = (
        Column[PackLine]("SKU", lambda r: r.sku),
        Column[PackLine]("Item", lambda r: r.name),
        Column[PackLine]("Ordered", lambda r: str(r.ordered), numeric=True),
        Column[PackLine]("Packed", lambda r: str(r.packed), numeric=True),
        Column[PackLine]("In parcel", lambda r: str(r.in_parcel), numeric=True),
        Column[PackLine]("To pack", lambda r: str(r.to_pack), numeric=True),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(key=lambda r: r.sku, parent=parent)


def heading_text(view: PackView) -> str:
    """ "WEB-240007 · picked · carrier DLV"."""
    state = view.state.replace("_", " ")
    return f"{view.order_number} · {state} · carrier {view.carrier or 'not chosen'}"


def parcel_text(view: PackView) -> str:
    """The parcel being filled: its units, the box suggested and what it should weigh."""
    number = sum(1 for p in view.parcels if not p.void) + 1
    if not view.parcel:
        box = f" · box {view.box} suggested for the rest" if view.box else ""
        return f"Parcel {number}: empty{box}"
    units = view.parcel_units
    what = ", ".join(f"{sku} ×{n}" for sku, n in view.parcel)
    return (
        f"Parcel {number}: {units} item{'s' if units != 1 else ''} ({what}) · box {view.box}"
        f" · should weigh {kg_text(view.expected_g)}"
    )


def parcels_text(view: PackView) -> str:
    """The parcels closed, by SSCC; a voided label says so."""
    if not view.parcels:
        return "No parcels closed yet."
    done, number = [], 0
    for p in view.parcels:
        number += 0 if p.void else 1
        name = "Void label" if p.void else f"Parcel {number}"
        done.append(f"{name}: SSCC {p.sscc}, {p.units} item{'s' if p.units != 1 else ''}")
    return " · ".join(done)


def count_scan(view: PackView, code: str) -> tuple[PackView, PackLine] | None:
    """``view`` with one more unit of the scanned item in the parcel, and its line, when a
    line of the order has the code (GTIN or SKU) and units left to pack; else None (the
    service refuses it, with the reason)."""
    wanted = code.strip().upper().lstrip("0")
    for line in view.lines:
        if line.to_pack > 0 and wanted in (line.sku.upper(), line.gtin.lstrip("0")):
            new = replace(line, in_parcel=line.in_parcel + 1, to_pack=line.to_pack - 1)
            lines = tuple(new if x is line else x for x in view.lines)
            return replace(view, lines=lines), new
    return None


def lines_table(model: PackLinesModel) -> QTableView:
    """The lines' table. Its columns are sized once per order (:func:`fit_columns`), not
    on every count: measuring every row on each scan costs more than a frame."""
    view = table_view(model, stretch_column=1)
    view.setAccessibleName("Lines of the order")
    for column in (0, 2, 3, 4, 5):
        view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    fit_rows(view, 4, least=2)
    return view


def fit_columns(view: QTableView) -> None:
    """Size the columns but the item name's to what they hold (a new order shown)."""
    for column in (0, 2, 3, 4, 5):
        view.resizeColumnToContents(column)


def paint_row(view: QTableView, row: int) -> None:
    """Bring ``row`` of ``view`` into sight and paint it now (its strip of the viewport
    only, when it was in sight already)."""
    index = view.model().index(row, 0)
    if not view.viewport().rect().contains(view.visualRect(index)):
        view.scrollTo(index)
        view.viewport().repaint()
        return
    strip = view.visualRect(index)
    strip.setLeft(0)
    strip.setRight(view.viewport().width())
    view.viewport().repaint(strip)
