"""How much the ledger takes: body sizes per endpoint, and attempts per client address.

Body caps: a push carries up to 2000 operations (8 MiB); everything else is small (1 MiB).
Rate limits are token buckets per client IP address, in memory (one per ``serve``
process): enrolment attempts, and requests to admin and order endpoints that present a
token the ledger does not know (guessing an admin token is as slow as guessing an enrol
code; station endpoints are left alone, see :mod:`app.ledger.api.gate`). Behind a proxy every
client shares the proxy's address: size the limits for that.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.sync.protocol import API_PREFIX

MIB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MIB
PUSH_PATH = f"{API_PREFIX}/sync/push"
BODY_LIMITS = {  # path or path prefix (ending in /) -> bytes, where more than the default
    PUSH_PATH: 8 * MIB,
    f"{API_PREFIX}/admin/import/": 64 * MIB,  # a master data CSV file
}
ENROL_PATH = f"{API_PREFIX}/enrol"
MAX_KEYS = 10_000  # addresses remembered per bucket; the fullest are forgotten first


def body_limit(path: str) -> int:
    """The largest body ``path`` takes, in bytes."""
    for start, limit in BODY_LIMITS.items():
        if path == start or (start.endswith("/") and path.startswith(start)):
            return limit
    return DEFAULT_BODY_LIMIT


@dataclass(frozen=True)
class Rate:
    """``burst`` attempts at once, refilled at ``per_minute``."""

    burst: int
    per_minute: float

    def __str__(self) -> str:
        return f"{self.burst}/{self.per_minute:g}"

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"BURST/PER_MINUTE"``, e.g. ``"10/6"``: 10 at once, then 6 a minute."""
        burst, _, per_minute = text.partition("/")
        try:
            rate = cls(int(burst), float(per_minute or burst))
        except ValueError as exc:
            raise ValueError(f"not a rate (BURST/PER_MINUTE, e.g. 10/6): {text}") from exc
        if rate.burst < 1 or not 0 < rate.per_minute < math.inf:
            raise ValueError(f"a rate needs a burst of 1 or more and a refill above 0: {text}")
        return rate


@dataclass(frozen=True)
class Limits:
    """The rates a ledger enforces (see the module doc)."""

    enrol: Rate = Rate(burst=10, per_minute=6)
    bad_token: Rate = Rate(burst=30, per_minute=30)


@dataclass
class TokenBucket:
    """Attempts per key (a client address): :meth:`take` says how long to wait, 0 for now."""

    rate: Rate
    clock: Callable[[], float] = time.monotonic
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> level, at

    def take(self, key: str) -> float:
        """Use one attempt of ``key``; 0.0 when allowed, else the seconds until one is."""
        waiting = self.wait(key)
        if waiting == 0.0:
            self.spend(key)
        return waiting

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again (0.0 now), without using an attempt."""
        level = self._level(key)
        return 0.0 if level >= 1 else (1 - level) * 60.0 / self.rate.per_minute

    def spend(self, key: str) -> None:
        """Use one attempt of ``key`` whether or not one was left (a failure seen after)."""
        self._levels[key] = (max(self._level(key) - 1, 0.0), self.clock())
        if len(self._levels) > MAX_KEYS:
            self._forget_fullest()

    def _level(self, key: str) -> float:
        now = self.clock()
        level, at = self._levels.get(key, (float(self.rate.burst), now))
        refilled = level + (now - at) * self.rate.per_minute / 60.0
        return min(float(self.rate.burst), refilled)

    def _forget_fullest(self) -> None:
        keep = sorted(self._levels, key=self._level)[: MAX_KEYS // 2]
        self._levels = {key: self._levels[key] for key in keep}


def retry_after(seconds: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
