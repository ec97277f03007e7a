"""``counterbench ledger`` actions for customer messages: remind-pickups, send-messages,
messages; and the sender options ``serve`` shares.

Messages go to a JSON-lines file (``--messages-file``, ``COUNTERBENCH_MESSAGES_FILE``,
default ``customer-messages.jsonl`` in the data directory); email goes by SMTP when a host
is given (``--smtp-host`` or ``COUNTERBENCH_SMTP_HOST``; the login comes from
``COUNTERBENCH_SMTP_USER`` and ``COUNTERBENCH_SMTP_PASSWORD`` only).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import config
from app.errors import KnownError, RuleRefused

if TYPE_CHECKING:
    from app.ledger.senders import MessageSender


def add_actions(sub: Any, db_option: Any, engine_of: Any) -> None:
    """Add remind-pickups, send-messages and messages to the ledger's subcommands."""
    remind = sub.add_parser("remind-pickups", help="queue the pickup reminders due now")
    db_option(remind)
    remind.add_argument("--now", default=None, help="server time to remind at (ISO 8601)")
    remind.set_defaults(run=lambda args: _remind(args, engine_of(args)))

    send = sub.add_parser("send-messages", help="send the queued customer messages")
    db_option(send)
    send.add_argument("--now", default=None, help="server time to send at (ISO 8601)")
    send.add_argument("--max-attempts", type=int, default=5, help="tries before giving up")
    add_sender_options(send)
    send.set_defaults(run=lambda args: _send(args, engine_of(args)))

    show = sub.add_parser("messages", help="list customer messages, or resend one")
    db_option(show)
    show.add_argument("--order", default=None, help="one order's messages, with their text")
    show.add_argument(
        "--state", choices=("queued", "sending", "sent", "failed", "skipped"), default=None
    )
    show.add_argument("--limit", type=int, default=200)
    show.add_argument(
        "--requeue", type=int, default=None, metavar="ID",
        help="send a stuck (sending) or failed message again on the next run",
    )  # fmt: skip
    show.set_defaults(run=lambda args: _messages(args, engine_of(args)))


def add_sender_options(parser: argparse.ArgumentParser) -> None:
    """Where customer messages go: the messages file, and SMTP for email."""
    parser.add_argument("--messages-file", default=None, help="JSON lines file for messages")
    parser.add_argument("--smtp-host", default=None, help="send email through this server")
    parser.add_argument("--smtp-port", type=int, default=None)
    parser.add_argument("--smtp-from", default=None, help="the From: address")
    parser.add_argument("--smtp-starttls", action="store_true", default=None)


def sender_from_args(args: argparse.Namespace) -> MessageSender:
    """The sender the options and environment describe (see the module docstring)."""
    from app.ledger.senders import MESSAGES_FILE, SmtpSettings, build_sender

    path = args.messages_file or os.environ.get("COUNTERBENCH_MESSAGES_FILE")
    messages_file = Path(path) if path else config.data_dir() / MESSAGES_FILE
    smtp = SmtpSettings.from_env()
    if args.smtp_host:
        smtp = replace(smtp, host=args.smtp_host) if smtp else SmtpSettings(host=args.smtp_host)
    if smtp is not None:
        changes: dict[str, Any] = {}
        if args.smtp_port:
            changes["port"] = args.smtp_port
        if args.smtp_from:
            changes["sender"] = args.smtp_from
        if args.smtp_starttls:
            changes["starttls"] = True
        smtp = replace(smtp, **changes)
    return build_sender(messages_file, smtp)


def parse_now(text: str | None) -> datetime | None:
    """``--now`` as an aware time (UTC when it names no zone)."""
    if not text:
        return None
    try:
        now = datetime.fromisoformat(text)
    except ValueError as exc:
        raise KnownError(f"--now is not an ISO 8601 time: {text}") from exc
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def _remind(args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.messages import queue_reminders

    queued = queue_reminders(engine, parse_now(args.now))
    print(f"Queued {len(queued)} pickup reminder(s): {', '.join(queued) or 'none'}")
    return 0


def _send(args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.message_sending import send_messages

    report = send_messages(
        engine, sender_from_args(args), now=parse_now(args.now), max_attempts=args.max_attempts
    )
    print(report.summary())
    return 1 if report.stuck else 0


def _messages(args: argparse.Namespace, engine: Any) -> int:
    from app.ledger.message_sending import requeue_message
    from app.ledger.messages import list_messages

    if args.requeue is not None:
        try:
            record = requeue_message(engine, args.requeue)
        except RuleRefused as exc:
            print(f"Nothing changed: message {args.requeue} was not requeued. {exc}")
            return 1
        print(f"Message {record.id} ({record.dedupe_key}) goes out again on the next run.")
        return 0
    found = list_messages(engine, order_number=args.order, state=args.state, limit=args.limit)
    if not found:
        print("No customer messages.")
    for m in found:
        tries = f"{m.attempts} try" if m.attempts == 1 else f"{m.attempts} tries"
        print(
            f"{m.id:>6}  {m.created_at[:16]}  {m.order_number}  {m.kind:<9} {m.channel:<8} "
            f"{m.recipient}  {m.state} ({tries})  {m.subject}"
        )
        if m.last_error:
            print(f"        last error: {m.last_error}")
        if args.order:
            print("        " + m.body.replace("\n", "\n        "))
    return 0
