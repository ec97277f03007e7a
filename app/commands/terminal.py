"""``counterbench terminal``: the station's GUI."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "terminal", help="open the counter/bench terminal window"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the station's data directory (default: COUNTERBENCH_DATA_DIR or the user data dir)",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from app.main import run_terminal

    return run_terminal(args.data_dir)
