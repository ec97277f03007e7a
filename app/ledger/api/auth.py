"""Request authentication: a device's Bearer token, or the admin token."""

from __future__ import annotations

import hmac

from fastapi import Request

from app.ledger.db import reader
from app.ledger.devices import DeviceRef, authenticate


class Unauthorized(Exception):
    """Answered with 401: no token, an unknown token or a revoked device."""


class Forbidden(Exception):
    """Answered with 403: a valid token that may not do this."""


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("This request needs a station token.")
    return token.strip()


def is_admin(request: Request, token: str) -> bool:
    admin: str = request.app.state.admin_token
    return hmac.compare_digest(token.encode(), admin.encode())


def require_device(request: Request) -> DeviceRef:
    """The device making the request; 401 unless its token is known and not revoked."""
    token = _bearer(request)
    if is_admin(request, token):
        raise Forbidden("The admin token cannot sync; enrol a station instead.")
    with reader(request.app.state.engine).connect() as conn:
        device = authenticate(conn, token)
    if device is None:
        raise Unauthorized("This station's token is unknown or was revoked.")
    return device


def require_admin(request: Request) -> None:
    """401 unless the request carries the admin token."""
    if not is_admin(request, _bearer(request)):
        raise Unauthorized("This request needs the ledger's admin token.")
