"""How the ledger hashes a staff member's PIN and badge.

PINs: argon2id at a moderate cost (t=3, 64 MiB, p=1: about half a second per check on a
busy 2-core machine, five times the earlier t=2, 19 MiB), checked offline by the
stations, which pepper the hash before keeping it. Badges: sha256
under a per-staff salt (``app.domain.badges``). ``COUNTERBENCH_PIN_COST=test`` chooses a
cheap argon2 cost for the test suite only.
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher

from app.domain.badges import salted_badge_hash

# (time_cost, memory_cost KiB, parallelism)
PIN_COSTS = {"standard": (3, 65536, 1), "test": (1, 8192, 1)}


def pin_hasher() -> PasswordHasher:
    """The argon2id hasher for new PIN hashes, at the cost ``COUNTERBENCH_PIN_COST`` names."""
    name = os.environ.get("COUNTERBENCH_PIN_COST", "standard")
    time_cost, memory_cost, parallelism = PIN_COSTS.get(name, PIN_COSTS["standard"])
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hash_pin(pin: str, hasher: PasswordHasher | None = None) -> str:
    return (hasher or pin_hasher()).hash(pin)


def hash_badge(badge: str) -> str:
    """The badge's salted hash (a fresh salt for every staff member)."""
    return salted_badge_hash(badge)
