"""``counterbench ledger``: serve, seed, enrol-code, revoke-device, expire-holds, verify-audit,
and the customer messages' remind-pickups, send-messages and messages; reasons; quarantine;
route --explain."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app import config
from app.commands import (
    ledger_carrier_tokens,
    ledger_import,
    ledger_messages,
    ledger_quarantine,
    ledger_reasons,
    ledger_route,
    ledger_tokens,
    ledger_tracking,
)
from app.errors import KnownError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("ledger", help="run and administer the central stock ledger")
    add_actions(parser)


def main(argv: list[str] | None = None) -> int:
    """``python -m app.commands.ledger ACTION``: the ledger alone, without the other groups."""
    parser = argparse.ArgumentParser(prog="counterbench ledger")
    add_actions(parser)
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except KnownError as exc:
        print(f"counterbench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


def add_actions(parser: argparse.ArgumentParser) -> None:
    """The ledger's subcommands: serve, seed, enrol-code, revoke-device, verify-audit."""
    sub = parser.add_subparsers(dest="ledger_command", required=True, metavar="ACTION")

    serve = sub.add_parser("serve", help="serve the ledger HTTP API (migrates the database)")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    ledger_tokens.add_token_options(serve)
    ledger_carrier_tokens.add_carrier_token_option(serve)
    ledger_tracking.add_tracking_options(serve)
    serve.add_argument("--certfile", default=None, help="serve HTTPS with this certificate")
    serve.add_argument("--keyfile", default=None)
    serve.add_argument(
        "--expire-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how often to queue pickup reminders, cancel pickups not collected in their "
        "hold and send customer messages (default 60; 0: never)",
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes sharing the port (default 1)"
    )
    serve.add_argument(
        "--pool-size",
        type=int,
        default=8,
        help="database connections kept per process (up to twice that at peaks)",
    )
    serve.add_argument(
        "--carrier-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for a carrier's answer when booking a parcel (default 10)",
    )
    ledger_messages.add_sender_options(serve)
    _limit_options(serve)
    serve.set_defaults(run=_serve)

    seed = sub.add_parser("seed", help="load demo, bench or tiny data (idempotent)")
    _db_option(seed)
    profile = seed.add_mutually_exclusive_group(required=True)
    for name in ("demo", "bench", "tiny"):
        profile.add_argument(f"--{name}", dest="profile", action="store_const", const=name)
    seed.set_defaults(run=_seed)

    code = sub.add_parser("enrol-code", help="print a one-time code to enrol a station")
    _db_option(code)
    code.add_argument("--location", required=True, help="location code, e.g. BLR-01")
    code.add_argument("--kind", choices=("counter", "bench"), default="counter")
    code.set_defaults(run=_enrol_code)

    revoke = sub.add_parser("revoke-device", help="revoke a station's token")
    _db_option(revoke)
    revoke.add_argument("device_id")
    revoke.set_defaults(run=_revoke)

    expire = sub.add_parser("expire-holds", help="cancel pickups not collected in their hold")
    _db_option(expire)
    expire.add_argument("--now", default=None, help="server time to expire at (ISO 8601)")
    expire.set_defaults(run=_expire_holds)

    ledger_messages.add_actions(sub, _db_option, _engine)
    ledger_reasons.add_actions(sub, _db_option, _engine)
    ledger_import.add_actions(sub, _db_option, _engine)
    ledger_quarantine.add_actions(sub, _db_option, _engine)
    ledger_route.add_actions(sub, _db_option, _engine)

    audit = sub.add_parser("verify-audit", help="check the audit log's hash chain")
    _db_option(audit)
    audit.set_defaults(run=_verify_audit)

    ship = sub.add_parser("ship-transfer", help="ship a ship-for-pickup transfer to its store")
    _db_option(ship)
    ship.add_argument("transfer_id", type=int, metavar="N")
    ship.add_argument("--by", default="warehouse", help="who dispatched it (for the timeline)")
    ship.set_defaults(run=_ship_transfer)

    listing = sub.add_parser("transfers", help="list ship-for-pickup transfers")
    _db_option(listing)
    listing.add_argument("--status", default=None, help="open, shipped, received or cancelled")
    listing.add_argument("--location", default=None, help="from or to this location code")
    listing.set_defaults(run=_list_transfers)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, help="database URL (default: the ledger SQLite file)")


def _limit_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--enrol-limit",
        type=_rate,
        default="10/6",
        metavar="BURST/PER_MINUTE",
        help="enrolment attempts per client address (default %(default)s); more get 429",
    )
    serve.add_argument(
        "--bad-token-limit",
        type=_rate,
        default="30/30",
        metavar="BURST/PER_MINUTE",
        help="requests with an unknown token per client address (default %(default)s)",
    )


