"""Staff PIN and badge hashes as the station keeps them: peppered with a key from the keyring.

The ledger sends each staff member's argon2id PIN hash and salted badge hash. Kept as
sent, a copied cache file would let anyone try all 10,000 four-digit PINs offline. So
the station keeps, instead of the ledger's hash, HMAC-SHA256(pepper, that hash), with
the argon2 parameters and salt needed to make it again from a PIN::

    pepper1$<key id>$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash length>$<hmac>
    pepper1$<key id>$sha256$<salt>$<hmac>

The pepper is a random key in the OS keyring (or a 0600 file when none is usable), never
in the cache, so the cache file alone cannot be attacked. ``key id`` names the pepper
(not secretly): a row peppered with another key (the keyring was reset) can no longer
be checked, and :func:`forget_other_keys` drops it so the next sync fetches it again.

The cache engine installs :func:`pepper_pin` and :func:`pepper_badge` as SQL functions
and a trigger on ``staff`` (``app.storage.staff``), so every way a staff row is written
(pull, snapshot page, test seed) is peppered inside the same transaction.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import Type, extract_parameters
from argon2.exceptions import InvalidHashError
from argon2.low_level import hash_secret_raw

from app.domain.badges import badge_digest, parse_badge_hash

PREFIX = "pepper1"
_UNUSABLE = "none"  # a ledger hash this station cannot read: kept, never matched


def key_id(pepper: bytes) -> str:
    """A short public name of ``pepper`` (says which key, reveals nothing of it)."""
    return hmac.new(pepper, b"counterbench key id", hashlib.sha256).hexdigest()[:8]


def is_peppered(value: str | None) -> bool:
    """Whether ``value`` needs no peppering: none, empty, or peppered already."""
    return not value or value.startswith(PREFIX + "$")


def pepper_pin(ledger_hash: str | None, pepper: bytes) -> str | None:
    """The station's form of the ledger's argon2 ``ledger_hash``."""
    if is_peppered(ledger_hash):
        return ledger_hash
    assert ledger_hash is not None
    head, raw = _split_argon2(ledger_hash)
    if raw is None:
        return f"{PREFIX}${key_id(pepper)}${_UNUSABLE}"
    return f"{PREFIX}${key_id(pepper)}${head}${len(raw)}${_mac(pepper, raw)}"


def pepper_badge(ledger_hash: str | None, pepper: bytes) -> str | None:
    """The station's form of the ledger's badge hash (salted, or unsalted from before)."""
    if is_peppered(ledger_hash):
        return ledger_hash
    parsed = parse_badge_hash(ledger_hash)
    if parsed is None:
        return f"{PREFIX}${key_id(pepper)}${_UNUSABLE}"
    return (
        f"{PREFIX}${key_id(pepper)}$sha256${parsed.salt}$"
        f"{_mac(pepper, bytes.fromhex(parsed.digest))}"
    )


def pin_matches(stored: str | None, pin: str, pepper: bytes) -> bool:
    """Whether ``pin`` matches a peppered PIN hash (argon2id at the ledger's cost)."""
    parts = _own_parts(stored, pepper)
    if parts is None or len(parts) != 6 or parts[0] != "argon2id" or not parts[4].isdigit():
        return False
    head, length, expected = "$".join(parts[:4]), int(parts[4]), parts[5]
    try:
        params = extract_parameters(f"${head}${_b64encode(bytes(length))}")
    except (InvalidHashError, ValueError):
        return False
    raw = hash_secret_raw(
        secret=pin.encode(),
        salt=_b64decode(parts[3]),
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=params.hash_len,
        type=Type.ID,
        version=params.version,
    )
    return hmac.compare_digest(_mac(pepper, raw), expected)


def badge_matches(stored: str | None, badge: str, pepper: bytes) -> bool:
    """Whether the scanned ``badge`` matches a peppered badge hash."""
    parts = _own_parts(stored, pepper)
    if parts is None or len(parts) != 3 or parts[0] != "sha256":
        return False
    _, salt, expected = parts
    digest = bytes.fromhex(badge_digest(badge, salt))
    return hmac.compare_digest(_mac(pepper, digest), expected)


def _own_parts(stored: str | None, pepper: bytes) -> list[str] | None:
    """The parts after ``pepper1$<key id>$`` when ``stored`` was peppered with ``pepper``."""
    if not stored:
        return None
    parts = stored.split("$")
    if len(parts) < 3 or parts[0] != PREFIX or parts[1] != key_id(pepper):
        return None
    if parts[2] == _UNUSABLE:
        return None
    return parts[2:]


def _split_argon2(encoded: str) -> tuple[str, bytes | None]:
    """(``argon2id$v=..$m=..,t=..,p=..$salt``, raw hash) of an argon2id encoded hash."""
    parts = encoded.split("$")
    if len(parts) != 6 or parts[1] != "argon2id" or parts[0]:
        return "", None
    try:
        extract_parameters(encoded)
        raw = _b64decode(parts[5])
        _b64decode(parts[4])
    except (InvalidHashError, ValueError):
        return "", None
    return "$".join(parts[1:5]), raw


def _mac(pepper: bytes, message: bytes) -> str:
    return _b64encode(hmac.new(pepper, message, hashlib.sha256).digest())


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
