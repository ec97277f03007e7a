"""The protocol version on every answer, and 426 for a station too old to serve.

A station says which protocol it speaks in the ``Counterbench-Protocol`` header; one that
sends none is a station from before the header (version 1). The ledger serves stations
from ``app.state.min_protocol`` up (``COUNTERBENCH_MIN_PROTOCOL``, default
``MIN_PROTOCOL_VERSION``); an older one gets 426 on enrolment and sync, with a body that
says to update the terminal. Health answers everyone: it carries the version itself.
"""

from __future__ import annotations

import json
import os

from fastapi import FastAPI
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import BadInput
from app.sync.protocol import API_PREFIX, MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION

MIN_PROTOCOL_ENV = "COUNTERBENCH_MIN_PROTOCOL"
STATION_PATHS = (f"{API_PREFIX}/enrol", f"{API_PREFIX}/sync/")
_HEADER = PROTOCOL_HEADER.lower().encode()
_OURS = (_HEADER, str(PROTOCOL_VERSION).encode())
TOO_OLD = "This terminal is too old for the ledger — update this terminal."


def install(app: FastAPI) -> None:
    """Check station versions and send ours on every answer of ``app``."""
    app.state.min_protocol = min_protocol_from_env()
    app.add_middleware(ProtocolVersions, state=app.state)


def min_protocol_from_env() -> int:
    """The oldest protocol to serve: ``COUNTERBENCH_MIN_PROTOCOL`` when set."""
    text = os.environ.get(MIN_PROTOCOL_ENV, "").strip()
    if not text:
        return MIN_PROTOCOL_VERSION
    if not text.isdigit() or not 1 <= int(text) <= PROTOCOL_VERSION:
        raise BadInput(
            f"{MIN_PROTOCOL_ENV}={text} is not a protocol this ledger speaks.",
            next_step=f"Set it to a whole number from 1 to {PROTOCOL_VERSION}, or unset it.",
        )
    return int(text)


def station_version(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The protocol a request says it speaks: 1 without the header, None when unreadable."""
    for name, value in headers:
        if name.lower() == _HEADER:
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 10 else None
    return 1


class ProtocolVersions:
    """Pure ASGI middleware: cheap on the sync hot path (no body buffering)."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if str(scope["path"]).startswith(STATION_PATHS):
            version = station_version(scope["headers"])
            minimum = int(self.state.min_protocol)
            if version is None:
                await _answer(send, 422, _bad_header())
                return
            if version < minimum:
                await _answer(send, 426, _too_old(version, minimum), upgrade=minimum)
                return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), _OURS]
            await send(message)

        await self.app(scope, receive, send_with_version)


def _too_old(version: int, minimum: int) -> dict[str, object]:
    return {
        "error": "upgrade_required",
        "message": TOO_OLD,
        "next_step": (
            f"This terminal speaks protocol {version}; the ledger needs {minimum} or newer. "
            "Install the current Counterbench on it. Work done here is kept and sent after."
        ),
        "protocol": PROTOCOL_VERSION,
        "min_protocol": minimum,
    }


def _bad_header() -> dict[str, object]:
    return {
        "error": "bad_input",
        "message": f"The {PROTOCOL_HEADER} header must be a whole number.",
        "next_step": f"Send the protocol version this station speaks, e.g. {PROTOCOL_VERSION}.",
    }


async def _answer(send: Send, status: int, body: dict[str, object], upgrade: int = 0) -> None:
    content = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
        _OURS,
    ]
    if upgrade:  # RFC 9110: a 426 names the protocol to upgrade to
        headers.append((b"upgrade", f"{PROTOCOL_HEADER}/{upgrade}".encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
