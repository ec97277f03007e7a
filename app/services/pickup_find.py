"""Finding a pickup order at the counter: QR, order number, pickup code, name or phone.

Offline from the cache first; only when nothing is found here and the ledger answers,
the ledger says which store holds it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from app.domain.pickup_codes import (
    PICKUP_CODE_DIGITS,
    customer_matches,
    normalise_name,
    normalise_phone,
    parse_qr_payload,
    pickup_code_matches,
    valid_pickup_code,
)
from app.errors import NotFound, Offline
from app.storage import pickups

SEARCH_LIMIT = 50


def number_forms(text: str) -> list[str]:
    """How a typed order number may be stored: as typed, upper case, without spaces."""
    squeezed = "".join(text.split())
    return list(dict.fromkeys([text, squeezed, squeezed.upper()]))


def search(conn: sqlite3.Connection, query: str) -> tuple[list[dict[str, Any]], str, bool]:
    """(base rows, found by, code verified) for ``query``; no rows when nothing matches."""
    text = query.strip()
    scanned = parse_qr_payload(text)
    if scanned is not None:
        number, code = scanned
        rows = pickups.by_order_number(conn, number_forms(number))
        verified = any(
            pickup_code_matches(code, r["pickup_code_salt"] or "", r["pickup_code_hash"] or "")
            for r in rows
        )
        return rows, "qr", verified
    rows = pickups.by_order_number(conn, number_forms(text))
    if rows:
        return rows, "order_number", False
    digits = "".join(text.split())
    if valid_pickup_code(digits) and len(digits) == PICKUP_CODE_DIGITS:
        ids = [i for i, salt, h in pickups.open_codes(conn) if pickup_code_matches(digits, salt, h)]
        if ids:
            return pickups.by_ids(conn, ids), "pickup_code", True
    candidates = _customer_candidates(conn, text)
    ids = [i for i, name, phone in candidates if customer_matches(text, name, phone)]
    return pickups.by_ids(conn, ids[:SEARCH_LIMIT]), "customer", False


def _customer_candidates(conn: sqlite3.Connection, text: str) -> list[tuple[int, str, str]]:
    """(id, name, phone) that may match a name or phone search: a whole phone number off
    the phone index, anything else narrowed in SQL as far as it can be."""
    narrowing = _narrowing(text)
    phone = narrowing.get("phone_digits", "")
    if len(phone) == pickups.PHONE_KEY_DIGITS:
        return pickups.customers_by_phone(conn, phone)
    return pickups.customers(conn, **narrowing)


def _narrowing(text: str) -> dict[str, Any]:
    """What SQL may narrow a name or phone search by (it only ever keeps more rows)."""
    if not any(ch.isalpha() for ch in text):
        return {"phone_digits": normalise_phone(text)}
    if text.isascii():
        return {"name_words": normalise_name(text).split()}
    return {}


def not_here(query: str, store_code: str, locate: Callable[[str], tuple[str, str] | None]) -> None:
    """Raise the right ``NotFound`` for a search that found nothing in the cache.

    ``locate`` asks the ledger which store holds it ((code, name), or None when no store
    does); it raises ``Offline`` when the ledger cannot be reached.
    """
    text = query.strip()
    try:
        held = locate(text)
    except Offline as exc:
        raise NotFound(
            f"'{text}' is not in this station's cache, and the ledger cannot be reached "
            "to look further while offline.",
            next_step="Check the number with the customer, or try again when online.",
        ) from exc
    if held is None:
        raise NotFound(
            f"No pickup order matches '{text}'.",
            next_step="Check the number with the customer, or look at their order message.",
        )
    code, name = held
    if code == store_code:
        raise NotFound(
            f"Order '{text}' is held at this store but has not reached this station yet.",
            next_step="Sync now and search again.",
        )
    raise NotFound(
        f"That order is held at {name} ({code}), not at this store.",
        next_step=f"Send the customer to {name}.",
    )