def _rate(text: str) -> Any:
    from app.ledger.api.limits import Rate

    try:
        return Rate.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _tokens(args: argparse.Namespace) -> tuple[str, str]:
    admin = ledger_tokens.token_of(ledger_tokens.ADMIN, args)
    intake = ledger_tokens.token_of(ledger_tokens.INTAKE, args)
    if admin == intake:
        raise KnownError(
            "The admin and order-intake tokens are the same.",
            next_step="Give the order-intake token its own value.",
        )
    return admin, intake


def _engine(args: argparse.Namespace) -> Any:
    from app.ledger.db import make_engine
    from app.ledger.migrate import upgrade

    url = config.ledger_db_url(args.db)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, pool_size=getattr(args, "pool_size", 8))
    upgrade(engine)
    return engine


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app import log

    log.configure(log_dir=None)
    admin, intake = _tokens(args)
    engine = _engine(args)
    args.carrier_tokens = ledger_carrier_tokens.carrier_tokens(
        args, ledger_tracking.partner_codes(engine)
    )
    if args.workers > 1:
        from app.commands.ledger_workers import serve_workers

        engine.dispose()
        return serve_workers(args, (admin, intake), config.ledger_db_url(args.db))
    app = ledger_api(engine, args, (admin, intake))
    scheme = "https" if args.certfile else "http"
    log.get("ledger").info("ledger serving on %s://%s:%s", scheme, args.host, args.port)
    uvicorn.run(app, **server_options(args))
    return 0


def ledger_api(engine: Any, args: argparse.Namespace, tokens: tuple[str, str]) -> Any:
    """The ledger API on ``engine`` with the ``serve`` options ``args`` (rates parsed);
    ``tokens``: the admin and the order-intake token. One process or each worker."""
    from app.ledger.api.app import create_app
    from app.ledger.api.limits import Limits
    from app.ledger.parcel_booking import carrier_adapters

    return create_app(
        engine,
        tokens[0],
        intake_token=tokens[1],
        expire_every_s=args.expire_every,
        sender=ledger_messages.sender_from_args(args),
        limits=Limits(enrol=args.enrol_limit, bad_token=args.bad_token_limit),
        carrier_adapters=carrier_adapters(timeout_s=args.carrier_timeout),
        carrier_tokens=getattr(args, "carrier_tokens", None),
        carrier_feeds=ledger_tracking.carrier_feeds(engine, args),
        track_every_s=getattr(args, "track_every", 60.0),
    )


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's options from the ``serve`` options: address, TLS, quiet logs."""
    return {
        "host": args.host,
        "port": args.port,
        "log_level": "warning",
        "access_log": False,
        "ssl_certfile": args.certfile,
        "ssl_keyfile": args.keyfile,
    }


def _seed(args: argparse.Namespace) -> int:
    from app.ledger.seed import seed

    report = seed(_engine(args), args.profile)
    print(report)
    return 0


def _enrol_code(args: argparse.Namespace) -> int:
    from app.ledger.devices import create_enrol_code

    code = create_enrol_code(_engine(args), args.location, args.kind)
    print(f"One-time enrol code for a {args.kind} at {args.location}:")
    print(code)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from app.ledger.devices import revoke_device

    revoke_device(_engine(args), args.device_id)
    print(f"Device {args.device_id} is revoked.")
    return 0


def _expire_holds(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from app.ledger.holds import expire_holds

    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError as exc:
            raise KnownError(f"--now is not an ISO 8601 time: {args.now}") from exc
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    expired = expire_holds(_engine(args), now)
    print(f"Expired {len(expired)} pickup hold(s): {', '.join(expired) or 'none'}")
    return 0


def _verify_audit(args: argparse.Namespace) -> int:
    from app.ledger.audit import verify_chain

    with _engine(args).connect() as conn:
        report = verify_chain(conn)
    if report.ok:
        print(f"Audit log verified: {report.entries} entries in {report.chains} chain(s).")
        return 0
    print(f"Audit log BROKEN at entry {report.broken_at}.")
    return 1


def _transfer_line(t: Any) -> str:
    items = ", ".join(
        f"{x.sku} {x.shipped}/{x.quantity} shipped, {x.received} received" for x in t.lines
    )
    return (
        f"Transfer {t.id} from {t.from_location} to {t.to_location}, order {t.order_number}: "
        f"{t.status}; {items}"
    )


def _ship_transfer(args: argparse.Namespace) -> int:
    from app.ledger.transfers import ship_transfer

    print(_transfer_line(ship_transfer(_engine(args), args.transfer_id, args.by)))
    return 0


def _list_transfers(args: argparse.Namespace) -> int:
    from app.ledger.transfers import list_transfers

    found = list_transfers(_engine(args), args.status, args.location)
    for transfer in found:
        print(_transfer_line(transfer))
    if not found:
        print("No transfers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
