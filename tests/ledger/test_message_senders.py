"""What the senders leave behind when the world fails them: no customer address in the
log or the stored error, no half line in the messages file, no second line after a
flush that failed."""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.ledger.message_sending import send_messages
from app.ledger.senders import FileSender, OutgoingMessage, SmtpSettings, build_sender
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import make_ready, messages_of, place, quiet_ledger
from tests.ledger.pickup_support import Counter
from tests.ledger.smtp_support import SmtpInbox
from tests.support.ledger import ROOT, RunningLedger, backend_params

EMAIL = "asha@example.in"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX limit, device or FIFO")
MESSAGE = OutgoingMessage(
    id=7, dedupe_key="ready:abc", order_number="WEB-1", kind="ready", channel="sms",
    recipient="+91 98450 12345", subject="Ready", body="Your order is ready " * 20,
)  # fmt: skip


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def ready_email(ledger: RunningLedger, number: str, sku: int, tmp_path: Path) -> str:
    """A queued ready message by email for a new order, the only one queued; its key."""
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))
    item = tiny_skus(ledger)[sku]
    fo = place(ledger, number, [(item, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(item, 1)], channel="email")
    return f"ready:{ready['op_id']}"


def test_a_mail_server_quoting_the_address_puts_it_in_no_log_and_no_stored_error(
    ledger: RunningLedger, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = ready_email(ledger, "WEB-8701", 10, tmp_path)
    busy = SmtpInbox(rcpt_reply=f"450 4.1.2 <{EMAIL}>: Recipient address rejected: try later")
    with caplog.at_level(logging.INFO, logger="counterbench.ledger.messages"), busy:
        report = send_messages(ledger.engine, build_sender(tmp_path / "o.jsonl", smtp(busy)))
    later = messages_of(ledger, "WEB-8701")[0]
    with SmtpInbox(refuse=(EMAIL,)) as refusing:
        refused = send_messages(ledger.engine, build_sender(tmp_path / "o.jsonl", smtp(refusing)))
    final = messages_of(ledger, "WEB-8701")[0]

    assert key in report.retrying and key in refused.failed
    assert "SMTPResponseException (SMTP 450)" in caplog.text and key in caplog.text
    assert EMAIL not in caplog.text and "asha" not in caplog.text
    assert later["last_error"] == "SMTPResponseException: the mail server answered 450"
    assert "550" in final["last_error"] and EMAIL not in final["last_error"]


def smtp(inbox: SmtpInbox) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=inbox.port)


SHORT_WRITE = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from app.ledger.senders import FileSender, OutgoingMessage

    path = Path(sys.argv[1])
    message = OutgoingMessage(8, "ready:def", "WEB-2", "ready", "sms", "+91 1", "Hi", "x" * 400)
    sender = FileSender(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    # The file may grow by 100 bytes: the line's first write stops there (a short write),
    # the next write of the rest fails, as on a disk that fills up mid-line.
    resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 100, resource.RLIM_INFINITY))
    try:
        sender.send(message)
    except OSError as exc:
        print(exc.errno)
        sys.exit(3)
    """
)


@POSIX
def test_a_line_cut_short_is_not_sent_and_leaves_no_half_line(tmp_path: Path) -> None:
    out = tmp_path / "messages.jsonl"
    FileSender(out).send(MESSAGE)
    first = out.read_bytes()

    run = subprocess.run(
        [sys.executable, "-c", SHORT_WRITE, str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert run.returncode == 3, (run.stdout, run.stderr)  # raised: the dispatcher retries it
    assert int(run.stdout) == errno.EFBIG
    assert out.read_bytes() == first  # the 100 bytes written were cut off again


@POSIX
def test_a_full_disk_leaves_the_message_queued(ledger: RunningLedger, tmp_path: Path) -> None:
    key = ready_email(ledger, "WEB-8702", 11, tmp_path)

    report = send_messages(ledger.engine, FileSender(Path("/dev/full")))

    assert key in report.retrying
    message = messages_of(ledger, "WEB-8702")[0]
    assert (message["state"], message["sent_at"]) == ("queued", None)
    assert message["last_error"].startswith("OSError: No space left on device")


@POSIX
def test_a_line_written_whose_flush_failed_waits_for_a_person_and_is_not_written_again(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    key = ready_email(ledger, "WEB-8703", 12, tmp_path)
    gateway = tmp_path / "gateway.fifo"  # a pipe to a gateway: fsync fails with EINVAL
    os.mkfifo(gateway)
    reader = os.open(gateway, os.O_RDONLY | os.O_NONBLOCK)
    try:
        first = send_messages(ledger.engine, FileSender(gateway))
        again = send_messages(ledger.engine, FileSender(gateway))
        lines = os.read(reader, 1 << 16).decode().splitlines()
    finally:
        os.close(reader)

    message = messages_of(ledger, "WEB-8703")[0]
    assert [json.loads(line)["key"] for line in lines] == [key]
    assert first.stuck == [message["id"]] and again.stuck == [message["id"]]
    assert key not in first.sent + first.retrying and again.sent == []
    assert (message["state"], message["attempts"]) == ("sending", 1)
    assert "may be there" in message["last_error"]
    assert f"--requeue {message['id']}" in message["last_error"]
