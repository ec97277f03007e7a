"""The FastAPI application factory and the mapping of errors to HTTP answers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, select

from app.domain.routing import StoreCannotFill
from app.errors import BadInput, KnownError, NotFound, RuleRefused
from app.ledger.api import master, messages, orders, pickups, sync, transfers
from app.ledger.api.auth import Forbidden, Unauthorized
from app.ledger.api.expiry import expiry_lifespan
from app.ledger.api.versions import install as install_versions
from app.ledger.db import reader
from app.ledger.devices import EnrolRefused
from app.ledger.models import LedgerHead, table_of
from app.ledger.push import PushGap, PushReused, WrongDevice
from app.ledger.senders import MessageSender
from app.sync.protocol import API_PREFIX, Health

JSON = "application/json"


def create_app(
    engine: Engine,
    admin_token: str,
    *,
    expire_every_s: float | None = None,
    sender: MessageSender | None = None,
) -> FastAPI:
    """The ledger API over ``engine``; ``admin_token`` authorises order intake.

    ``expire_every_s``: run the pickup clock (reminders, hold expiry, and sending the
    customer messages with ``sender`` when given) that often while serving.
    """
    app = FastAPI(
        title="Counterbench stock ledger",
        version="1",
        lifespan=expiry_lifespan(engine, expire_every_s, sender) if expire_every_s else None,
    )
    app.state.engine = engine
    app.state.sender = sender
    app.state.admin_token = admin_token
    app.include_router(sync.router, prefix=API_PREFIX)
    app.include_router(orders.router, prefix=API_PREFIX)
    app.include_router(pickups.router, prefix=API_PREFIX)
    app.include_router(transfers.router, prefix=API_PREFIX)
    app.include_router(messages.router, prefix=API_PREFIX)
    app.include_router(master.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["health"])
    def health() -> Response:
        with reader(engine).connect() as conn:
            seq = conn.execute(select(table_of(LedgerHead).c.last_seq)).scalar_one()
        body = Health(ledger_seq=int(seq), database=engine.dialect.name)
        return Response(body.model_dump_json(), media_type=JSON)

    _install_error_handlers(app)
    install_versions(app)  # Counterbench-Protocol on every answer; 426 for too old
    return app


def _error(
    status: int, error: str, message: str, next_step: str = "", **extra: Any
) -> JSONResponse:
    """The JSON error body: error, message, next_step, and ``extra`` fields (optional ones
    a client may ignore, e.g. ``alternatives`` of ``protocol.OrderRefused``)."""
    return JSONResponse(
        {"error": error, "message": message, "next_step": next_step, **extra}, status_code=status
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Unauthorized)
    def _unauthorized(_: Request, exc: Unauthorized) -> JSONResponse:
        response = _error(401, "unauthorized", str(exc), "Enrol this station again.")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(Forbidden)
    def _forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return _error(403, "forbidden", str(exc))

    @app.exception_handler(PushGap)
    def _gap(_: Request, exc: PushGap) -> Response:
        return Response(exc.body.model_dump_json(), status_code=409, media_type=JSON)

    @app.exception_handler(PushReused)
    def _reused(_: Request, exc: PushReused) -> Response:
        return Response(exc.body.model_dump_json(), status_code=422, media_type=JSON)

    @app.exception_handler(KnownError)
    def _known(_: Request, exc: KnownError) -> JSONResponse:
        status, error = 400, "refused"
        if isinstance(exc, EnrolRefused | WrongDevice):
            status, error = 403, "forbidden"
        elif isinstance(exc, NotFound):
            status, error = 404, "not_found"
        elif isinstance(exc, RuleRefused):
            status, error = 409, getattr(exc, "code", "rule_refused")
        elif isinstance(exc, BadInput):
            status, error = 422, "bad_input"
        extra: dict[str, Any] = {}
        if isinstance(exc, StoreCannotFill):
            extra["alternatives"] = [asdict(a) for a in exc.alternatives]
        return _error(status, error, exc.message, exc.next_step, **extra)
