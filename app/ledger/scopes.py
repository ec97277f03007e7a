"""Each sync scope as a query over the ledger's current rows, in protocol column order.

The same query builds snapshot pages, the data of change rows and the per-scope
checksums, so the three always agree on what a row of a scope looks like.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, case, cast, null, or_, select, text

from app.domain.clock import utcnow
from app.domain.fulfilment import FulfilmentState
from app.domain.stock import Bucket
from app.ledger.models import (
    FulfilmentOrder,
    GstRateRow,
    Item,
    LedgerException,
    Location,
    Order,
    RejectionReason,
    Return,
    ReturnLine,
    ShelfBin,
    Staff,
    StaffStore,
    StockBalance,
    TillReceipt,
    table_of,
)
from app.sync.protocol import CHECKSUM_AGGREGATES, SCOPE_COLUMNS, Scope, sold_since

# The fulfilment rows' ``lines`` and ``parcels`` live in tables of their own, and the
# shares of the order's discount and shipping are worked out: scope_rows gives NULL at
# these positions; fulfilment_lines.with_lines puts the lines in, parcel_rows.with_parcels
# the parcels and order_charges.with_charges the shares.
LINES_AT = SCOPE_COLUMNS[Scope.FULFILMENT].index("lines")
PARCELS_AT = SCOPE_COLUMNS[Scope.FULFILMENT].index("parcels")
DISCOUNT_AT = SCOPE_COLUMNS[Scope.FULFILMENT].index("discount_minor")
SHIPPING_AT = SCOPE_COLUMNS[Scope.FULFILMENT].index("shipping_minor")

# Scopes every device receives in full; the others are filtered by the device's location.
SHARED_SCOPES = frozenset({Scope.LOCATIONS, Scope.CATALOG, Scope.REASONS, Scope.GST_RATES})

_loc = table_of(Location).c
_item = table_of(Item).c
_staff = table_of(Staff).c
_staff_store = table_of(StaffStore).c
_bal = table_of(StockBalance).c
_fo = table_of(FulfilmentOrder).c
_exc = table_of(LedgerException).c
_why = table_of(RejectionReason).c
_bin = table_of(ShelfBin).c
_gst = table_of(GstRateRow).c
_returns, _return_lines = table_of(Return), table_of(ReturnLine)
_ret, _ret_line = _returns.c, _return_lines.c


_ord = table_of(Order).c
_till = table_of(TillReceipt).c

# An order is this location's sale once its units left here: a pickup collected, a parcel
# shipped or delivered (or all of it back since). A till sale is the store's when recorded.
LEFT_HERE = tuple(
    s.value
    for s in (
        FulfilmentState.COLLECTED,
        FulfilmentState.SHIPPED,
        FulfilmentState.DELIVERED,
        FulfilmentState.RETURNED,
    )
)
_RETURN_LINE_OWN = frozenset(
    {"id", "line_no", "sku", "quantity", "grade", "disposition", "refund_minor"}
)


def available_expr() -> ColumnElement[int]:
    raw = _bal.on_hand - _bal.reserved - _bal.safety_stock
    return case((_bal.count_due, 0), (raw > 0, raw), else_=0)


def id_column(scope: Scope) -> ColumnElement[int]:
    """The column a scope's rows are keyed and paged by."""
    return {
        Scope.LOCATIONS: _loc.id,
        Scope.CATALOG: _item.id,
        Scope.STAFF: _staff.id,
        Scope.STOCK: _bal.id,
        Scope.NETWORK_STOCK: _bal.id,
        Scope.FULFILMENT: _fo.id,
        Scope.EXCEPTIONS: _exc.id,
        Scope.REASONS: _why.id,
        Scope.SHELF_BINS: _bin.id,
        Scope.GST_RATES: _gst.id,
        Scope.RETURNS: _ret_line.id,
        Scope.SOLD_ORDERS: _ord.id,
    }[scope]


