"""A "newer" ledger for protocol tests: the real ledger app, one protocol version ahead.

``NewerLedger`` wraps the real FastAPI app (``create_app`` over a real database) and
changes only what a later ledger would add to its sync answers: a field on every answer,
a field on every change row and snapshot row, a change and a checksum of a scope this
program does not know (``promotions``), and a higher ``Counterbench-Protocol``. Requests
are not touched. ``serve_newer_ledger`` serves it with uvicorn on a loopback port, in this
process, so a test can also raise the minimum protocol it serves (``app.state``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ledger.api.app import create_app
from app.ledger.db import make_engine
from app.sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.ledger import ADMIN_TOKEN, RunningLedger

NEWER = PROTOCOL_VERSION + 1
NEW_SCOPE = "promotions"
NEW_ROW_FIELD = "loyalty_points"
NEW_ANSWER_FIELD = "ledger_build"
_HEADER = PROTOCOL_HEADER.lower().encode()


def _pull(body: dict[str, Any]) -> None:
    for change in body["changes"]:
        change["origin"] = "hq"
        if change["data"] is not None:
            change["data"][NEW_ROW_FIELD] = 7
    seq = body["changes"][0]["seq"] if body["changes"] else body["cursor"]
    promo = {"id": 1, "name": "Diwali week", "percent_off": 10}
    body["changes"].insert(0, {"seq": seq, "scope": NEW_SCOPE, "key": "1", "data": promo})
    if body["checksums"]:
        body["checksums"][NEW_SCOPE] = "1:1"


def _snapshot(body: dict[str, Any]) -> None:
    body["columns"].append(NEW_ROW_FIELD)
    for row in body["rows"]:
        row.append(7)
    body["compression"] = "none"


def _push(body: dict[str, Any]) -> None:
    for result in body["results"]:
        result["ledger_note"] = "kept for the audit"


# What the newer ledger adds to each sync answer, by path (every answer also gets a field).
_ADDITIONS = {
    f"{API_PREFIX}/sync/pull": _pull,
    f"{API_PREFIX}/sync/snapshot": _snapshot,
    f"{API_PREFIX}/sync/push": _push,
}
_SYNC_PATHS = (*_ADDITIONS, f"{API_PREFIX}/enrol", f"{API_PREFIX}/health")


class NewerLedger:
    """ASGI wrapper: the real app's answers with a newer ledger's additions."""

    def __init__(self, app: FastAPI) -> None:
        self.app: ASGIApp = app
        self.state = app.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in _SYNC_PATHS:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        body = b"".join(chunks)
        if start["status"] == 200:
            body = _newer(str(scope["path"]), body)
        headers = [(k, v) for k, v in start["headers"] if k not in (b"content-length", _HEADER)]
        headers += [(b"content-length", str(len(body)).encode()), (_HEADER, str(NEWER).encode())]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _newer(path: str, body: bytes) -> bytes:
    answer = json.loads(body)
    answer[NEW_ANSWER_FIELD] = f"{NEWER}.0.0"
    if path in _ADDITIONS:
        _ADDITIONS[path](answer)
    return json.dumps(answer).encode()


@dataclass
class ServedLedger:
    """The newer ledger serving on ``ledger.url``; ``app`` is the real app inside it."""

    ledger: RunningLedger  # its database, enrol codes and SQL (its process is not used)
    app: FastAPI

    def serve_only_from(self, version: int) -> None:
        """Answer 426 to stations below ``version`` from now on (a later ledger's choice)."""
        self.app.state.min_protocol = version


@contextmanager
def serve_newer_ledger(ledger: RunningLedger) -> Iterator[ServedLedger]:
    """Serve ``ledger``'s (seeded) database as a newer ledger on ``ledger.port``."""
    engine = make_engine(ledger.db_url)
    app = create_app(engine, ADMIN_TOKEN)
    server = uvicorn.Server(
        uvicorn.Config(
            NewerLedger(app),
            host="127.0.0.1",
            port=ledger.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, name="newer-ledger", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the newer ledger did not start")
            time.sleep(0.02)
        yield ServedLedger(ledger=ledger, app=app)
    finally:
        server.should_exit = True
        thread.join(30)
        engine.dispose()
