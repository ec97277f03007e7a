"""Pull and snapshot: what a device reads, scoped to its location, as pre-serialised JSON.

Both run in one read transaction (a snapshot on SQLite, REPEATABLE READ on PostgreSQL),
so changes, cursor, checksums and ``as_of_seq`` describe one consistent state.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Select,
    Text,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.errors import BadInput
from app.ledger.db import is_sqlite, reader
from app.ledger.devices import DeviceRef
from app.ledger.fulfilment_lines import with_lines
from app.ledger.location_boxes import with_boxes
from app.ledger.models import ChangeLog, Device, table_of
from app.ledger.order_charges import with_charges
from app.ledger.parcel_rows import with_parcels
from app.ledger.returns.sold_rows import with_views
from app.ledger.scopes import (
    DISCOUNT_AT,
    LINES_AT,
    PARCELS_AT,
    SHARED_SCOPES,
    SHIPPING_AT,
    checksum_query,
    id_column,
    scope_rows,
)
from app.ledger.sequencer import safe_seq
from app.ledger.writes import json_default
from app.sync.protocol import Scope, checksum, scope_columns

# Big scopes without JSON or time columns: the database itself writes the page's JSON.
SQL_JSON_SCOPES = frozenset(
    {Scope.CATALOG, Scope.STOCK, Scope.NETWORK_STOCK, Scope.STAFF, Scope.SHELF_BINS}
)

# Scopes whose change rows go only to the location they name (staff: one per place).
LOCAL_SCOPES = (
    Scope.STAFF, Scope.STOCK, Scope.FULFILMENT, Scope.EXCEPTIONS, Scope.SHELF_BINS,
    Scope.RETURNS, Scope.SOLD_ORDERS,
)  # fmt: skip

MAX_PULL = 50_000
MAX_SNAPSHOT = 50_000

changes = table_of(ChangeLog)
devices = table_of(Device)


def _head_seq(conn: Connection) -> int:
    """The cursor to hand out: the head, less any seqs of writes still in flight."""
    return safe_seq(conn)


def _in_scope(location_id: int) -> Any:
    c = changes.c
    return or_(
        c.scope.in_(sorted(s.value for s in SHARED_SCOPES)),
        and_(
            c.scope.in_([s.value for s in LOCAL_SCOPES]),
            c.location_id == location_id,
        ),
        and_(c.scope == Scope.NETWORK_STOCK.value, c.location_id != location_id),
    )


def _later_changes(seq: int, device: DeviceRef) -> Select[Any]:
    """The device's changes committed above ``seq`` (on PostgreSQL, while a write below
    it is in flight): the rows then run ahead of the cursor, so checksums would differ."""
    return (
        select(changes.c.ledger_seq)
        .where(changes.c.ledger_seq > seq)
        .where(_in_scope(device.location_id))
    )


def checksums(conn: Connection, location_id: int) -> dict[str, str]:
    """Every scope's checksum over the device's current rows."""
    return {
        scope.value: checksum(tuple(conn.execute(checksum_query(scope, location_id)).one()))
        for scope in Scope
    }


def pull(engine: Engine, device: DeviceRef, cursor: int, limit: int) -> bytes:
    """The PullResponse JSON for ``device`` after ``cursor``."""
    if not 1 <= limit <= MAX_PULL:
        raise BadInput(f"limit must be 1 to {MAX_PULL}.")
    with reader(engine).begin() as conn:
        safe = _head_seq(conn)  # nothing above it: a write below it may still commit
        rows = conn.execute(
            select(changes.c.ledger_seq, changes.c.scope, changes.c.key, changes.c.data)
            .where(changes.c.ledger_seq > cursor, changes.c.ledger_seq <= safe)
            .where(_in_scope(device.location_id))
            .order_by(changes.c.ledger_seq)
            .limit(limit + 1)
        ).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        last_applied = conn.execute(
            select(devices.c.last_applied_seq).where(devices.c.device_id == device.device_id)
        ).scalar_one()
        sums: dict[str, str] = {}
        if has_more:
            next_cursor = int(rows[-1][0])
        else:
            # The safe head, even when the station's cursor is beyond it (a restored
            # ledger): a cursor going back tells the station to look again.
            next_cursor = safe
            if is_sqlite(conn) or not _has_row(conn, _later_changes(safe, device)):
                sums = checksums(conn, device.location_id)  # rows match the cursor
    parts = [
        f'{{"seq":{seq},"scope":"{scope}","key":{json.dumps(key)},"data":{data or "null"}}}'
        for seq, scope, key, data in rows
    ]
    return (
        '{"changes":['
        + ",".join(parts)
        + f'],"cursor":{next_cursor},"has_more":{json.dumps(has_more)},'
        + f'"last_applied_seq":{int(last_applied)},"checksums":{json.dumps(sums)}}}'
    ).encode()


def snapshot(
    engine: Engine, device: DeviceRef, scope: Scope, after: int, limit: int, extended: bool = False
) -> bytes:
    """One SnapshotPage JSON of ``scope`` for ``device``: rows with id > ``after``.

    ``extended`` is accepted for old clients and ignored (every column is sent).
    """
    if not 1 <= limit <= MAX_SNAPSHOT:
        raise BadInput(f"limit must be 1 to {MAX_SNAPSHOT}.")
    key = id_column(scope)
    # ``after`` bound as BIGINT: bound as the INTEGER id, PostgreSQL refuses one past 2**31.
    page = scope_rows(scope, device.location_id).where(key > literal(after, BigInteger))
    page = page.order_by(key)
    with reader(engine).begin() as conn:
        as_of = _head_seq(conn)
        if scope in SQL_JSON_SCOPES:
            body, last_id = _rows_as_json(conn, page.limit(limit), limit)
            more = last_id is not None and _has_row(conn, page.where(key > last_id))
        else:
            rows: Sequence[Sequence[Any]] = conn.execute(page.limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            if scope is Scope.FULFILMENT:  # lines, parcels and charges: their own tables
                rows = with_parcels(conn, with_lines(conn, rows, LINES_AT), PARCELS_AT)
                rows = with_charges(conn, rows, DISCOUNT_AT, SHIPPING_AT)
            elif scope is Scope.LOCATIONS:  # boxes from box_types
                rows = with_boxes(conn, rows)
            elif scope is Scope.SOLD_ORDERS:  # each order as the returns lookup reads it
                rows = with_views(conn, rows)
            body = json.dumps([tuple(r) for r in rows], separators=(",", ":"), default=json_default)
            last_id = int(rows[-1][0]) if rows else None
    next_after = last_id if more else None
    columns = json.dumps(list(scope_columns(scope)))
    return (
        f'{{"scope":"{scope.value}","columns":{columns},"rows":{body},'
        f'"next_after":{json.dumps(next_after)},"as_of_seq":{as_of}}}'
    ).encode()


def empty_snapshot(engine: Engine, scope_name: str) -> bytes:
    """The one, empty, SnapshotPage of a scope this ledger does not know (a newer
    station asked for it): the station stores nothing and goes on."""
    with reader(engine).begin() as conn:
        as_of = _head_seq(conn)
    page: dict[str, object] = {
        "scope": scope_name,
        "columns": [],
        "rows": [],
        "next_after": None,
        "as_of_seq": as_of,
    }
    return json.dumps(page, separators=(",", ":")).encode()


def _rows_as_json(conn: Connection, page: Select[Any], limit: int) -> tuple[str, int | None]:
    """The page's rows as one JSON array text built by the database, and the last id."""
    sub = page.subquery("page")
    cols = list(sub.c)
    if is_sqlite(conn):
        rows_json: Any = func.json_group_array(func.json_array(*cols))
    else:
        ordered = aggregate_order_by(func.json_build_array(*cols), cols[0])
        rows_json = func.coalesce(cast(func.json_agg(ordered), Text), "[]")
    count, last_id, body = conn.execute(
        select(func.count(), func.max(cols[0]), rows_json).select_from(sub)
    ).one()
    return str(body), (int(last_id) if count else None)


def _has_row(conn: Connection, stmt: Select[Any]) -> bool:
    return conn.execute(stmt.limit(1)).first() is not None
