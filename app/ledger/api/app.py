"""The FastAPI application factory: routers, the request gate, errors and the contract."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.responses import Response
from sqlalchemy import Engine, select

from app.carriers.adapter import CarrierAdapter
from app.ledger.api import (
    invoices,
    master,
    master_bins,
    master_shipping,
    messages,
    orders,
    parcels,
    pickups,
    return_lookup,
    sales,
    sync,
    tracking,
    transfers,
)
from app.ledger.api.auth import Tokens
from app.ledger.api.contract import install_contract
from app.ledger.api.errors import install_error_handlers
from app.ledger.api.expiry import expiry_lifespan
from app.ledger.api.gate import Gate
from app.ledger.api.limits import Limits
from app.ledger.api.tracking_clock import with_tracking_pull
from app.ledger.api.versions import install as install_versions
from app.ledger.db import reader
from app.ledger.models import LedgerHead, table_of
from app.ledger.parcel_booking import AdapterOf
from app.ledger.push_queue import PushQueue
from app.ledger.senders import MessageSender
from app.sync.protocol import API_PREFIX, Health

JSON = "application/json"


def create_app(
    engine: Engine,
    admin_token: str,
    *,
    intake_token: str = "",
    expire_every_s: float | None = None,
    sender: MessageSender | None = None,
    limits: Limits | None = None,
    carrier_adapters: AdapterOf | None = None,
    carrier_tokens: Mapping[str, str] | None = None,
    carrier_feeds: Mapping[str, CarrierAdapter] | None = None,
    track_every_s: float = 60.0,
) -> FastAPI:
    """The ledger API over ``engine``.

    ``admin_token`` may call every admin endpoint; ``intake_token`` (when given) may only
    place and read orders. ``expire_every_s``: run the pickup clock (reminders, hold
    expiry, and sending the customer messages with ``sender`` when given) that often
    while serving. ``limits``: the rate limits (see :mod:`app.ledger.api.limits`).
    ``carrier_adapters``: how parcels reach their carriers (default: the carriers master
    data's booking URLs, :func:`app.ledger.parcel_booking.carrier_adapters`).
    ``carrier_tokens``: each carrier's token for its tracking webhook (code -> token);
    ``carrier_feeds``: carriers whose event feeds are pulled every ``track_every_s``.
    """
    lifespan = expiry_lifespan(engine, expire_every_s, sender) if expire_every_s else None
    if carrier_feeds and track_every_s > 0:
        lifespan = with_tracking_pull(lifespan, engine, carrier_feeds, track_every_s)
    app = FastAPI(title="Counterbench stock ledger", version="1", lifespan=lifespan)
    app.state.engine = engine
    app.state.pushes = PushQueue(engine)
    app.state.sender = sender
    app.state.tokens = Tokens(
        admin=admin_token, intake=intake_token, carriers=dict(carrier_tokens or {})
    )
    app.state.carrier_adapters = carrier_adapters
    app.include_router(sync.router, prefix=API_PREFIX)
    app.include_router(orders.router, prefix=API_PREFIX)
    app.include_router(pickups.router, prefix=API_PREFIX)
    app.include_router(transfers.router, prefix=API_PREFIX)
    app.include_router(messages.router, prefix=API_PREFIX)
    app.include_router(master.router, prefix=API_PREFIX)
    app.include_router(master_bins.router, prefix=API_PREFIX)
    app.include_router(master_shipping.router, prefix=API_PREFIX)
    app.include_router(invoices.router, prefix=API_PREFIX)
    app.include_router(parcels.router, prefix=API_PREFIX)
    app.include_router(tracking.router, prefix=API_PREFIX)
    app.include_router(sales.router, prefix=API_PREFIX)
    app.include_router(return_lookup.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["health"])
    def health() -> Response:
        with reader(engine).connect() as conn:
            seq = conn.execute(select(table_of(LedgerHead).c.last_seq)).scalar_one()
        body = Health(ledger_seq=int(seq), database=engine.dialect.name)
        return Response(body.model_dump_json(), media_type=JSON)

    app.add_middleware(Gate, limits=limits)
    install_error_handlers(app)
    install_contract(app)
    install_versions(app)  # Counterbench-Protocol on every answer; 426 for too old
    return app