def _columns(scope: Scope) -> list[ColumnElement[Any]]:
    if scope is Scope.LOCATIONS:  # boxes: see location_boxes.with_boxes
        return [null().label(c) if c == "boxes" else _loc[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.CATALOG:
        returnable = case((_item.returnable, 1), else_=0).label("returnable")
        return [returnable if c == "returnable" else _item[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.STAFF:
        active = case((_staff.active, 1), else_=0).label("active")
        return [*(_staff[c] for c in SCOPE_COLUMNS[scope][:-1]), active]
    if scope is Scope.STOCK:
        # BIGINT so the checksum's sum(id * (on_hand + 7 * reserved)) cannot overflow on PG.
        return [
            cast(_bal.id, BigInteger).label("id"),
            _bal.item_id,
            _bal.bucket,
            cast(_bal.on_hand, BigInteger).label("on_hand"),
            cast(_bal.reserved, BigInteger).label("reserved"),
            _bal.safety_stock,
            case((_bal.count_due, 1), else_=0).label("count_due"),
        ]
    if scope is Scope.NETWORK_STOCK:
        return [_bal.id, _bal.location_id, _bal.item_id, available_expr().label("available")]
    if scope is Scope.FULFILMENT:
        code = select(_loc.code).where(_loc.id == _fo.location_id).scalar_subquery()
        named = {
            "location_code": code.label("location_code"),
            "lines": null().label("lines"),
            "parcels": null().label("parcels"),
            "discount_minor": null().label("discount_minor"),
            "shipping_minor": null().label("shipping_minor"),
        }
        return [named[c] if c in named else _fo[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.REASONS:
        active = case((_why.active, 1), else_=0).label("active")
        return [*(_why[c] for c in SCOPE_COLUMNS[scope][:-2]), active, _why.sort_order]
    if scope is Scope.SHELF_BINS:
        return [_bin[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.GST_RATES:
        return [_gst[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.RETURNS:  # the line's own columns, its return's beside them
        return [_ret_line[c] if c in _RETURN_LINE_OWN else _ret[c] for c in SCOPE_COLUMNS[scope]]
    if scope is Scope.SOLD_ORDERS:  # view: see app.ledger.returns.sold_rows.with_views
        named = {"sold_at": _ord.created_at.label("sold_at"), "view": null().label("view")}
        return [named[c] if c in named else _ord[c] for c in SCOPE_COLUMNS[scope]]
    return [_exc[c] for c in SCOPE_COLUMNS[scope]]


def scope_rows(scope: Scope, location_id: int | None, *, extended: bool = False) -> Select[Any]:
    """Rows of ``scope`` as seen by a device at ``location_id`` (None: every row).

    ``extended`` is accepted for old callers and changes nothing: the pickup columns are
    part of SCOPE_COLUMNS. Fulfilment ``lines`` come as NULL (see :data:`LINES_AT`).
    """
    stmt = select(*_columns(scope))
    if scope is Scope.RETURNS:
        stmt = stmt.select_from(_return_lines.join(_returns, _ret.id == _ret_line.return_id))
    if scope is Scope.SOLD_ORDERS:
        stmt = stmt.where(_ord.created_at >= sold_since(utcnow()))
    if scope is Scope.NETWORK_STOCK:
        stmt = stmt.where(_bal.bucket == Bucket.SELLABLE.value)
        if location_id is not None:
            stmt = stmt.where(_bal.location_id != location_id)
    elif location_id is None or scope in SHARED_SCOPES:
        pass
    elif scope is Scope.STAFF:  # only who may work here: home staff and those assigned
        assigned = select(_staff_store.staff_id).where(_staff_store.location_id == location_id)
        stmt = stmt.where(or_(_staff.home_location_id == location_id, _staff.id.in_(assigned)))
    elif scope is Scope.STOCK:
        stmt = stmt.where(_bal.location_id == location_id)
    elif scope is Scope.FULFILMENT:
        stmt = stmt.where(_fo.location_id == location_id)
    elif scope is Scope.SHELF_BINS:
        stmt = stmt.where(_bin.location_id == location_id)
    elif scope is Scope.RETURNS:
        stmt = stmt.where(_ret.location_id == location_id)
    elif scope is Scope.SOLD_ORDERS:
        stmt = stmt.where(_ord.id.in_(sold_at_location(location_id)))
    else:
        stmt = stmt.where(_exc.location_id == location_id)
    return stmt


def sold_at_location(location_id: int) -> Any:
    """Ids of the orders sold at ``location_id`` (its till sales) or whose units left from
    it (:data:`LEFT_HERE`), at any time: the caller keeps the window."""
    tills = select(_till.order_id).where(_till.location_id == location_id)
    left = select(_fo.order_id).where(_fo.location_id == location_id, _fo.state.in_(LEFT_HERE))
    return tills.union(left)


def checksum_query(scope: Scope, location_id: int) -> Select[Any]:
    """The protocol's aggregates over the device's rows of ``scope``."""
    rows = scope_rows(scope, location_id).subquery("t")
    return select(text(CHECKSUM_AGGREGATES[scope])).select_from(rows)


def row_data(row: Any, scope: Scope, *, extended: bool = False) -> dict[str, Any]:
    """A result row of :func:`scope_rows` as the change ``data`` dictionary."""
    return dict(zip(SCOPE_COLUMNS[scope], row, strict=True))
