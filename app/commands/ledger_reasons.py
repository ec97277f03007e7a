"""``counterbench ledger reasons``: list, add or disable the retailer's rejection reasons.

Each reason has words staff see, a stock effect (none, not_found, damaged) and where it
may be chosen (short_pick, ship_reject, handover, count). Stations get changes with their
next sync; a reason is disabled, never deleted, so steps made offline keep their effect.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.commands.ledger_run import run_on_engine
from app.domain.reasons import EFFECT_WORDS, Reason, ReasonEffect, ReasonUse


def add_actions(sub: Any, db_option: Any, engine_of: Any) -> None:
    """Add ``reasons list|add|disable`` to the ledger's subcommands."""
    reasons = sub.add_parser("reasons", help="list, add or disable rejection reasons")
    actions = reasons.add_subparsers(dest="reasons_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="every reason, its effect and where it is offered")
    db_option(listing)
    listing.set_defaults(run=lambda args: run_on_engine(engine_of(args), _list, args))

    add = actions.add_parser("add", help="add a reason, or change one with the same code")
    db_option(add)
    add.add_argument("code", help="a short code, e.g. not_found")
    add.add_argument("label", help="the words staff see, e.g. 'Not found on the shelf'")
    add.add_argument(
        "--effect",
        default=ReasonEffect.NONE.value,
        help=f"stock effect: {', '.join(e.value for e in ReasonEffect)} (default none)",
    )
    add.add_argument(
        "--applies-to",
        default=ReasonUse.SHORT_PICK.value,
        help=f"where it is offered, comma separated: {', '.join(u.value for u in ReasonUse)}",
    )
    add.add_argument("--order", type=int, default=0, help="place in the list (default: last)")
    add.set_defaults(run=lambda args: run_on_engine(engine_of(args), _add, args))

    disable = actions.add_parser("disable", help="stop offering a reason")
    db_option(disable)
    disable.add_argument("code")
    disable.set_defaults(run=lambda args: run_on_engine(engine_of(args), _disable, args))


def _line(reason: Reason) -> str:
    state = "" if reason.active else "  (disabled)"
    uses = ",".join(u.value for u in reason.applies_to)
    return f"{reason.code:<22} {reason.label:<32} {EFFECT_WORDS[reason.effect]:<44} {uses}{state}"


def _list(_args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.reasons import list_reasons

    for reason in list_reasons(engine):
        print(_line(reason))
    return 0


def _add(args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.reasons import add_reason, new_reason

    reason = new_reason(args.code, args.label, args.effect, args.applies_to, args.order)
    print("Saved: " + _line(add_reason(engine, reason)))
    return 0


def _disable(args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.reasons import disable_reason

    reason = disable_reason(engine, args.code)
    print(f"Reason {reason.code} is disabled: it is no longer offered.")
    return 0
