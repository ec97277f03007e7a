"""Reading pickup orders from the cache: base rows, this store's rules, unconfirmed ops.

The station's view of a pickup order is its confirmed base row (``fulfilment_orders``,
as the ledger last sent it) plus the pickup operations made here that the base does not
hold yet: pending ones, and applied ones whose change has not been pulled back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from app.domain.pickup_codes import normalise_phone
from app.storage.types import from_text

_COLUMNS = (
    "id", "order_number", "channel", "method", "state", "customer_name", "customer_phone",
    "lines", "created_at", "updated_at", "location_code", "bin", "pickup_by",
    "pickup_code_hash", "pickup_code_salt", "pickup_log",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM fulfilment_orders WHERE method = 'pickup'"


def _select_by(index: str) -> str:
    """``_SELECT`` read through ``index`` (fails loudly when the index cannot serve it)."""
    return _SELECT.replace("FROM fulfilment_orders", f"FROM fulfilment_orders INDEXED BY {index}")


CLOSED_STATES = ("collected", "cancelled", "rerouted", "short")


@dataclass(frozen=True)
class StoreRules:
    """What the pickup steps need to know about this station's store."""

    code: str
    name: str
    hold_days: int
    bins: tuple[str, ...]


@dataclass(frozen=True)
class UnconfirmedOp:
    """A pickup operation made here whose effect the pulled base does not hold yet."""

    op_id: str
    fulfilment_id: int
    type: str
    payload: dict[str, Any]
    actor: str
    device_time: str


def store_rules(conn: sqlite3.Connection) -> StoreRules | None:
    """This station's store (None when not enrolled)."""
    row = conn.execute(
        "SELECT d.location_code, coalesce(l.name, d.location_name), l.pickup_hold_days, l.bins "
        "FROM device AS d LEFT JOIN locations AS l ON l.code = d.location_code WHERE d.id = 1"
    ).fetchone()
    if row is None:
        return None
    code, name, hold_days, bins = row
    return StoreRules(
        code=code,
        name=name,
        hold_days=5 if hold_days is None else int(hold_days),
        bins=tuple(json.loads(bins)) if bins else (),
    )


def sync_cursor(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT cursor FROM sync_state WHERE id = 1").fetchone()[0])


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor]


def by_id(conn: sqlite3.Connection, fulfilment_id: int) -> dict[str, Any] | None:
    rows = _dicts(conn.execute(f"{_SELECT} AND id = ?", (fulfilment_id,)))
    return rows[0] if rows else None


def by_order_number(conn: sqlite3.Connection, numbers: Iterable[str]) -> list[dict[str, Any]]:
    """Pickup orders with one of ``numbers`` (exact, indexed)."""
    wanted = sorted(set(numbers))
    marks = ", ".join("?" for _ in wanted)
    return _dicts(conn.execute(f"{_SELECT} AND order_number IN ({marks}) ORDER BY id", wanted))


