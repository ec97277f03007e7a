"""``counterbench ledger import KIND FILE.csv`` (items, locations, staff, stock, reasons,
bins, gst_rates, carriers, carrier_pincodes, location_carriers, boxes, and sales: walk-in
sales from the till); ``set-pin``.

Every row is checked first; each bad row is printed with its line number and what to
fix, and nothing is imported unless ``--skip-bad-rows`` is given (then the good rows are).
Exit status: 0 imported, 1 bad rows (nothing imported), 2 the file cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.domain.master_rows import MasterKind
from app.errors import BadInput

MAX_LISTED = 200  # bad rows printed one by one; the rest are counted


def add_actions(sub: Any, db_option: Any, engine_of: Any) -> None:
    """Add ``import KIND FILE`` to the ledger's subcommands."""
    parser = sub.add_parser(
        "import",
        help="import items, locations, staff, opening stock, reasons, shelf bins, GST rates, "
        "carriers, their pincodes, who collects where, boxes, or till sales from a CSV file",
        description="Checks every row; reports each bad row by line and imports nothing "
        "unless --skip-bad-rows. A bins file replaces the shelf bins of each location it "
        "names. CSV formats: see the README (Master data).",
    )
    db_option(parser)
    parser.add_argument("kind", choices=[k.value for k in MasterKind])
    parser.add_argument("file", type=Path, metavar="FILE.csv")
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="import the good rows, report the bad"
    )
    parser.add_argument("--by", default="admin", help="who imports (for the audit log)")
    parser.set_defaults(run=lambda args: _import(args, engine_of))

    pin = sub.add_parser(
        "set-pin",
        help="a manager sets or resets a staff member's PIN (asked for, never an option)",
    )
    db_option(pin)
    pin.add_argument("staff", help="whose PIN, e.g. A100")
    pin.add_argument("--by", required=True, help="the manager's staff code, e.g. M300")
    pin.set_defaults(run=lambda args: _set_pin(args, engine_of))


def _import(args: argparse.Namespace, engine_of: Any) -> int:
    from app.domain.master_rows import read_rows
    from app.ledger.master_data.importing import ImportRefused, run_import
    from app.ledger.master_data.writers import writer_for

    kind = MasterKind(args.kind)
    lines = _read_lines(args.file)
    parsed = read_rows(kind, lines)
    engine = engine_of(args)
    try:
        report = run_import(
            engine, parsed, writer_for(kind), skip_bad_rows=args.skip_bad_rows, actor=args.by
        )
    except ImportRefused as exc:
        _print_problems(exc.problems, sys.stderr)
        print(f"counterbench: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    _print_problems(report.problems, sys.stderr)
    notes = f" {'; '.join(report.notes)}." if report.notes else ""
    print(report.summary() + notes)
    return 0


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise BadInput(
            f"{path} is not UTF-8 text.", next_step="Save it as 'CSV UTF-8' and import again."
        ) from None
    return text.splitlines(keepends=True)


def _print_problems(problems: Any, out: Any) -> None:
    for problem in problems[:MAX_LISTED]:
        print(str(problem), file=out)
    if len(problems) > MAX_LISTED:
        print(f"… and {len(problems) - MAX_LISTED} more bad rows.", file=out)


def _set_pin(args: argparse.Namespace, engine_of: Any) -> int:
    import getpass

    from app.ledger.master_data.staff import set_pin

    pin = getpass.getpass(f"New PIN for {args.staff.upper()}: ")
    if getpass.getpass("The same PIN again: ") != pin:
        raise BadInput("The two PINs differ; nothing changed.", next_step="Try again.")
    engine = engine_of(args)
    try:
        set_pin(engine, args.staff, pin, by=args.by)
    finally:
        engine.dispose()
    print(
        f"PIN of {args.staff.upper()} set by {args.by.upper()}; stations get it at their next sync."
    )
    return 0
