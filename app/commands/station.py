"""``counterbench station …``: enrol, sync, status and count from the command line."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.errors import BadInput

if TYPE_CHECKING:
    from app.services.results import CountCheck


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("station", help="enrol, sync and inspect this station")
    sub = parser.add_subparsers(dest="station_command", required=True, metavar="ACTION")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", help="station data directory (default: user data dir)")
        return p

    enrol = add("enrol", "enrol this station with a ledger using a one-time code")
    enrol.add_argument("--ledger", required=True, help="ledger address, e.g. http://host:8400")
    enrol.add_argument("--code", required=True, help="one-time enrolment code from IT")
    enrol.add_argument("--name", default="", help="station name (default: host name)")
    enrol.add_argument("--kind", choices=("counter", "bench"), default="counter")
    enrol.add_argument(
        "--discard-pending",
        action="store_true",
        help="drop operations not yet sent (the ledger records how many); without it the "
        "new enrolment adopts and sends them",
    )
    enrol.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// ledger on another machine (kept in security.json)",
    )
    enrol.set_defaults(run=_enrol)

    sync = add("sync", "push pending operations and pull changes now")
    sync.add_argument("--watch", action="store_true", help="keep syncing until interrupted")
    sync.set_defaults(run=_sync)

    status = add("status", "show enrolment, sync state and pending operations")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(run=_status)

    count = add("count", "record a stock count here (sent with the next sync)")
    count.add_argument("item", metavar="SKU_OR_GTIN")
    count.add_argument("observed", type=int, metavar="OBSERVED")
    count.add_argument(
        "--bucket", default="sellable", choices=("sellable", "quarantine", "damaged", "in_transit")
    )
    count.add_argument("--staff", help="staff code of who counted")
    count.add_argument(
        "--first-count",
        type=int,
        metavar="N",
        help="a count far from the book is counted twice: the first count, OBSERVED the second",
    )
    count.add_argument("--reason", default="", help="why a count far from the book differs")
    count.set_defaults(run=_count)

    scanner = add("scanner", "show or set how this station reads its barcode scanner")
    scanner.add_argument(
        "--gap-ms", type=int, help="longest gap between two keys of one scan (default 40)"
    )
    scanner.add_argument(
        "--min-length", type=int, help="shortest code that counts as a scan (default 4)"
    )
    scanner.add_argument(
        "--prefix", help="key or character the scanners send before a code: F13, STX, ] or none"
    )
    scanner.add_argument(
        "--suffix", help="what ends a code besides Enter: Tab, ETX, a character, or none"
    )
    scanner.add_argument(
        "--gs-char", help="character the scanners send for GS (FNC1) instead of Ctrl+], or none"
    )
    scanner.add_argument("--reset", action="store_true", help="back to the defaults")
    scanner.set_defaults(run=_scanner)

    security = add("security", "show or set PIN length and whether plain http is allowed")
    security.add_argument("--pin-digits", type=int, choices=(4, 6), help="digits in a PIN")
    security.add_argument(
        "--allow-http",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="allow (or refuse again) a plain http:// ledger on another machine",
    )
    security.set_defaults(run=_security)


def _open(args: argparse.Namespace) -> Any:
    from app import config, log
    from app.services.station import build_station

    data = config.data_dir(args.data_dir)
    log.configure(log_dir=config.StationPaths(data).logs)
    return build_station(data)


def _enrol(args: argparse.Namespace) -> int:
    import socket

    if args.allow_http:
        _set_security(args.data_dir, allow_http=True)
    station = _open(args)
    try:
        status = station.enrolment.enrol(
            args.ledger,
            args.code,
            args.name or socket.gethostname(),
            args.kind,
            discard_pending=args.discard_pending,
        )
    finally:
        station.close()
    print(_status_text(status))
    return 0


def _sync(args: argparse.Namespace) -> int:
    station = _open(args)
    try:
        if args.watch:
            return _watch(station)
        report = station.sync.sync_once()
        if report.skipped:
            print(f"Not synced here: {report.skipped}; it sends and pulls for this station.")
            return 0
        print(
            f"pushed {report.pushed} (applied {report.applied}, rejected {report.rejected}), "
            f"pulled {report.pulled} change(s), "
            f"snapshots {', '.join(report.snapshots) or 'none'}, cursor {report.cursor}"
        )
        if report.push_blocked:
            print(f"sending stopped: {report.push_blocked}")
            return 1
        return 0
    finally:
        station.close()


def _watch(station: Any) -> int:
    """Sync in the background until SIGINT or SIGTERM; say when another process syncs."""
    import signal
    import threading

    stop = threading.Event()

    def _on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        station.sync.start()
        print("Syncing this station until stopped (Ctrl+C).", flush=True)
        shown = ""
        while not stop.wait(0.5):
            note = station.sync.note
            if note != shown:
                print(f"Waiting: {note}." if note else "Syncing here again.", flush=True)
                shown = note
        station.sync.stop()
        print("Stopped.", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _status(args: argparse.Namespace) -> int:
    station = _open(args)
    try:
        status = station.status.status()
    finally:
        station.close()
    if args.json:
        print(json.dumps(asdict(status), default=_json_default, indent=2))
    else:
        print(_status_text(status))
    return 0


def _count(args: argparse.Namespace) -> int:
    from app.domain.stock import Bucket
    from app.services.results import CountCheck

    station = _open(args)
    try:
        staff = station.auth.session_for(args.staff) if args.staff else None
        answer = station.stock.count(
            staff,
            args.item,
            args.observed,
            Bucket(args.bucket),
            first_count=args.first_count,
            reason=args.reason,
        )
    finally:
        station.close()
    if isinstance(answer, CountCheck):
        message, next_step = _count_wanted(answer, args.observed)
        raise BadInput(message, next_step=next_step)
    print(
        f"counted {answer.observed} of {answer.sku} ({answer.bucket.value}), "
        f"difference {answer.difference:+d}, operation {answer.device_seq}"
    )
    print(answer.op_id)
    return 0


def _count_wanted(check: CountCheck, observed: int) -> tuple[str, str]:
    """What a count far from the book still needs, said for the command line."""
    if check.wants == "recount":
        return (
            "Not recorded: this count is far from the book, so it is counted twice.",
            f"Count again, then run the same command with --first-count {observed} "
            "and the new count as OBSERVED.",
        )
    codes = ", ".join(f"{code} ({words})" for code, words in check.reasons)
    return (
        "Not recorded: the recount is still far from the book, so it needs a reason.",
        f"Run the same command again with --reason CODE, one of: {codes}.",
    )


def _scanner(args: argparse.Namespace) -> int:
    from app import config
    from app.services import scan_settings as scanner

    data = config.data_dir(args.data_dir)
    current = scanner.ScanSettings() if args.reset else scanner.load_scan_settings(data)
    keys = {"prefix": args.prefix, "suffix": args.suffix, "gs_stand_in": args.gs_char}
    wanted = scanner.changed(
        current,
        max_gap_ms=args.gap_ms,
        min_length=args.min_length,
        **{name: "" if value == "none" else value for name, value in keys.items()},
    )
    if args.reset or wanted != current:
        path = scanner.save_scan_settings(data, wanted)
        print(f"Saved in {path}; the terminal reads it when it starts.")
    print(scanner.describe(wanted))
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _status_text(status: Any) -> str:
    if not status.enrolled:
        return "Not enrolled. Run: counterbench station enrol --ledger URL --code CODE"
    age = status.oldest_pending_age_s
    oldest = f", oldest {_age(age)} old" if age is not None else ""
    last = (
        status.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if (status.last_sync_at)
        else "never"
    )
    lines = [
        f"Station   {status.station_name} ({status.station_kind}) at "
        f"{status.location_code} {status.location_name}",
        f"Ledger    {'online' if status.online else 'OFFLINE'}, cursor {status.cursor}, "
        f"last sync {last}",
        f"Pending   {status.pending_ops} operation(s){oldest}",
        f"Exceptions {status.open_exceptions} open",
    ]
    if status.last_error:
        lines.append(f"Problem   {status.last_error}")
    if status.sync_note:
        lines.append(f"Note      {status.sync_note}")
    clock = _clock_warning(status.clock_skew_s)
    if clock:
        lines.append(f"Clock     {clock}")
    return "\n".join(lines)


def _clock_warning(skew_s: float | None) -> str:
    from datetime import timedelta

    from app.domain.clock_skew import station_warning

    return station_warning(None if skew_s is None else timedelta(seconds=skew_s))


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _security(args: argparse.Namespace) -> int:
    settings = _set_security(args.data_dir, pin_digits=args.pin_digits, allow_http=args.allow_http)
    print(
        f"PINs have {settings.pin_digits} digits; plain http to a ledger on the network is "
        f"{'allowed' if settings.allow_http else 'refused'}."
    )
    return 0


def _set_security(data_dir: str | None, **wanted: Any) -> Any:
    """Change the given choices in the station's security.json; returns the settings."""
    from dataclasses import replace

    from app import config
    from app.services import security_settings as security

    data = config.data_dir(data_dir)
    current = security.load_security(data)
    changes = {name: value for name, value in wanted.items() if value is not None}
    settings = replace(current, **changes)
    if settings != current:
        path = security.save_security(data, settings)
        print(f"Saved in {path}; the terminal reads it when it starts.")
    return settings
