"""How a return reads what the associate scanned or typed to find the order. Pure.

One box takes everything: a receipt or order barcode or number, a returned parcel's label
(SSCC) or carrier tracking number, an item's barcode, a phone number or an e-mail. Each
reading says the ways to look, most likely first: a scan that could be two things (a
numeric receipt that happens to read as a GTIN) is looked up both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.gs1 import item_code, read_gs1
from app.domain.gtin import GTIN_LENGTHS, has_valid_check_digit
from app.domain.pickup_codes import normalise_phone
from app.domain.shipping.scan_out import sscc_of_scan
from app.errors import BadInput

PHONE_DIGITS = 10  # an Indian mobile number without +91 or 0
SSCC_DIGITS = 18


class LookFor(StrEnum):
    ORDER = "order"  # order or receipt number
    PARCEL = "parcel"  # SSCC or carrier tracking number
    ITEM = "item"  # GTIN: recent orders that hold it
    PHONE = "phone"
    EMAIL = "email"


WAY_WORDS = {
    LookFor.ORDER: "order or receipt number",
    LookFor.PARCEL: "parcel",
    LookFor.ITEM: "item",
    LookFor.PHONE: "phone number",
    LookFor.EMAIL: "e-mail",
}


@dataclass(frozen=True)
class Look:
    """One way to look and the value to look for."""

    way: LookFor
    value: str


def read_query(text: str) -> tuple[Look, ...]:
    """The ways to look for ``text``, most likely first; ``BadInput`` when it is empty."""
    raw = text.strip()
    if not raw:
        raise BadInput(
            "Nothing to look for.",
            next_step="Scan the receipt, order or parcel barcode or an item, "
            "or type a phone number or e-mail.",
        )
    if "@" in raw:
        return (Look(LookFor.EMAIL, email_key(raw)),)
    sscc = _sscc(raw)
    if sscc:
        return (Look(LookFor.PARCEL, sscc), Look(LookFor.ORDER, raw))
    gtin = _gtin(raw)
    if gtin:
        return (Look(LookFor.ITEM, gtin), Look(LookFor.ORDER, raw))
    phone = normalise_phone(raw)
    if len(phone) == PHONE_DIGITS and set(raw) <= set("+0123456789 -()"):
        return (Look(LookFor.PHONE, phone), Look(LookFor.ORDER, raw))
    return (Look(LookFor.ORDER, raw), Look(LookFor.PARCEL, raw.upper()))


def email_key(text: str) -> str:
    """The form an e-mail is searched by: trimmed, case-folded."""
    return text.strip().casefold()


def number_forms(text: str) -> tuple[str, ...]:
    """How a typed order or receipt number may be stored: as typed, without spaces, upper."""
    squeezed = "".join(text.split())
    return tuple(dict.fromkeys([text.strip(), squeezed, squeezed.upper()]))


def _sscc(raw: str) -> str:
    gs1 = read_gs1(raw)
    if gs1 is not None and gs1.sscc:
        return gs1.sscc
    digits = sscc_of_scan(raw)
    if len(digits) == SSCC_DIGITS and digits.isdigit() and has_valid_check_digit(digits):
        return digits
    return ""


def _gtin(raw: str) -> str:
    code = item_code(raw)
    if code.isdigit() and len(code) in GTIN_LENGTHS and has_valid_check_digit(code):
        return code
    return ""
