"""Request authentication: a device's Bearer token, the admin token, the order-intake token.

The admin token may do everything an admin endpoint offers, order intake included. The
order-intake token (for a web shop or marketplace connector) may only place orders and
read their timelines. A device token may only sync and locate pickups.

Each endpoint names its guard as a dependency (:func:`require_device`,
:func:`require_admin`, :func:`require_order_intake`); :mod:`app.ledger.api.gate` runs that
guard before the body is read and hands the device found to the dependency.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app.ledger.api.limits import PUSH_PATH
from app.ledger.clock_skew import note_clock
from app.ledger.db import reader
from app.ledger.devices import DeviceRef, authenticate, sha256_hex
from app.sync.protocol import CLOCK_HEADER

# Pushes may use a device found in the last PUSH_AUTH_TTL seconds without a lookup: the
# push transaction reads the device row under lock anyway and refuses a revoked one
# (app.ledger.push.DeviceRevoked). Every other endpoint looks the token up each time.
PUSH_AUTH_TTL = 5.0
PUSH_AUTH_MAX = 10_000


class Unauthorized(Exception):
    """Answered with 401: no token, an unknown token or a revoked device."""


class Forbidden(Exception):
    """Answered with 403: a valid token that may not do this."""


@dataclass(frozen=True)
class Tokens:
    """The ledger's own tokens: ``admin`` (everything), ``intake`` (orders only; none when
    empty)."""

    admin: str
    intake: str = ""
    carriers: Mapping[str, str] = field(default_factory=dict)  # carrier code -> its token

    def is_admin(self, token: str) -> bool:
        return _same(token, self.admin)

    def is_intake(self, token: str) -> bool:
        return bool(self.intake) and _same(token, self.intake)

    def is_carrier(self, code: str, token: str) -> bool:
        kept = self.carriers.get(code, "")
        return bool(kept) and _same(token, kept)


def _same(given: str, kept: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), kept.encode("utf-8"))


def bearer(request: Request) -> str:
    """The request's Bearer token; 401 without one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("This request needs a token (Authorization: Bearer …).")
    return token.strip()


def _tokens(request: Request) -> Tokens:
    tokens: Tokens = request.app.state.tokens
    return tokens


async def require_device(request: Request) -> DeviceRef:
    """The device making the request; 401 unless its token is known and not revoked.

    Async, so the device the gate found costs no thread hop; a lookup runs on a thread.
    """
    known: DeviceRef | None = getattr(request.state, "device", None)
    if known is not None:  # the gate checked it before the body was read
        return known
    token = bearer(request)
    tokens = _tokens(request)
    if tokens.is_admin(token) or tokens.is_intake(token):
        raise Forbidden("The admin and order-intake tokens cannot sync; enrol a station instead.")
    clock = request.headers.get(CLOCK_HEADER)
    engine = request.app.state.engine
    device = _pushers.get(token) if request.url.path == PUSH_PATH else None
    if device is not None and not note_clock(engine, device, clock, dry=True):
        request.state.device = device  # a recent push's device, its clock unchanged
        return device
    device = await run_in_threadpool(_device_of, engine, token, clock)
    if device is None:
        raise Unauthorized("This station's token is unknown or was revoked.")
    request.state.device = device
    return device


def _device_of(engine: Engine, token: str, clock: str | None) -> DeviceRef | None:
    """The device of ``token`` (None when unknown or revoked), its clock noted."""
    with reader(engine).connect() as conn:
        device = authenticate(conn, token)
    if device is not None and not note_clock(engine, device, clock):
        _pushers.put(token, device)  # its clock exception as the row says it
    return device


class _RecentDevices:
    """Devices found by token in the last ``PUSH_AUTH_TTL`` seconds (this process)."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[float, DeviceRef]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> DeviceRef | None:
        key = sha256_hex(token)
        with self._lock:
            found = self._found.get(key)
            if found is None or found[0] < time.monotonic():
                self._found.pop(key, None)
                return None
            return found[1]

    def put(self, token: str, device: DeviceRef) -> None:
        key = sha256_hex(token)
        with self._lock:
            if len(self._found) >= PUSH_AUTH_MAX:
                self._found.clear()
            self._found[key] = (time.monotonic() + PUSH_AUTH_TTL, device)


_pushers = _RecentDevices()


async def require_admin(request: Request) -> None:
    """401 unless the request carries the admin token (403 for the order-intake token)."""
    token = bearer(request)
    tokens = _tokens(request)
    if tokens.is_admin(token):
        return
    if tokens.is_intake(token):
        raise Forbidden("The order-intake token may only place and read orders.")
    raise Unauthorized("This request needs the ledger's admin token.")


async def require_order_intake(request: Request) -> None:
    """401 unless the request carries the order-intake token or the admin token."""
    token = bearer(request)
    tokens = _tokens(request)
    if not (tokens.is_admin(token) or tokens.is_intake(token)):
        raise Unauthorized("This request needs the ledger's order-intake or admin token.")


async def require_carrier(request: Request) -> str:
    """The carrier (its code, from the path) posting tracking events; 401 unless the
    request carries that carrier's token, as a Bearer token or as ``?token=`` (a
    carrier's webhook setting often holds only a URL)."""
    code = str(request.path_params.get("carrier", ""))
    token = request.query_params.get("token", "")
    if not token:
        token = bearer(request)
    if not _tokens(request).is_carrier(code, token):
        raise Unauthorized(f"This request needs carrier {code}'s tracking token.")
    return code


Guard = Callable[[Request], Awaitable[object]]
GUARDS: tuple[Guard, ...] = (require_device, require_admin, require_order_intake, require_carrier)


def guard_of(route: Any) -> Guard | None:
    """The guard ``route`` depends on (directly or through a router), if any."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call in GUARDS:
            return dependency.call
        pending.extend(dependency.dependencies)
    return None
