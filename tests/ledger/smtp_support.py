"""A tiny SMTP server on 127.0.0.1 for the customer message tests (stdlib socketserver).

It speaks enough SMTP for ``smtplib`` (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and
keeps every mail whose text it received (whatever it answers then). To play the servers
a sender meets in the world:

* ``hold_data``: wait for :meth:`SmtpInbox.release` before answering a mail's text (to
  cut a sender off mid-send), then answer ``data_reply`` (default 250);
* ``cut_after_data``: hang up after a mail's text, without an answer;
* ``hold_rcpt``: wait for :meth:`SmtpInbox.release` before answering RCPT, then answer
  ``rcpt_reply`` (default 250);
* ``refuse``: recipients it answers with 550.

``rcpt_received`` and ``data_received`` are set when a RCPT or a mail's text arrives.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from types import TracebackType
from typing import cast

from app.ledger.senders import MessageSender, SmtpSettings, build_sender


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        return cast(EmailMessage, part).get_content() if part else ""


class SmtpInbox:
    """The server, its thread and the mails it accepted (see the module docstring)."""

    def __init__(
        self,
        *,
        hold_data: bool = False,
        data_reply: str = "250 OK queued",
        cut_after_data: bool = False,
        hold_rcpt: bool = False,
        rcpt_reply: str = "250 OK",
        refuse: tuple[str, ...] = (),
    ) -> None:
        self.mails: list[Mail] = []
        self.hold_data = hold_data
        self.data_reply = data_reply
        self.cut_after_data = cut_after_data
        self.hold_rcpt = hold_rcpt
        self.rcpt_reply = rcpt_reply
        self.refuse = refuse
        self.rcpt_received = threading.Event()
        self.data_received = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        inbox = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the client went away (a killed sender)
                    inbox._converse(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpInbox:
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        """Let a held RCPT or DATA answer go out."""
        self._release.set()

    def _converse(self, h: socketserver.StreamRequestHandler) -> None:
        def say(line: str) -> None:
            h.wfile.write(line.encode() + b"\r\n")
            h.wfile.flush()

        say("220 127.0.0.1 test SMTP ready")
        sender, recipients = "", list[str]()
        while True:
            raw = h.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                say("250-127.0.0.1")
                say("250 8BITMIME")
            elif verb in ("HELO", "NOOP"):
                say("250 OK")
            elif verb == "RSET":
                sender, recipients = "", []
                say("250 OK")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].strip().strip("<>").split(">")[0]
                say("250 OK")
            elif verb == "RCPT":
                to = command.split(":", 1)[1].strip().strip("<>").split(">")[0]
                self.rcpt_received.set()
                if self.hold_rcpt:
                    self._release.wait(timeout=60)
                if to in self.refuse:
                    say("550 No such mailbox")
                elif self.rcpt_reply.startswith("25"):
                    recipients.append(to)
                    say(self.rcpt_reply)
                else:
                    say(self.rcpt_reply)
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data(h)
                message = BytesParser(policy=policy.default).parsebytes(data)
                with self._lock:
                    self.mails.append(Mail(sender, list(recipients), message))
                self.data_received.set()
                if self.cut_after_data:
                    return  # hang up without an answer
                if self.hold_data:
                    self._release.wait(timeout=60)
                say(self.data_reply)
                sender, recipients = "", []
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("502 Command not implemented")

    @staticmethod
    def _read_data(h: socketserver.StreamRequestHandler) -> bytes:
        lines: list[bytes] = []
        while True:
            line = h.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)


def smtp_sender(port: int, tmp_path: Path) -> MessageSender:
    """Email by SMTP on loopback ``port``; other channels to a file in ``tmp_path``."""
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="Koramangala <store@example.in>")
    return build_sender(tmp_path / "other-channels.jsonl", settings)