def by_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> list[dict[str, Any]]:
    wanted = sorted(set(ids))
    out: list[dict[str, Any]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        out += _dicts(conn.execute(f"{_SELECT} AND id IN ({marks})", chunk))
    return out


def on_bin(conn: sqlite3.Connection, bin_code: str) -> list[dict[str, Any]]:
    """Pickup orders whose base row puts them on ``bin_code`` (closed ones too: a
    cancelled order's units stay on its bin until they are put back)."""
    return _dicts(conn.execute(f"{_SELECT} AND upper(bin) = ? ORDER BY id", (bin_code.upper(),)))


def staged_here_to(conn: sqlite3.Connection, cursor: int, bin_code: str) -> list[int]:
    """Orders that pickup ops made here and not yet pulled back stage to ``bin_code``."""
    code = bin_code.upper()
    return sorted(
        {
            op.fulfilment_id
            for op in unconfirmed_ops(conn, cursor)
            if op.type == "pickup.stage" and str(op.payload.get("bin", "")).upper() == code
        }
    )


def open_codes(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, salt, hash) of open pickup orders with a pickup code, for a code search."""
    marks = ", ".join("?" for _ in CLOSED_STATES)
    return [
        (int(i), str(salt), str(code_hash))
        for i, salt, code_hash in conn.execute(
            "SELECT id, pickup_code_salt, pickup_code_hash FROM fulfilment_orders "
            f"WHERE method = 'pickup' AND state NOT IN ({marks}) "
            "AND coalesce(pickup_code_hash, '') != ''",
            CLOSED_STATES,
        )
    ]


def customers(
    conn: sqlite3.Connection, *, phone_digits: str = "", name_words: Iterable[str] = ()
) -> list[tuple[int, str, str]]:
    """(id, customer name, phone) of pickup orders here, newest first, narrowed in SQL to
    phones holding ``phone_digits`` and names holding each of ``name_words`` (ASCII case
    folded); the caller applies the exact rule to what comes back. This reads every
    pickup order: a whole phone number goes to :func:`customers_by_phone`."""
    where, params = ["method = 'pickup'"], []
    if phone_digits:
        bare = "coalesce(customer_phone, '')"
        for ch in (" ", "-", "+", "(", ")", "."):
            bare = f"replace({bare}, '{ch}', '')"
        where.append(f"{bare} LIKE ?")
        params.append(f"%{phone_digits}%")
    for word in name_words:
        where.append("customer_name LIKE ?")
        params.append(f"%{word}%")
    return [
        (int(i), str(name or ""), str(phone or ""))
        for i, name, phone in conn.execute(
            "SELECT id, customer_name, customer_phone FROM fulfilment_orders "
            f"WHERE {' AND '.join(where)} ORDER BY id DESC",
            params,
        )
    ]


# The phone index of migration step 7: ``phone_key`` is the customer phone as the
# counter's forgiving match reads it (``normalise_phone``: digits, without +91 or 0).
PHONE_KEY_DIGITS = 10
_LONG_PHONE = f"length(phone_key) > {PHONE_KEY_DIGITS}"  # the WHERE of ix_pickup_phone_long


def customers_by_phone(conn: sqlite3.Connection, digits: str) -> list[tuple[int, str, str]]:
    """Like :func:`customers` for a whole phone number (``PHONE_KEY_DIGITS`` normalised
    digits), off the phone indexes: orders whose phone key is ``digits``, and those with
    a longer phone (a foreign number) holding them, the only others it can match."""
    columns = "SELECT id, customer_name, customer_phone FROM fulfilment_orders"
    sql = (
        f"{columns} INDEXED BY ix_pickup_phone WHERE phone_key = ? AND method = 'pickup' "
        f"UNION ALL {columns} INDEXED BY ix_pickup_phone_long WHERE {_LONG_PHONE} "
        "AND instr(phone_key, ?) AND method = 'pickup' ORDER BY 1 DESC"
    )
    return [
        (int(i), str(name or ""), str(phone or ""))
        for i, name, phone in conn.execute(sql, (digits, digits))
    ]


def phone_key(phone: str | None) -> str | None:
    """The phone index's key of a customer phone (None when it has no digits)."""
    return normalise_phone(phone or "") or None


def add_phone_key_function(conn: sqlite3.Connection) -> None:
    """Let SQL on ``conn`` call ``phone_key(customer_phone)`` (migration step 7 does)."""
    conn.create_function("phone_key", 1, phone_key, deterministic=True)


def store_phone_keys(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> None:
    """Fill ``phone_key`` of the fulfilment rows ``ids`` (every row when None) from their
    customer phone; run after fulfilment rows are written into the cache."""
    add_phone_key_function(conn)
    fill = "UPDATE fulfilment_orders SET phone_key = phone_key(customer_phone)"
    if ids is None:
        conn.execute(fill)
        return
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        conn.execute(f"{fill} WHERE id IN ({', '.join('?' for _ in chunk)})", chunk)


# The pickup queue: counts per state and one page per state, each off an index of
# migration step 6, named (a cache without ANALYZE statistics may otherwise pick a
# shorter index and sort every order of a state).
DUE = "coalesce(pickup_by, created_at)"  # promised: the hold's end once ready, else placed
_RESTOCK_CANDIDATE = (
    "(lines GLOB '*\"cancelled\":[1-9]*' OR lines GLOB '*\"cancelled\": [1-9]*' "
    "OR lines GLOB '*\"short\":[1-9]*' OR lines GLOB '*\"short\": [1-9]*')"
)
_IN_HAND = (
    "EXISTS (SELECT 1 FROM json_each(lines) WHERE "
    "coalesce(json_extract(value, '$.picked'), 0) > "
    "coalesce(json_extract(value, '$.collected'), 0) "
    "+ coalesce(json_extract(value, '$.restocked'), 0))"
)


def count_by_state(conn: sqlite3.Connection) -> dict[str, int]:
    """How many pickup orders are in each state (base rows, from the queue index)."""
    sql = "SELECT state, count(*) FROM fulfilment_orders WHERE method = 'pickup' GROUP BY state"
    return {str(state): int(n) for state, n in conn.execute(sql)}


def oldest_in_state(
    conn: sqlite3.Connection, state: str, limit: int, skip: Collection[int] = ()
) -> list[dict[str, Any]]:
    """The ``limit`` pickup orders in ``state`` promised longest ago, oldest first
    (rows whose id is in ``skip`` are left out)."""
    rows = _dicts(
        conn.execute(
            f"{_select_by('ix_pickup_queue')} AND state = ? ORDER BY {DUE}, id LIMIT ?",
            (state, limit + len(skip)),
        )
    )
    return [r for r in rows if r["id"] not in skip][:limit]


def latest_in_state(
    conn: sqlite3.Connection, state: str, limit: int, skip: Collection[int] = ()
) -> list[dict[str, Any]]:
    """The ``limit`` pickup orders in ``state`` changed last, latest first (for closed
    states, where the oldest are of no use at the counter)."""
    rows = _dicts(
        conn.execute(
            f"{_select_by('ix_pickup_recent')} AND state = ? "
            "ORDER BY updated_at DESC, id DESC LIMIT ?",
            (state, limit + len(skip)),
        )
    )
    return [r for r in rows if r["id"] not in skip][:limit]


def restock_candidates(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Pickup orders that may have units to put back on the shelf: a line with units
    cancelled or short and units still in hand (the caller applies the exact rule).

    Units go back only when fewer are owed than were picked, which takes a cancelled
    or short unit (picks never exceed what is ordered), so only those orders are read.
    """
    sql = (
        f"{_select_by('ix_pickup_restock')} AND {_RESTOCK_CANDIDATE} AND {_IN_HAND} "
        f"ORDER BY {DUE}, id"
    )
    return _dicts(conn.execute(sql))


def unconfirmed_ops(
    conn: sqlite3.Connection, cursor: int, fulfilment_id: int | None = None
) -> list[UnconfirmedOp]:
    """Pickup ops made here the base does not hold yet, in device_seq order."""
    # Two index-friendly halves (pending by status, applied by ledger_seq), not one OR.
    target = ""
    params: list[Any] = [cursor]
    if fulfilment_id is not None:
        target = " AND json_extract(payload, '$.fulfilment_id') = ?"
        params = [fulfilment_id, cursor, fulfilment_id]
    columns = "SELECT device_seq, op_id, type, payload, actor, device_time FROM outbox"
    sql = (
        f"{columns} INDEXED BY ix_outbox_status_seq WHERE status = 'pending' "
        f"AND type LIKE 'pickup.%'{target} UNION ALL "
        f"{columns} INDEXED BY ix_outbox_ledger_seq WHERE ledger_seq > ? "
        f"AND status = 'applied' AND type LIKE 'pickup.%'{target}"
    )
    ops = []
    for _, op_id, op_type, payload, actor, device_time in conn.execute(sql + " ORDER BY 1", params):
        body = json.loads(payload)
        ops.append(
            UnconfirmedOp(
                op_id=op_id,
                fulfilment_id=int(body.get("fulfilment_id") or 0),
                type=op_type,
                payload=body,
                actor=actor or "",
                device_time=from_text(device_time).isoformat(),
            )
        )
    return ops
