"""``counterbench carrier-sim``: the carrier simulator on 127.0.0.1, for the demo.

counterbench carrier-sim [--port N] [--webhook URL] [--prefixes 1,2,…] [--series SW]

Make it slow, refusing or down while it runs:
``curl -X POST localhost:N/sim/mode -H 'Content-Type: application/json' -d '{"fault": "down"}'``.
"""

from __future__ import annotations

import argparse
from typing import Any

DEFAULT_PORT = 8790


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "carrier-sim", help="serve the carrier simulator on 127.0.0.1 (for the demo)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--webhook", default="", help="POST each tracking event to this URL")
    parser.add_argument(
        "--prefixes",
        default="1,2,3,4,5,6,7,8",
        help="pincode prefixes it delivers to, comma-separated (default: all of India)",
    )
    parser.add_argument("--series", default="SW", help="letters its tracking numbers start with")
    parser.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app import log
    from app.carrier_sim.api import create_sim_app
    from app.carrier_sim.state import SimCarrier

    log.configure(log_dir=None)
    prefixes = [p.strip() for p in args.prefixes.split(",") if p.strip()]
    app = create_sim_app(SimCarrier(prefixes=prefixes, series=args.series), webhook=args.webhook)
    log.get("carrier_sim").info("carrier simulator serving on http://127.0.0.1:%s", args.port)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0
