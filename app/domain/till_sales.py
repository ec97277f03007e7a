"""Walk-in sales from the retailer's till system, so they can be returned like any order.

A till sale is a receipt: where and when it was sold, how it was paid, and its lines at
the price actually paid. The ledger keeps it as an order whose number is the receipt
number. Pure: the endpoint and the CSV import (one row per line) both build
:class:`TillSale` here, and :func:`sale_digest` says whether a receipt sent again is the
same sale (taken once) or another one under a number already used (refused).

Also the keys an order is found by at the returns counter (phone, e-mail) and what of
the customer such a lookup may show (first name, last 4 digits of the phone).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from app.domain import master_fields as f
from app.domain.master_records import Columns, _choice, _Fields
from app.errors import BadInput

PAYMENT_METHODS = ("cash", "card", "upi", "wallet", "store_credit")
PHONE_DIGITS = 10  # an Indian mobile number without +91 or a leading 0


@dataclass(frozen=True)
class SaleLine:
    sku: str
    quantity: int
    unit_paid_minor: int  # per unit, after the till's offers


@dataclass(frozen=True)
class TillSale:
    """One receipt. ``sold_at`` without a zone is the store's local time (the ledger
    places it in the location's time zone)."""

    receipt: str
    location: str
    sold_at: datetime
    payment: str
    lines: tuple[SaleLine, ...]
    phone: str = ""
    email: str = ""
    name: str = ""

    @property
    def total_minor(self) -> int:
        return sum(line.quantity * line.unit_paid_minor for line in self.lines)


def sale_digest(sale: TillSale, sold_at: datetime) -> str:
    """What the ledger compares when a receipt comes again: every field of the sale,
    with ``sold_at`` as stored (aware, UTC)."""
    body = {
        "receipt": sale.receipt,
        "location": sale.location,
        "sold_at": sold_at.isoformat(),
        "payment": sale.payment,
        "lines": [[x.sku, x.quantity, x.unit_paid_minor] for x in sale.lines],
        "phone": sale.phone,
        "email": email_key(sale.email),
        "name": sale.name,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def phone_key(phone: str) -> str:
    """The number an order is found by: its last 10 digits ("+91 98450-12345" and
    "098450 12345" are one number); "" when it has fewer."""
    digits = re.sub(r"\D", "", phone)
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else ""


def email_key(email: str) -> str:
    """The address an order is found by: trimmed, case folded."""
    return email.strip().casefold()


def first_name(name: str) -> str:
    """All of the customer's name a returns lookup shows."""
    return name.split()[0] if name.split() else ""


def phone_last4(phone: str) -> str:
    """All of the customer's phone a returns lookup shows."""
    digits = re.sub(r"\D", "", phone)
    return digits[-4:] if len(digits) >= 4 else ""


def check_receipt(text: str) -> str:
    return f.check_code(text, "receipt number", 40)


def check_phone(text: str) -> str:
    phone = f.check_text(text, "phone number", 32, required=False)
    if phone and not phone_key(phone):
        raise BadInput(f"'{phone}' is not a phone number.", next_step="Give all 10 digits.")
    return phone


def check_email(text: str) -> str:
    email = f.check_text(text, "e-mail address", 200, required=False)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise BadInput(f"'{email}' is not an e-mail address.")
    return email


# --- the CSV import: one row per line of a receipt ---------------------------------------

SALE_COLUMNS = Columns(
    required=("receipt", "location", "sold_at", "sku", "quantity", "unit_paid", "payment"),
    optional=("phone", "email", "name"),
)


@dataclass(frozen=True)
class SaleRow:
    """One line of a receipt as a CSV row has it."""

    receipt: str
    location: str
    sold_at: datetime
    payment: str
    line: SaleLine
    phone: str
    email: str
    name: str
    # A row whose receipt number reads but another field does not: what to fix. It is
    # kept (not refused by the reader) so the import can leave its whole receipt out.
    problem: tuple[str, str] | None = None

    @property
    def key(self) -> tuple[str, ...]:
        """A receipt lists an item at one price once (put the units on one row)."""
        return (self.receipt, self.line.sku, str(self.line.unit_paid_minor))

    @property
    def header(self) -> tuple[object, ...]:
        """What every row of one receipt must say alike."""
        return (self.location, self.sold_at, self.payment, self.phone, self.email, self.name)


def sale_row_record(fields: Mapping[str, str]) -> SaleRow:
    """One line of a till receipt from text fields (CSV columns of :data:`SALE_COLUMNS`).

    A row whose receipt number cannot be read is refused; any other bad field is kept as
    the row's ``problem`` (see :class:`SaleRow`).
    """
    g = _Fields(fields)
    try:
        receipt = check_receipt(g("receipt"))
    except BadInput as exc:
        raise g.named(exc) from None
    try:
        location = f.check_code(g("location"), "location code", 20).upper()
        sold_at = sold_time(g("sold_at"))
        line = SaleLine(
            sku=f.check_code(g("sku"), "SKU", 40).upper(),
            quantity=f.whole_number(g("quantity"), "quantity", low=1, high=1000),
            unit_paid_minor=f.price_minor(g("unit_paid")),
        )
        return SaleRow(
            receipt=receipt,
            location=location,
            sold_at=sold_at,
            payment=_choice(g("payment"), "payment method", PAYMENT_METHODS),
            line=line,
            phone=check_phone(g("phone")),
            email=check_email(g("email")),
            name=f.check_text(g("name"), "customer name", 120, required=False),
        )
    except BadInput as exc:
        named = g.named(exc)
        raw = SaleLine(f"?{fields.get('sku', '')}|{fields.get('unit_paid', '')}", 0, 0)
        return SaleRow(
            receipt, "", datetime(2000, 1, 1), "", raw, "", "", "", (named.message, named.next_step)
        )


def sold_time(text: str) -> datetime:
    """When a till sold: ISO 8601 ("2026-12-06 14:32", "2026-12-06T14:32:00+05:30"); with
    no zone it is the store's local time."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"'{text.strip()}' is not a time of sale.",
            next_step="Write it as 2026-12-06 14:32 (the store's time) or with its zone.",
        ) from None
    if not 2000 <= at.year <= 2099:
        raise BadInput(f"A sale in {at.year} is not plausible; check the till's clock.")
    return at


CLOCK_SLACK = timedelta(minutes=10)  # a till's clock a little ahead of the ledger's


def stored_time(sold_at: datetime, zone: tzinfo, now: datetime) -> datetime:
    """``sold_at`` as the ledger keeps it (aware, UTC); a time without a zone is the
    store's (``zone``). A sale later than ``now`` (give or take a till's clock) is refused."""
    at = sold_at if sold_at.tzinfo is not None else sold_at.replace(tzinfo=zone)
    at = at.astimezone(UTC)
    if at > now + CLOCK_SLACK:
        raise BadInput(
            f"The sale is dated {at:%Y-%m-%d %H:%M} UTC, later than now.",
            next_step="Check the till's clock and time zone, then send the receipt again.",
        )
    return at
