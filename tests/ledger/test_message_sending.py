"""Sending customer messages: each at most once, retried after a failure, never resent
after a crash by itself; by file and by SMTP on loopback."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.ledger.db import make_engine
from app.ledger.message_sending import SendReport, requeue_message, send_messages
from app.ledger.message_texts import Letter
from app.ledger.messages import MessageKind, queue_message
from app.ledger.senders import (
    FileSender,
    OutgoingMessage,
)
from app.ledger.writes import utcnow
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import (
    admin_get,
    make_ready,
    messages_of,
    place,
    quiet_ledger,
    served_file,
    stored_time,
)
from tests.ledger.pickup_support import Counter, admin
from tests.ledger.smtp_support import SmtpInbox, smtp_sender
from tests.support.ledger import ROOT, RunningLedger, backend_params, free_port

EMAIL = "asha@example.in"


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def one_message(ledger: RunningLedger, number: str) -> dict[str, Any]:
    (message,) = messages_of(ledger, number)
    return message


def test_two_dispatchers_send_each_message_exactly_once(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    a = tiny_skus(ledger)[20]
    fo = place(ledger, "WEB-8101", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])  # a reminder is for a ready order
    keys = [f"race:{fo}:{i}" for i in range(40)]
    with ledger.engine.begin() as conn:
        for i, key in enumerate(keys):
            letter = Letter(subject=f"Message {i}", body=f"Body {i}")
            kind = MessageKind.REMINDER
            assert queue_message(
                conn,
                fulfilment_id=fo,
                kind=kind,
                key=key,
                channel="sms",
                letter=letter,
                at=utcnow(),
            )
    out = tmp_path / "sent.jsonl"
    start = threading.Barrier(2)
    reports: list[SendReport] = []

    def dispatcher() -> None:
        engine = make_engine(ledger.db_url, pool_size=2)
        try:
            start.wait(timeout=30)
            reports.append(send_messages(engine, FileSender(out)))
        finally:
            engine.dispose()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(reports) == 2
    written = [json.loads(line)["key"] for line in out.read_text().splitlines()]
    assert sorted(k for k in written if k.startswith("race:")) == sorted(keys)
    sent_by = [{k for k in r.sent if k.startswith("race:")} for r in reports]
    assert not sent_by[0] & sent_by[1] and sent_by[0] | sent_by[1] == set(keys)
    rows = ledger.sql(
        "SELECT state, attempts, count(*) FROM customer_messages WHERE dedupe_key LIKE 'race:%' "
        "GROUP BY state, attempts"
    )
    assert rows == [("sent", 1, 40)]


def test_the_admin_endpoint_sends_with_the_ledgers_own_sender(ledger: RunningLedger) -> None:
    fo = place(ledger, "WEB-8102", [(tiny_skus(ledger)[21], 1)])
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(tiny_skus(ledger)[21], 1)])

    first = admin(ledger, "/admin/send-messages", {})
    again = admin(ledger, "/admin/send-messages", {})

    key = f"ready:{ready['op_id']}"
    assert key in first["sent"] and key not in again["sent"]
    written = [json.loads(line) for line in served_file(ledger).read_text().splitlines()]
    assert [w["key"] for w in written].count(key) == 1
    message = one_message(ledger, "WEB-8102")
    assert message["state"] == "sent" and message["sent_at"] is not None


def test_a_failed_send_stays_queued_with_its_error_and_goes_out_next_run(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    a = tiny_skus(ledger)[22]
    fo = place(ledger, "WEB-8103", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"

    down = send_messages(ledger.engine, smtp_sender(free_port(), tmp_path))  # nobody listens
    failed = one_message(ledger, "WEB-8103")
    with SmtpInbox() as inbox:
        up = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
        again = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
        mails = list(inbox.mails)

    assert key in down.retrying and key in up.sent and key not in again.sent
    assert (failed["state"], failed["attempts"]) == ("queued", 1)
    assert str(failed["last_error"]).startswith("ConnectionRefusedError")
    sent = one_message(ledger, "WEB-8103")
    assert (sent["state"], sent["attempts"], sent["last_error"]) == ("sent", 2, None)
    (mail,) = mails
    assert mail.recipients == [EMAIL] and mail.sender == "store@example.in"
    assert mail.message["Subject"] == "Your order WEB-8103 is ready for pickup"
    assert mail.message["X-Counterbench-Message"] == key
    assert "ready for pickup at Bengaluru Koramangala" in mail.body and "1 × " in mail.body


def test_a_message_that_keeps_failing_is_given_up_and_can_be_requeued(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    a = tiny_skus(ledger)[23]
    fo = place(ledger, "WEB-8104", [(a, 1)], email="nobody@example.in")
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"
    closed = smtp_sender(free_port(), tmp_path)

    runs = [send_messages(ledger.engine, closed, max_attempts=2) for _ in range(3)]
    given_up = one_message(ledger, "WEB-8104")
    requeued = requests.post(
        f"{ledger.url}/v1/admin/messages/{given_up['id']}/requeue",
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    with SmtpInbox(refuse=("nobody@example.in",)) as inbox:
        refused = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))

    assert [key in r.retrying for r in runs] == [True, False, False]
    assert [key in r.failed for r in runs] == [False, True, False]
    assert (given_up["state"], given_up["attempts"]) == ("failed", 2)
    assert requeued.status_code == 200 and requeued.json()["state"] == "queued"
    assert key in refused.failed  # a refused address is not retried
    final = one_message(ledger, "WEB-8104")
    assert final["state"] == "failed"
    assert "refused the customer's email address (550)" in str(final["last_error"])
    assert "nobody@example.in" not in str(final["last_error"])


def test_a_message_cut_off_while_sending_is_not_resent_and_is_listed(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[24]
    fo = place(ledger, "WEB-8105", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"

    with SmtpInbox(hold_data=True) as inbox:
        command = [
            sys.executable, "-m", "app.commands.ledger", "send-messages", "--db", ledger.db_url,
            "--messages-file", str(tmp_path / "cli.jsonl"),
            "--smtp-host", "127.0.0.1", "--smtp-port", str(inbox.port),
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert inbox.data_received.wait(timeout=120), "the mail never reached the server"
        finally:
            process.kill()  # the dispatcher dies before the server says "queued"
            process.communicate(timeout=30)
    cut_off = one_message(ledger, "WEB-8105")
    claimed = stored_time(cut_off["claimed_at"])
    with SmtpInbox() as inbox:
        soon = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path), now=claimed)
        later = send_messages(
            ledger.engine, smtp_sender(inbox.port, tmp_path), now=claimed + timedelta(minutes=11)
        )
        listed = requests.get(
            f"{ledger.url}/v1/admin/messages",
            params={"state": "sending"},
            headers={"Authorization": f"Bearer {ledger.admin_token}"},
            timeout=30,
        ).json()
        not_resent = len(inbox.mails)
        too_soon = requests.post(  # the real clock: the claim is minutes old at most
            f"{ledger.url}/v1/admin/messages/{cut_off['id']}/requeue",
            headers={"Authorization": f"Bearer {ledger.admin_token}"},
            timeout=30,
        )
        requeue_message(ledger.engine, int(cut_off["id"]), now=claimed + timedelta(minutes=11))
        resent = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
        mails = list(inbox.mails)

    assert (cut_off["state"], cut_off["attempts"]) == ("sending", 1)
    assert key not in soon.sent and cut_off["id"] not in soon.stuck
    assert key not in later.sent and later.stuck == [cut_off["id"]]
    assert "cut off while sending" in later.summary()
    assert [m["dedupe_key"] for m in listed] == [key] and not_resent == 0
    assert too_soon.status_code == 409
    assert "is being sent right now" in too_soon.json()["message"]
    assert "requeue it then" in too_soon.json()["next_step"]
    assert key in resent.sent and [m.recipients for m in mails] == [[EMAIL]]
    assert one_message(ledger, "WEB-8105")["state"] == "sent"


def test_a_mail_the_server_may_have_taken_goes_out_once_and_waits_for_a_person(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[25]
    fo = place(ledger, "WEB-8106", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"

    with SmtpInbox(cut_after_data=True) as inbox:  # took the text, then the line went dead
        cut = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
        again = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
        mails = [m.message["X-Counterbench-Message"] for m in inbox.mails]
    left = one_message(ledger, "WEB-8106")
    listed = admin_get(ledger, "/admin/messages", state="sending")
    requeued = requeue_message(ledger.engine, int(left["id"]))  # a person asked: it never came
    with SmtpInbox() as inbox:
        resent = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))

    assert mails == [key]  # one mail, not one per run
    assert key not in cut.sent + cut.retrying + cut.failed and cut.stuck == [left["id"]]
    assert again.sent == [] and again.stuck == [left["id"]]
    assert (left["state"], left["attempts"]) == ("sending", 1)
    assert "may have it already" in str(left["last_error"])
    assert f"--requeue {left['id']}" in str(left["last_error"])
    assert [m["dedupe_key"] for m in listed] == [key]
    assert requeued.state == "queued" and key in resent.sent


def test_a_refusal_after_the_text_is_not_a_maybe(ledger: RunningLedger, tmp_path: Path) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[26]
    fo = place(ledger, "WEB-8107", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"

    with SmtpInbox(data_reply="451 4.3.0 Mail queue full, try later") as inbox:
        busy = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))
    retrying = one_message(ledger, "WEB-8107")
    with SmtpInbox(data_reply="554 5.6.0 Message refused") as inbox:
        refused = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))

    assert key in busy.retrying and retrying["state"] == "queued"
    assert key in refused.failed and refused.stuck == []
    assert "refused message" in str(one_message(ledger, "WEB-8107")["last_error"])


def test_a_claim_is_dated_when_it_is_made_not_when_the_run_began(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))
    a = tiny_skus(ledger)[27]
    fo = place(ledger, "WEB-8108", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    before = utcnow()

    report = send_messages(
        ledger.engine, FileSender(tmp_path / "sent.jsonl"), now=before - timedelta(hours=1)
    )

    message = one_message(ledger, "WEB-8108")
    assert message["dedupe_key"] in report.sent
    assert stored_time(message["claimed_at"]) >= before
    assert stored_time(message["sent_at"]) >= stored_time(message["claimed_at"])


def test_a_requeued_claim_cannot_be_put_back_by_the_dispatcher_that_lost_it(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[28]
    fo = place(ledger, "WEB-8109", [(a, 1)], email=EMAIL)
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    key = f"ready:{ready['op_id']}"
    reports: dict[str, SendReport] = {}

    def dispatcher(name: str, inbox: SmtpInbox) -> threading.Thread:
        def run() -> None:
            reports[name] = send_messages(ledger.engine, smtp_sender(inbox.port, tmp_path))

        thread = threading.Thread(target=run, name=name)
        thread.start()
        return thread

    busy = SmtpInbox(hold_rcpt=True, rcpt_reply="451 4.3.0 Try again later")
    slow = SmtpInbox(hold_data=True)
    with busy, slow, SmtpInbox() as third:
        first = dispatcher("first", busy)  # claims the message, then waits on RCPT
        assert busy.rcpt_received.wait(timeout=120)
        claimed = stored_time(one_message(ledger, "WEB-8109")["claimed_at"])
        # Ten minutes on, a person takes it for stuck and sends it again …
        requeue_message(ledger.engine, int(one_message(ledger, "WEB-8109")["id"]),
                        now=claimed + timedelta(minutes=11))  # fmt: skip
        second = dispatcher("second", slow)  # … and a second dispatcher claims it
        assert slow.data_received.wait(timeout=120)
        busy.release()  # the first one hears "try later": its claim is no longer the row's
        first.join(timeout=120)
        during = one_message(ledger, "WEB-8109")
        third_run = send_messages(ledger.engine, smtp_sender(third.port, tmp_path))
        slow.release()
        second.join(timeout=120)
        mails = len(slow.mails) + len(third.mails)

    assert (during["state"], during["attempts"]) == ("sending", 2)
    assert key not in reports["first"].retrying and key not in third_run.sent
    assert key in reports["second"].sent and mails == 1
    final = one_message(ledger, "WEB-8109")
    assert (final["state"], final["attempts"]) == ("sent", 2)


def test_the_file_sender_logs_no_phone_number_or_email(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    message = OutgoingMessage(
        id=7, dedupe_key="ready:abc", order_number="WEB-1", kind="ready", channel="sms",
        recipient="+91 98450 12345", subject="Ready", body="Your order is ready",
    )  # fmt: skip
    with caplog.at_level(logging.INFO, logger="counterbench.ledger.messages"):
        FileSender(tmp_path / "out.jsonl").send(message)
        FileSender(tmp_path / "out.jsonl").send(replace(message, channel="email", recipient=EMAIL))

    assert "ready:abc" in caplog.text and " sms " in caplog.text and " email " in caplog.text
    assert "98450" not in caplog.text and EMAIL not in caplog.text
    assert json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])["to"] == (
        "+91 98450 12345"
    )
