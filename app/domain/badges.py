"""How a staff badge is hashed: sha256 over a per-staff salt and the scanned text.

The ledger makes the hash (``salted_badge_hash``) and sends it in the staff scope; a
station re-makes it from a scan with the salt carried in the hash. The salt means one
badge code's hash differs from person to person and retailer to retailer, so a table of
precomputed badge hashes is of no use. Hashes made before salting (64 hex digits, no
salt) are still read.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

SCHEME = "sha256"
SALT_BYTES = 8


@dataclass(frozen=True)
class BadgeHash:
    salt: str  # hex; "" for a hash made before salting
    digest: str  # hex sha256


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def badge_digest(badge: str, salt: str) -> str:
    """The hex sha256 of the scanned ``badge`` text under ``salt``."""
    return hashlib.sha256((salt + badge.strip()).encode()).hexdigest()


def salted_badge_hash(badge: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<digest>``: what the ledger keeps and sends for a badge."""
    salt = new_salt() if salt is None else salt
    return f"{SCHEME}${salt}${badge_digest(badge, salt)}"


def parse_badge_hash(text: str | None) -> BadgeHash | None:
    """The salt and digest of a badge hash, or None when ``text`` is none or unknown."""
    if not text:
        return None
    parts = text.split("$")
    if len(parts) == 3 and parts[0] == SCHEME and _hex(parts[1]) and _hex(parts[2], 64):
        return BadgeHash(salt=parts[1], digest=parts[2])
    if len(parts) == 1 and _hex(text, 64):
        return BadgeHash(salt="", digest=text)
    return None


def _hex(text: str, length: int | None = None) -> bool:
    if length is not None and len(text) != length:
        return False
    return all(c in "0123456789abcdef" for c in text)
