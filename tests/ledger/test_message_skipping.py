"""A queued message is checked against its order when its turn comes: news that is no
longer true (the customer collected, the order was cancelled) is skipped, with why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.ledger.message_sending import send_messages
from app.ledger.senders import FileSender
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import (
    admin_get,
    later,
    make_ready,
    messages_of,
    place,
    quiet_ledger,
    ready_at,
)
from tests.ledger.pickup_support import CODE_PROOF, Counter, admin, lines, state
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def by_kind(ledger: RunningLedger, number: str) -> dict[str, dict[str, Any]]:
    return {m["kind"]: m for m in messages_of(ledger, number)}


def sent_lines(path: Path, number: str) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if f'"order": "{number}"' in line]


def test_news_of_a_collected_order_is_skipped(ledger: RunningLedger, tmp_path: Path) -> None:
    a = tiny_skus(ledger)[0]
    fo = place(ledger, "WEB-8401", [(a, 1)])
    counter = Counter(ledger, "BLR-01")
    make_ready(counter, fo, [(a, 1)])
    reminded = admin(
        ledger, "/admin/remind-pickups", {"now": later(ready_at(ledger, fo), days=2, minutes=1)}
    )
    # The mail gateway was down for days; meanwhile the customer came and collected.
    (handover,) = counter.send(
        counter.op("pickup.handover", fo, lines=lines((a, 1)), proof=CODE_PROOF)
    )
    out = tmp_path / "sent.jsonl"

    report = send_messages(ledger.engine, FileSender(out))

    assert "WEB-8401 day 2" in reminded["queued"] and handover["status"] == "applied"
    assert state(ledger, fo) == "collected"
    found = by_kind(ledger, "WEB-8401")
    assert {found[k]["state"] for k in ("ready", "reminder")} == {"skipped"}
    assert found["ready"]["dedupe_key"] in report.skipped
    assert found["reminder"]["dedupe_key"] in report.skipped
    assert found["ready"]["last_error"] == (
        "Not sent: order WEB-8401 was collected before this ready message went out."
    )
    assert sent_lines(out, "WEB-8401") == []
    assert "no longer needed" in report.summary()
    listed = admin_get(ledger, "/admin/messages", state="skipped")
    assert {m["order_number"] for m in listed} == {"WEB-8401"}


def test_a_cancelled_order_gets_its_cancelled_message_and_not_the_ready_one(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    a = tiny_skus(ledger)[1]
    fo = place(ledger, "WEB-8402", [(a, 1)], email="asha@example.in")
    make_ready(Counter(ledger, "BLR-01"), fo, [(a, 1)], channel="email")
    admin(ledger, "/orders/WEB-8402/cancel", {"reason": "payment failed"})
    out = tmp_path / "sent.jsonl"

    report = send_messages(ledger.engine, FileSender(out))

    found = by_kind(ledger, "WEB-8402")
    assert (found["ready"]["state"], found["cancelled"]["state"]) == ("skipped", "sent")
    assert "was cancelled before this ready message" in found["ready"]["last_error"]
    assert found["cancelled"]["dedupe_key"] in report.sent
    (line,) = sent_lines(out, "WEB-8402")
    assert '"kind": "cancelled"' in line


def test_a_message_for_a_still_ready_order_goes_out(ledger: RunningLedger, tmp_path: Path) -> None:
    a, b = tiny_skus(ledger)[2:4]
    fo = place(ledger, "WEB-8403", [(a, 1), (b, 1)])
    counter = Counter(ledger, "BLR-01")
    make_ready(counter, fo, [(a, 1), (b, 1)])
    # Half collected: the rest still waits on the shelf, so the news still holds.
    (handover,) = counter.send(
        counter.op("pickup.handover", fo, lines=lines((a, 1)), proof=CODE_PROOF)
    )

    report = send_messages(ledger.engine, FileSender(tmp_path / "sent.jsonl"))

    assert handover["status"] == "applied" and state(ledger, fo) == "ready_for_pickup"
    ready = by_kind(ledger, "WEB-8403")["ready"]
    assert ready["state"] == "sent" and ready["dedupe_key"] in report.sent
