"""The tables of the return screen: the orders a lookup found, and the open order's lines
with what can still come back."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.returns.sold import SoldOrder
from app.ui.models import Column, RowsModel
from app.ui.screens.returns.texts import LineRow, before_text, day_text, last_day_text


def _items(order: SoldOrder) -> str:
    names = ", ".join(x.name for x in order.lines[:2])
    more = len(order.lines) - 2
    return names + (f" and {more} more" if more > 0 else "")


class FoundOrdersModel(RowsModel[SoldOrder]):
    """The orders one lookup found, newest first: ↑↓ and Enter pick one."""

    columns = (
        Column[SoldOrder]("Order", lambda o: o.order_number),
        Column[SoldOrder]("Sold", lambda o: f"{day_text(o.sold_on)} · {o.channel}"),
        Column[SoldOrder]("Customer", lambda o: o.customer),
        Column[SoldOrder]("Items", _items, cell_tip=_items),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(key=lambda o: o.order_number, parent=parent)


class ReturnLinesModel(RowsModel[LineRow]):
    """The open order's lines: sold, returned before (where), left, taken in this return, and
    the last day it may come back (or FINAL SALE)."""

    columns = (
        Column[LineRow]("Item", lambda r: f"{r.line.name} ({r.line.sku})",
                        cell_tip=lambda r: f"{r.line.name} ({r.line.sku})"),
        Column[LineRow]("Sold", lambda r: str(r.line.quantity), numeric=True),
        Column[LineRow]("Before", lambda r: before_text(r.line)),
        Column[LineRow]("Left", lambda r: str(r.line.left - r.taken), numeric=True),
        Column[LineRow]("Taken", lambda r: str(r.taken or ""), numeric=True),
        Column[LineRow]("Last day", last_day_text),
    )  # fmt: skip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(key=lambda r: r.line.line_no, parent=parent)
