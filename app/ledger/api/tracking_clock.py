"""The tracking pull while the ledger serves: a ``tracking-pull`` thread reads every
booked carrier's event feed each round (:mod:`app.ledger.tracking.pull`), so an event
whose push to the webhook was missed is filled in within a round."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from app import log
from app.carriers.adapter import CarrierAdapter
from app.ledger.api.expiry import Ticker
from app.ledger.tracking.pull import pull_carrier

_log = log.get("tracking")
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def with_tracking_pull(
    inner: Lifespan | None,
    engine: Engine,
    feeds: Mapping[str, CarrierAdapter],
    every_s: float,
) -> Lifespan:
    """``inner`` (another lifespan, if any) with the tracking pull running beside it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ticker = Ticker("tracking-pull", every_s, lambda stop: pull_feeds(engine, feeds, stop))
        ticker.start()
        try:
            if inner is None:
                yield
            else:
                async with inner(app):
                    yield
        finally:
            ticker.stop()

    return lifespan


def pull_feeds(
    engine: Engine, feeds: Mapping[str, CarrierAdapter], stopping: threading.Event
) -> None:
    """One round: each carrier's feed, each failure logged (the next round tries again)."""
    for code, adapter in feeds.items():
        if stopping.is_set():
            return
        try:
            pulled = pull_carrier(engine, adapter)
        except Exception:
            _log.exception("pulling %s's tracking events failed", code)
            continue
        if pulled.applied or pulled.unknown:
            _log.info(
                "%s tracking: %d applied, %d about parcels we do not know (cursor %d)",
                code, pulled.applied, pulled.unknown, pulled.cursor,
            )  # fmt: skip
