"""How customer messages leave the ledger: a :class:`MessageSender` sends one message.

* :class:`FileSender` (the default) appends one JSON line per message to a file and logs
  it, for a shop without a gateway and for tests;
* :class:`SmtpSender` sends email through an SMTP server (``smtplib``, STARTTLS and login
  optional);
* :class:`ChannelSenders` picks a sender per channel (email by SMTP, the rest to the file).

A sender raises :class:`CannotDeliver` when retrying cannot help (no email address, a
refused recipient), :class:`MaybeDelivered` when it was cut off after the message may have
reached the customer (it is never sent again by itself); any other exception is a failure
worth another try. Their words are stored with the message and shown to the shop: they
name the message, never the customer's phone number or email address.
"""

from __future__ import annotations

import contextlib
import json
import os
import smtplib
import ssl
import stat
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
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


class MaybeDelivered(KnownError):
    """Cut off after the message was handed over: it may have reached the customer.

    The dispatcher leaves such a message in ``sending`` for a person to check; sending it
    again by itself could tell the customer twice.
    """


class MessageSender(Protocol):
    """Delivers one message or raises; must be safe to call from several threads."""

    def send(self, message: OutgoingMessage) -> None: ...


class FileSender:
    """Appends each message as one JSON line to ``path`` and logs it.

    A line is written whole or not at all: a write cut short (a full disk) is retried for
    the rest, and on an error part-way the part written is cut off again. Once the whole
    line is written, a failed flush to disk raises :class:`MaybeDelivered`: whatever reads
    the file may have the line, so it is not written a second time by itself.
    """

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
            # O_APPEND, and the whole line in one write as a rule: lines of two processes
            # do not mix.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                _append_whole(fd, data)
                self._flush(fd, message)
            finally:
                os.close(fd)
        # The key and channel only: the customer's phone or email stays out of the log.
        _log.info(
            "customer message %s by %s written to %s",
            message.dedupe_key,
            message.channel,
            self.path,
        )

    def _flush(self, fd: int, message: OutgoingMessage) -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            raise MaybeDelivered(
                f"Message {message.id} ({message.dedupe_key}) for order "
                f"{message.order_number} was written to {self.path}, but the disk did not "
                f"confirm it ({type(exc).__name__}, error {exc.errno}); it may be there.",
                next_step=f"Look for {message.dedupe_key} in {self.path}; only if it is "
                f"missing, send it again with `counterbench ledger messages --requeue "
                f"{message.id}`.",
            ) from exc


def _append_whole(fd: int, data: bytes) -> None:
    """Write all of ``data`` at the end of the file; when an error stops it part-way,
    cut the part written off again (unless someone appended since), so no half line is
    left for a reader to take, and raise."""
    info = os.fstat(fd)
    start = info.st_size if stat.S_ISREG(info.st_mode) else None  # not a FIFO or device
    written = 0
    try:
        while written < len(data):
            written += os.write(fd, data[written:])
    except OSError:
        if written and start is not None and os.fstat(fd).st_size == start + written:
            with contextlib.suppress(OSError):  # the first error is the one to report
                os.ftruncate(fd, start)
        raise


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
    """Sends email messages through one SMTP server, one connection per message.

    The conversation is spelled out (MAIL, RCPT, DATA) so that every failure lands on the
    right side of the line: up to and including RCPT nothing can have reached the
    customer, so a failure there is worth another try (a 5xx RCPT: a refused address,
    :class:`CannotDeliver`). Once DATA has started, a 250 reply means delivered and a 4xx
    or 5xx reply means the server refused the text (RFC 5321 §4.2.5: it took no
    responsibility for it); any other end (the connection cut, no reply within the
    timeout) may have delivered it, and raises :class:`MaybeDelivered`. After the 250,
    an error saying goodbye (QUIT) changes nothing.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, message: OutgoingMessage) -> None:
        if message.channel != "email" or "@" not in message.recipient:
            raise CannotDeliver(
                f"Message {message.dedupe_key} goes by {message.channel} and has no email "
                "address; the SMTP sender sends email only.",
                next_step="Give the customer's email address, or tell them at the counter.",
            )
        s = self.settings
        from_addr = parseaddr(s.sender)[1] or s.sender
        international = not (from_addr + message.recipient).isascii()
        mail = _email(s.sender, message)
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
        delivered = False
        try:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
            smtp.ehlo_or_helo_if_needed()
            options = _mail_options(smtp, message) if international else []
            _envelope(smtp, from_addr, message, options)
            payload = mail.as_bytes(policy=policy.SMTPUTF8 if international else policy.SMTP)
            _hand_over(smtp, payload, message)
            delivered = True
        finally:
            if delivered:
                _say_goodbye(smtp)
            else:
                smtp.close()
        _log.info("customer message %s mailed", message.dedupe_key)


def _email(sender: str, message: OutgoingMessage) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["X-Counterbench-Message"] = message.dedupe_key
    mail.set_content(message.body)
    return mail


def _mail_options(smtp: smtplib.SMTP, message: OutgoingMessage) -> list[str]:
    """An address with non-ASCII letters needs a server that speaks SMTPUTF8."""
    if not smtp.has_extn("smtputf8"):
        raise CannotDeliver(
            "The mail server cannot send to the customer's email address (it has letters "
            "outside ASCII and the server does not take those).",
            next_step="Ask the customer for another email address, or tell them at the counter.",
        )
    return ["SMTPUTF8", "BODY=8BITMIME"]


def _envelope(
    smtp: smtplib.SMTP, from_addr: str, message: OutgoingMessage, options: list[str]
) -> None:
    """MAIL and RCPT: nothing has reached the customer yet, whatever fails here."""
    code, reply = smtp.mail(from_addr, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, from_addr)
    code, reply = smtp.rcpt(message.recipient)
    if code in (250, 251):
        return
    if 500 <= code < 600:
        raise CannotDeliver(
            f"The mail server refused the customer's email address ({code}).",
            next_step="Check the customer's email address with them.",
        )
    raise smtplib.SMTPResponseException(code, reply)  # 4xx: try again later


def _hand_over(smtp: smtplib.SMTP, payload: bytes, message: OutgoingMessage) -> None:
    """DATA: from here on, only the server's answer tells whether the customer has it."""
    try:
        code, reply = smtp.data(payload)
    except smtplib.SMTPDataError:
        raise  # DATA itself was refused (no 354): the text never left, try again later
    except (OSError, smtplib.SMTPException) as exc:
        raise MaybeDelivered(
            f"The connection to the mail server broke off while it was taking message "
            f"{message.id} ({message.dedupe_key}) for order {message.order_number}; the "
            f"customer may have it already ({type(exc).__name__}).",
            next_step="Ask the customer whether it arrived; only if it did not, send it "
            f"again with `counterbench ledger messages --requeue {message.id}`.",
        ) from exc
    if code == 250:
        return
    if 500 <= code < 600:
        raise CannotDeliver(
            f"The mail server refused message {message.dedupe_key} ({code}).",
            next_step="Tell the customer at the counter, or fix the message and requeue it.",
        )
    raise smtplib.SMTPDataError(code, reply)  # 4xx: refused for now, try again later


def _say_goodbye(smtp: smtplib.SMTP) -> None:
    """QUIT after the 250: the message is delivered, whatever the server says now."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


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
