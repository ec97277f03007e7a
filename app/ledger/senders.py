"""How customer messages leave the ledger: a :class:`MessageSender` sends one message.

* :class:`FileSender` (the default) appends one JSON line per message to a file and logs
  it, for a shop without a gateway and for tests;
* :class:`SmtpSender` sends email through an SMTP server (``smtplib``, STARTTLS and login
  optional);
* :class:`ChannelSenders` picks a sender per channel (email by SMTP, the rest to the file).

A sender raises :class:`CannotDeliver` when retrying cannot help (no email address, a
refused recipient); any other exception is a failure worth another try.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from app import log
from app.errors import KnownError

_log = log.get("ledger.messages")
MESSAGES_FILE = "customer-messages.jsonl"


@dataclass(frozen=True)
class OutgoingMessage:
    """A claimed message, as a sender sees it."""

    id: int
    dedupe_key: str
    order_number: str
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str


class CannotDeliver(KnownError):
    """This message can never be delivered as it stands; it is marked failed at once."""


class MessageSender(Protocol):
    """Delivers one message or raises; must be safe to call from several threads."""

    def send(self, message: OutgoingMessage) -> None: ...


class FileSender:
    """Appends each message as one JSON line to ``path`` and logs it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, message: OutgoingMessage) -> None:
        line = json.dumps(
            {
                "id": message.id,
                "key": message.dedupe_key,
                "order": message.order_number,
                "kind": message.kind,
                "channel": message.channel,
                "to": message.recipient,
                "subject": message.subject,
                "body": message.body,
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = (line + "\n").encode()
        with self._lock:
            # One write of the whole line with O_APPEND: lines of two processes never mix.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        _log.info(
            "customer message %s (%s by %s to %s) written to %s",
            message.dedupe_key, message.kind, message.channel, message.recipient, self.path,
        )  # fmt: skip


@dataclass(frozen=True)
class SmtpSettings:
    """Where email goes: ``COUNTERBENCH_SMTP_*`` in the environment, or command options."""

    host: str
    port: int = 25
    sender: str = "Counterbench <no-reply@localhost>"
    starttls: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    timeout_s: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Settings from ``COUNTERBENCH_SMTP_HOST`` (required), ``_PORT``, ``_FROM``,
        ``_STARTTLS`` (1/yes), ``_USER`` and ``_PASSWORD``; None without a host."""
        env = os.environ if env is None else env
        host = env.get("COUNTERBENCH_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(env.get("COUNTERBENCH_SMTP_PORT", "25") or 25),
            sender=env.get("COUNTERBENCH_SMTP_FROM", "") or cls.sender,
            starttls=env.get("COUNTERBENCH_SMTP_STARTTLS", "").lower() in ("1", "yes", "true"),
            user=env.get("COUNTERBENCH_SMTP_USER", ""),
            password=env.get("COUNTERBENCH_SMTP_PASSWORD", ""),
        )


class SmtpSender:
    """Sends email messages through one SMTP server, one connection per message."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, message: OutgoingMessage) -> None:
        if message.channel != "email" or "@" not in message.recipient:
            raise CannotDeliver(
                f"Message {message.dedupe_key} goes by {message.channel} to "
                f"'{message.recipient}'; the SMTP sender sends email only.",
                next_step="Give the customer's email address, or tell them at the counter.",
            )
        mail = EmailMessage()
        mail["From"] = self.settings.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["X-Counterbench-Message"] = message.dedupe_key
        mail.set_content(message.body)
        s = self.settings
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout_s) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
            try:
                smtp.send_message(mail)
            except smtplib.SMTPRecipientsRefused as exc:
                raise CannotDeliver(
                    f"The mail server refused the address {message.recipient}.",
                    next_step="Check the customer's email address with them.",
                ) from exc
        _log.info("customer message %s mailed to %s", message.dedupe_key, message.recipient)


class ChannelSenders:
    """Sends each message with the sender of its channel, else with ``default``."""

    def __init__(self, default: MessageSender, by_channel: Mapping[str, MessageSender]) -> None:
        self.default = default
        self.by_channel = dict(by_channel)

    def send(self, message: OutgoingMessage) -> None:
        self.by_channel.get(message.channel, self.default).send(message)


def build_sender(messages_file: Path, smtp: SmtpSettings | None = None) -> MessageSender:
    """The file sender, with email going by SMTP when ``smtp`` is given."""
    file_sender = FileSender(messages_file)
    if smtp is None:
        return file_sender
    return ChannelSenders(file_sender, {"email": SmtpSender(smtp)})
