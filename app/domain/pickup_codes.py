"""Pickup codes (stored only as salted hashes), the customer's QR, and customer search.

Pure helpers shared by the ledger (intake, locate) and the station (handover search).
"""

from __future__ import annotations

import hashlib
import hmac

PICKUP_CODE_DIGITS = 6
QR_PREFIX = "CBPU1"


def valid_pickup_code(code: str) -> bool:
    return len(code) >= PICKUP_CODE_DIGITS and code.isascii() and code.isdigit()


def hash_pickup_code(code: str, salt: str) -> str:
    """How a pickup code is stored: sha256 of salt and code (never the code itself)."""
    return hashlib.sha256(f"{salt}:{code.strip()}".encode()).hexdigest()


def pickup_code_matches(code: str, salt: str, code_hash: str) -> bool:
    if not code_hash:
        return False
    return hmac.compare_digest(hash_pickup_code(code, salt), code_hash)


def qr_payload(order_number: str, code: str) -> str:
    """The text of the customer's QR: ``CBPU1:<order number>:<pickup code>``."""
    return f"{QR_PREFIX}:{order_number}:{code}"


def parse_qr_payload(text: str) -> tuple[str, str] | None:
    """(order number, pickup code) from a scanned QR, or None if it is not one of ours."""
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not valid_pickup_code(parts[2]):
        return None
    return parts[1], parts[2]


def normalise_phone(text: str) -> str:
    """Digits only, without a +91 or 0 prefix: '+91 98450 12345' → '9845012345'."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and digits.startswith("91"):
        return digits[2:]
    if len(digits) == 11 and digits.startswith("0"):
        return digits[1:]
    return digits


def normalise_name(text: str) -> str:
    """Case-folded words joined by one space: '  ASHA   kumar ' → 'asha kumar'."""
    return " ".join(text.casefold().split())


def customer_matches(query: str, name: str, phone: str) -> bool:
    """Whether a counter search (name words or phone digits) finds this customer."""
    if not any(ch.isalpha() for ch in query):
        digits = normalise_phone(query)
        return len(digits) >= 4 and digits in normalise_phone(phone)
    words = normalise_name(query).split()
    have = normalise_name(name).split()
    return bool(words) and all(any(h.startswith(w) for h in have) for w in words)
