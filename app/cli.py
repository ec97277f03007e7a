"""The ``counterbench`` entry point: terminal, ledger, station, label, demo, carrier-sim.

Each command group lives in ``app/commands/<group>.py`` (``-`` in a name becomes ``_``) and exposes
``register(subparsers)``; a group's heavy imports happen only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app.errors import KnownError
from app.storage import files

GROUPS = ("terminal", "ledger", "station", "label", "demo", "carrier-sim")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counterbench",
        description="Store counter and warehouse bench terminal, and its stock ledger.",
    )
    sub = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for group in GROUPS:
        module = importlib.import_module(f"app.commands.{group.replace('-', '_')}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    files.keep_private()  # every file a command makes (cache, logs, settings) is 0600
    try:
        result: int = args.run(args)
    except KnownError as exc:
        print(f"counterbench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
