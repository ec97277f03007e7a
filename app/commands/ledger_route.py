"""``counterbench ledger route --explain ORDER``: why a ship order went where it did.

Prints each routing decision of the order (routed, then any reroutes) with its time,
where it went, and the explanation kept with it: the winner, the runner-up and why not,
the locations passed over. An order the ledger does not hold is an error (exit 2).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.commands.ledger_run import run_on_engine


def add_actions(sub: Any, db_option: Any, engine_of: Any) -> None:
    """Add ``route --explain ORDER`` to the ledger's subcommands."""
    route = sub.add_parser("route", help="ship routing: why an order went where it did")
    db_option(route)
    route.add_argument(
        "--explain", required=True, metavar="ORDER", help="the order number to explain"
    )
    route.set_defaults(run=lambda args: run_on_engine(engine_of(args), explain_route, args))


def explain_route(args: argparse.Namespace, engine: Any) -> int:
    """Print the routing decisions of order ``args.explain``."""
    from app.ledger.route_decisions import decisions_of

    found = decisions_of(engine, args.explain)
    if not found:
        print(f"Order {args.explain} has no ship routing decision (a pickup order, or older).")
        return 0
    for decision in found:
        went = ", ".join(decision.locations) or "nowhere"
        flag = f" (HQ exception {decision.exception_id})" if decision.exception_id else ""
        print(f"{decision.at:%Y-%m-%d %H:%M} UTC  {decision.kind} to {went}{flag}")
        for sentence in decision.explanation:
            print(f"  {sentence}")
    return 0
