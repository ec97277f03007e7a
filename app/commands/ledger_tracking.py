"""``ledger serve``'s tracking options: each carrier's webhook token
(:mod:`.ledger_carrier_tokens`) and the carriers whose event feeds the ledger pulls
(``--carrier-feed CODE=URL``, every ``--track-every`` seconds)."""

from __future__ import annotations

import argparse
from typing import Any

from app.carriers.adapter import CarrierAdapter
from app.errors import KnownError


def add_tracking_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--carrier-feed",
        action="append",
        default=[],
        metavar="CODE=URL",
        help="pull carrier CODE's tracking events from its API at URL (repeat per carrier)",
    )
    serve.add_argument(
        "--track-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how often to pull the carriers' tracking events (default 60; 0: never)",
    )


def partner_codes(engine: Any) -> list[str]:
    """The codes of the partner carriers in the master data (they get tracking tokens)."""
    return [code for code, (_, kind) in _carriers(engine).items() if kind == "partner"]


def carrier_feeds(engine: Any, args: argparse.Namespace) -> dict[str, CarrierAdapter]:
    """The adapters of the carriers named by ``--carrier-feed`` (known to the master data)."""
    from app.carriers.choose import adapter_for

    known = _carriers(engine)
    feeds: dict[str, CarrierAdapter] = {}
    for given in getattr(args, "carrier_feed", None) or []:
        code, _, url = str(given).partition("=")
        if code not in known or not url.strip():
            raise KnownError(
                f"--carrier-feed {given}: no carrier {code} in the master data, or no URL.",
                next_step="Give CODE=URL with a carrier code of the carriers master data.",
            )
        name, kind = known[code]
        feeds[code] = adapter_for(code=code, name=name, kind=kind, booking_url=url)
    return feeds


def _carriers(engine: Any) -> dict[str, tuple[str, str]]:
    from sqlalchemy import select

    from app.ledger.models import Carrier, table_of

    carriers = table_of(Carrier)
    with engine.connect() as conn:
        rows = conn.execute(select(carriers.c.code, carriers.c.name, carriers.c.kind))
        return {str(code): (str(name), str(kind)) for code, name, kind in rows}
