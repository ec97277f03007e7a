"""Running one ``counterbench ledger`` action on the ledger database, shared by the
subcommand modules."""

from __future__ import annotations

import argparse
from typing import Any


def run_on_engine(engine: Any, action: Any, args: argparse.Namespace) -> int:
    """Run one action and close the database connections after it."""
    try:
        result: int = action(args, engine)
        return result
    finally:
        engine.dispose()
