"""Requeueing a customer message: a send that ends after a person requeued it still
counts (one mail, not two), and a message with nobody to go to is never sent."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from app.errors import RuleRefused
from app.ledger.message_sending import SendReport, requeue_message, send_messages
from app.ledger.messages import NO_CONTACT
from app.ledger.senders import FileSender
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import make_ready, messages_of, place, quiet_ledger, stored_time
from tests.ledger.pickup_support import KORAMANGALA, Counter, lines
from tests.ledger.smtp_support import SmtpInbox, smtp_sender
from tests.support.ledger import ROOT, RunningLedger, backend_params

EMAIL = "asha@example.in"


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def test_a_send_that_ends_after_a_requeue_is_one_mail_and_stays_sent(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[30]
    fo = place(ledger, "WEB-8601", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"
    reports: list[SendReport] = []

    with SmtpInbox(hold_data=True) as slow, SmtpInbox() as other:
        sender = smtp_sender(slow.port, tmp_path)
        dispatcher = threading.Thread(
            target=lambda: reports.append(send_messages(ledger.engine, sender))
        )
        dispatcher.start()
        assert slow.data_received.wait(timeout=120), "the mail never reached the server"
        (claimed,) = messages_of(ledger, "WEB-8601")
        # The server is slow; eleven minutes on, a person takes the message for stuck.
        eleven_minutes_on = stored_time(claimed["claimed_at"]) + timedelta(minutes=11)
        requeued = requeue_message(ledger.engine, claimed["id"], now=eleven_minutes_on)
        slow.release()  # … and then the server says 250: the customer has it
        dispatcher.join(timeout=120)
        after = messages_of(ledger, "WEB-8601")[0]
        next_run = send_messages(ledger.engine, smtp_sender(other.port, tmp_path))
        mails = len(slow.mails) + len(other.mails)

    assert requeued.state == "queued"
    assert key in reports[0].sent and key not in next_run.sent
    assert (after["state"], after["attempts"]) == ("sent", 1) and after["sent_at"] is not None
    assert mails == 1


def test_a_message_with_no_phone_or_email_is_not_requeued_nor_sent(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[31]
    accepted = ledger.place_order(
        {
            "order_number": "WEB-8602",
            "channel": "web",
            "method": "pickup",
            "pickup_location": "BLR-01",
            "customer": {**KORAMANGALA, "phone": "", "email": ""},
            "lines": lines((a, 1)),
        }
    )
    make_ready(Counter(ledger, "BLR-01"), accepted["fulfilment_orders"][0]["id"], [(a, 1)])
    (message,) = messages_of(ledger, "WEB-8602")

    refused = requests.post(
        f"{ledger.url}/v1/admin/messages/{message['id']}/requeue",
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    command = [sys.executable, "-m", "app.commands.ledger", "messages", "--db", ledger.db_url,
               "--requeue", str(message["id"])]  # fmt: skip
    cli = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    # A row an earlier version let a person requeue: the claim refuses it.
    ledger.sql("UPDATE customer_messages SET state = 'queued' WHERE id = :i", {"i": message["id"]})
    out = tmp_path / "sent.jsonl"
    report = send_messages(ledger.engine, FileSender(out))

    assert (message["state"], message["recipient"], message["last_error"]) == (
        "failed",
        "",
        NO_CONTACT,
    )
    assert refused.status_code == 409
    assert "no phone number or email address" in refused.json()["message"]
    assert "at the counter" in refused.json()["next_step"]
    assert cli.returncode == 1 and "Nothing changed" in cli.stdout, cli.stderr
    assert message["dedupe_key"] in report.failed and not out.exists()
    final = messages_of(ledger, "WEB-8602")[0]
    assert (final["state"], final["last_error"], final["sent_at"]) == ("failed", NO_CONTACT, None)
    with pytest.raises(RuleRefused, match="no phone number or email address"):
        requeue_message(ledger.engine, int(message["id"]))
