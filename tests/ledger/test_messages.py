"""Customer messages recorded on the ledger: ready, reminders and cancelled, each once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from app.ledger.message_texts import Letter
from app.ledger.messages import MessageKind, queue_message, queue_reminders
from app.ledger.models import FulfilmentOrder, table_of
from app.ledger.writes import aware
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import (
    later,
    make_ready,
    messages_of,
    place,
    quiet_ledger,
    ready_at,
    stored_time,
)
from tests.ledger.pickup_support import Counter, admin, lines, state
from tests.ledger.smtp_support import SmtpInbox
from tests.support.ledger import ROOT, RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def test_a_pushed_ready_queues_one_message_and_a_replay_adds_none(ledger: RunningLedger) -> None:
    a, b = tiny_skus(ledger)[0:2]
    fo = place(ledger, "WEB-8001", [(a, 2), (b, 1)])
    counter = Counter(ledger, "BLR-01")
    ready = make_ready(counter, fo, [(a, 2), (b, 1)], channel="whatsapp")

    replay = counter.push([ready])["results"][0]
    double = counter.send(counter.op("pickup.ready", fo, lines=lines((a, 2))))[0]

    assert replay["replayed"] and replay["status"] == "applied"
    assert double["status"] == "rejected"  # a double press: nothing more is ready
    (message,) = messages_of(ledger, "WEB-8001")
    assert message["dedupe_key"] == f"ready:{ready['op_id']}"
    assert (message["kind"], message["channel"], message["state"]) == (
        "ready",
        "whatsapp",
        "queued",
    )
    assert message["recipient"] == "+91 98450 12345" and message["attempts"] == 0
    assert message["subject"] == "Your order WEB-8001 is ready for pickup"
    body = message["body"]
    assert body.startswith("Hello Asha Kumar,")
    assert "ready for pickup at Bengaluru Koramangala (80 Feet Road" in body
    names = dict(ledger.sql("SELECT sku, name FROM items WHERE sku IN (:a, :b)", {"a": a, "b": b}))
    assert f"2 × {names[a]}" in body and f"1 × {names[b]}" in body
    assert "Please collect it by " in body and "pickup code" in body


def test_partial_ready_tells_the_customer_for_each_ready_step(ledger: RunningLedger) -> None:
    a, b = tiny_skus(ledger)[2:4]
    fo = place(ledger, "WEB-8002", [(a, 1), (b, 1)], email="asha@example.in")
    counter = Counter(ledger, "BLR-01")
    pick = counter.op("pickup.pick", fo, lines=lines((a, 1), (b, 1)))
    stage = counter.op("pickup.stage", fo, bin="H-10")
    first = counter.op("pickup.ready", fo, lines=lines((a, 1)), channel="email")
    second = counter.op("pickup.ready", fo, lines=lines((b, 1)), channel="email")
    results = counter.send(pick, stage, first, second)

    assert [r["status"] for r in results] == ["applied"] * 4
    found = messages_of(ledger, "WEB-8002")
    assert [m["dedupe_key"] for m in found] == [
        f"ready:{first['op_id']}",
        f"ready:{second['op_id']}",
    ]
    assert {m["recipient"] for m in found} == {"asha@example.in"}
    assert "Part of your order WEB-8002 is ready" in found[0]["body"]
    assert "\nYour order WEB-8002 is ready for pickup" in found[1]["body"]


def test_reminders_come_on_their_days_and_only_once(ledger: RunningLedger) -> None:
    a = tiny_skus(ledger)[4]
    fo = place(ledger, "WEB-8003", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    start = ready_at(ledger, fo)

    def remind(days: float, minutes: float = 0) -> list[str]:
        result = admin(
            ledger, "/admin/remind-pickups", {"now": later(start, days=days, minutes=minutes)}
        )
        return [q for q in result["queued"] if q.startswith("WEB-8003 ")]

    runs = [remind(1), remind(2, 1), remind(2, 2), remind(3), remind(4, 1), remind(4, 30)]

    assert runs == [[], ["WEB-8003 day 2"], [], [], ["WEB-8003 day 4"], []]
    found = messages_of(ledger, "WEB-8003")
    assert [m["dedupe_key"] for m in found] == [
        found[0]["dedupe_key"],
        f"reminder:{fo}:2",
        f"reminder:{fo}:4",
    ]
    assert "waiting for you at Bengaluru Koramangala" in found[1]["body"]
    assert "for 2 days" in found[1]["body"] and "for 4 days" in found[2]["body"]
    assert (
        found[2]["subject"] == "Reminder: your order WEB-8003 is waiting at Bengaluru Koramangala"
    )
    assert stored_time(found[1]["created_at"]) == stored_time(later(start, days=2, minutes=1))


def test_a_late_first_run_sends_only_the_latest_reminder(ledger: RunningLedger) -> None:
    a = tiny_skus(ledger)[5]
    fo = place(ledger, "WEB-8004", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    start = ready_at(ledger, fo)

    late = admin(ledger, "/admin/remind-pickups", {"now": later(start, days=4, minutes=5)})
    again = admin(ledger, "/admin/remind-pickups", {"now": later(start, days=4, minutes=6)})

    assert "WEB-8004 day 4" in late["queued"] and "WEB-8004 day 2" not in late["queued"]
    assert not [q for q in again["queued"] if q.startswith("WEB-8004 ")]
    assert [m["dedupe_key"] for m in messages_of(ledger, "WEB-8004")][1:] == [f"reminder:{fo}:4"]


def test_expiry_queues_one_cancelled_message(ledger: RunningLedger) -> None:
    a = tiny_skus(ledger)[6]
    fo = place(ledger, "WEB-8005", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="sms")
    pickup_by = stored_time(
        ledger.sql("SELECT pickup_by FROM fulfilment_orders WHERE id = :f", {"f": fo})[0][0]
    )

    expired = admin(ledger, "/admin/expire-holds", {"now": later(pickup_by, minutes=1)})
    again = admin(ledger, "/admin/expire-holds", {"now": later(pickup_by, minutes=2)})
    reminded = admin(ledger, "/admin/remind-pickups", {"now": later(pickup_by, minutes=3)})

    assert "WEB-8005" in expired["expired"] and "WEB-8005" not in again["expired"]
    assert state(ledger, fo) == "cancelled"
    assert not [q for q in reminded["queued"] if q.startswith("WEB-8005 ")]
    found = messages_of(ledger, "WEB-8005")
    assert [m["kind"] for m in found] == ["ready", "cancelled"]
    cancelled = found[1]
    assert cancelled["dedupe_key"] == f"cancelled:{fo}" and cancelled["channel"] == "sms"
    assert cancelled["subject"] == "Your order WEB-8005 has been cancelled"
    assert "was not collected from Bengaluru Koramangala by" in cancelled["body"]


def test_central_and_store_cancels_queue_a_cancelled_message(ledger: RunningLedger) -> None:
    a, b, c = tiny_skus(ledger)[7:10]
    central = place(ledger, "WEB-8006", [(a, 1)], email="asha@example.in")
    store = place(ledger, "WEB-8007", [(b, 1), (c, 1)])
    counter = Counter(ledger, "BLR-01")

    admin(ledger, "/orders/WEB-8006/cancel", {"reason": "payment failed"})
    partly, rest = counter.send(
        counter.op("pickup.cancel", store, reason="damaged in store", lines=lines((b, 1))),
        counter.op("pickup.cancel", store, reason="customer asked"),
    )

    assert state(ledger, central) == "cancelled" and state(ledger, store) == "cancelled"
    assert partly["status"] == "applied" and rest["status"] == "applied"
    (by_central,) = messages_of(ledger, "WEB-8006")
    assert (by_central["kind"], by_central["channel"]) == ("cancelled", "email")
    assert by_central["recipient"] == "asha@example.in"
    assert "We have cancelled your order WEB-8006: payment failed." in by_central["body"]
    (by_store,) = messages_of(ledger, "WEB-8007")  # the partial cancel told nobody yet
    assert by_store["channel"] == "sms"
    assert (
        "Bengaluru Koramangala has cancelled your order WEB-8007: customer asked."
        in (by_store["body"])
    )


def test_commands_send_and_list_messages(ledger: RunningLedger, tmp_path: Path) -> None:
    if not ledger.db_url.startswith("sqlite"):
        pytest.skip("the commands are the same on every database; SQLite covers them")
    a = tiny_skus(ledger)[10]
    fo = place(ledger, "WEB-8008", [(a, 1)])
    ready = make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    out = tmp_path / "sent.jsonl"
    command = [sys.executable, "-m", "app.commands.ledger"]

    def run(*args: str) -> str:
        done = subprocess.run(
            [*command, *args, "--db", ledger.db_url],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return done.stdout

    sent = run("send-messages", "--messages-file", str(out))
    again = run("send-messages", "--messages-file", str(out))
    listed = run("messages", "--order", "WEB-8008")

    assert sent.startswith("Sent ") and again.startswith("Sent 0 ")
    lines_out = [json.loads(line) for line in out.read_text().splitlines()]
    mine = [x for x in lines_out if x["order"] == "WEB-8008"]
    assert len(mine) == 1 and mine[0]["key"] == f"ready:{ready['op_id']}"
    assert mine[0]["to"] == "+91 98450 12345" and "WEB-8008" in mine[0]["body"]
    assert "ready" in listed and "sent (1 try)" in listed and "Hello Asha Kumar," in listed


def test_serve_sends_messages_on_its_own(tmp_path: Path) -> None:
    with SmtpInbox() as inbox:
        running = RunningLedger(
            f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            tmp_path,
            serve_args=(
                "--expire-every", "0.2", "--messages-file", str(tmp_path / "outbox.jsonl"),
                "--smtp-host", "127.0.0.1", "--smtp-port", str(inbox.port),
            ),
        )  # fmt: skip
        with running:
            running.seed("tiny")
            a = tiny_skus(running)[11]
            fo = place(running, "WEB-8009", [(a, 1)], email="asha@example.in")
            ready = make_ready(Counter(running, "BLR-01"), fo, [(a, 1)], channel="email")
            assert inbox.data_received.wait(timeout=120), "the ledger sent nothing by itself"
            running.stop()  # a clean shutdown lets the sending thread finish the mail in hand
            states = running.sql(
                "SELECT state FROM customer_messages WHERE order_number = 'WEB-8009'"
            )
        mails = [m.message["X-Counterbench-Message"] for m in inbox.mails]

    assert mails == [f"ready:{ready['op_id']}"] and states == [("sent",)]
    assert "customer message" in running.log_tail()


def test_a_reminder_goes_by_email_when_no_channel_was_recorded(ledger: RunningLedger) -> None:
    a = tiny_skus(ledger)[12]
    fo = place(ledger, "WEB-8010", [(a, 1)], email="asha@example.in")
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="sms")
    f = table_of(FulfilmentOrder)
    with ledger.engine.begin() as conn:  # a ready order whose log tells no channel
        log = conn.execute(select(f.c.pickup_log).where(f.c.id == fo)).scalar_one()
        kept = {k: v for k, v in log.items() if k != "ready_messages"}
        conn.execute(update(f).where(f.c.id == fo).values(pickup_log=kept))

    admin(ledger, "/admin/remind-pickups", {"now": later(ready_at(ledger, fo), days=2, minutes=1)})

    reminder = messages_of(ledger, "WEB-8010")[-1]
    assert (reminder["kind"], reminder["channel"]) == ("reminder", "email")
    assert reminder["recipient"] == "asha@example.in"


def test_reminder_days_are_read_from_their_column_not_the_key(ledger: RunningLedger) -> None:
    a = tiny_skus(ledger)[13]
    fo = place(ledger, "WEB-8011", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    start = ready_at(ledger, fo)
    with ledger.engine.begin() as conn:  # a reminder queued by hand, with a key of its own
        queue_message(
            conn, fulfilment_id=fo, kind=MessageKind.REMINDER, key=f"reminder-by-phone:{fo}",
            channel="sms", letter=Letter("Call", "We called you"), at=start,
        )  # fmt: skip

    day2 = admin(ledger, "/admin/remind-pickups", {"now": later(start, days=2, minutes=1)})
    again = admin(ledger, "/admin/remind-pickups", {"now": later(start, days=3)})

    assert "WEB-8011 day 2" in day2["queued"]
    assert not [q for q in again["queued"] if q.startswith("WEB-8011 ")]
    found = {m["dedupe_key"]: m["reminder_day"] for m in messages_of(ledger, "WEB-8011")}
    assert found[f"reminder:{fo}:2"] == 2 and found[f"reminder-by-phone:{fo}"] is None


def test_the_reminder_round_reads_no_whole_table(ledger: RunningLedger) -> None:
    if not ledger.db_url.startswith("sqlite"):
        pytest.skip("the plan is checked with SQLite's EXPLAIN QUERY PLAN")
    a = tiny_skus(ledger)[14]
    fo = place(ledger, "WEB-8012", [(a, 1)])
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)])
    statements: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(ledger.engine, "before_cursor_execute", record)
    try:
        queued = queue_reminders(ledger.engine, aware(ready_at(ledger, fo)) + timedelta(days=2))
    finally:
        event.remove(ledger.engine, "before_cursor_execute", record)
    with ledger.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plans = [
            str(row[3]) for st, params in statements
            for row in raw.execute("EXPLAIN QUERY PLAN " + st, params)
        ]  # fmt: skip

    assert "WEB-8012 day 2" in queued
    assert any("fulfilment_events USING INDEX" in p for p in plans), plans
    big = ("fulfilment_events", "fulfilment_orders", "customer_messages")
    assert not [p for p in plans if p.startswith("SCAN") and p.split()[1] in big], plans
