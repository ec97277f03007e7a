"""``counterbench ledger quarantine``: list the operations held at the ledger, replay one.

An operation is held when it failed in a way no rule foresaw, or its type is newer than
this ledger (:mod:`app.ledger.quarantine`). After the fix or the upgrade, ``replay ID``
applies it once, as its station sent it; one that fails again stays held with the new
error.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.commands.ledger_run import run_on_engine

if TYPE_CHECKING:
    from app.ledger.op_types import Registry


def add_actions(sub: Any, db_option: Any, engine_of: Any) -> None:
    """Add ``quarantine list|replay`` to the ledger's subcommands."""
    quarantine = sub.add_parser("quarantine", help="operations held at the ledger: list, replay")
    actions = quarantine.add_subparsers(dest="quarantine_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="operations still held, oldest first")
    db_option(listing)
    listing.add_argument("--all", action="store_true", help="replayed ones too")
    listing.set_defaults(run=lambda args: run_on_engine(engine_of(args), list_held, args))

    again = actions.add_parser("replay", help="apply a held operation after a fix")
    db_option(again)
    again.add_argument("id", type=int, metavar="ID")
    again.set_defaults(run=lambda args: run_on_engine(engine_of(args), replay_held, args))


def list_held(args: argparse.Namespace, engine: Any) -> int:
    """Print the held operations (``--all``: replayed ones too)."""
    from app.ledger.quarantine import list_held as held

    found = held(engine, everything=args.all)
    for op in found:
        print(
            f"{op.id:>5}  {op.status:<8} {op.created_at:%Y-%m-%d %H:%M}  {op.type:<18} "
            f"device {op.device_id} #{op.device_seq}  op {op.op_id}  tries {op.attempts}"
        )
        print(f"       {op.cause}: {op.error}")
    if not found:
        print("Nothing is held at the ledger.")
    return 0


def replay_held(args: argparse.Namespace, engine: Any, registry: Registry | None = None) -> int:
    """Replay held operation ``args.id`` by ``registry`` (default: this ledger's types);
    0 when it was applied (or a rule refused it), 1 when it failed again and stays held."""
    from app.ledger.op_types import LEDGER_OP_TYPES
    from app.ledger.quarantine import REPLAYED, replay

    done = replay(engine, args.id, registry or LEDGER_OP_TYPES)
    if done.status != REPLAYED or done.result is None:
        print(f"Quarantined operation {done.id} failed again and stays held: {done.error}")
        return 1
    result = done.result
    if result.status.value == "applied":
        flags = f"; flagged: {', '.join(result.exceptions)}" if result.exceptions else ""
        print(
            f"Quarantined operation {done.id} is applied (ledger_seq {result.ledger_seq}){flags}."
        )
    else:
        print(f"Quarantined operation {done.id} was refused by a rule: {result.reason}")
    return 0
