"""A customer's earlier returns without an order, asked by a counter of another store before
it takes one (``GET /v1/returns/no-receipt``): every store's, in the limit's period, named
by return id; audited as a lookup is; a phone that is not one refused. SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import requests

from app.domain.tax.invoice_numbers import invoice_day
from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.ledger.return_support import ReturnCounter, return_line
from tests.support.ledger import INTAKE_TOKEN, RunningLedger


def ask(device: DeviceClient, phone: str, by: str = "a100") -> requests.Response:
    return device.http.get(
        f"{device.ledger.url}/v1/returns/no-receipt", params={"by": by, "phone": phone},
        timeout=30,
    )  # fmt: skip


def _no_lookup(counter: ReturnCounter, sku: str, refund_minor: int, phone: str) -> str:
    """A return without an order taken at ``counter`` for ``phone``, sent; its return id."""
    line = return_line(None, sku, refund_minor=refund_minor, grade="B", disposition="open_box")
    return_id = uuid.uuid4().hex  # as a station names its returns
    op = counter.return_op(
        None, [line], return_id=return_id, customer_phone=phone,
        approval=("M300", uuid.uuid4().hex),
    )  # fmt: skip
    assert counter.send(op)[0]["status"] == "applied"
    return return_id


def test_another_stores_return_without_an_order_is_answered_for_the_phone(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[38]
    digits = f"9{uuid.uuid4().int % 10**9:09d}"
    blr = ReturnCounter(shared_ledger, "BLR-01")
    at_blr = _no_lookup(blr, sku, 300_000, f"+91 {digits}")
    _no_lookup(blr, sku, 100_000, f"9{uuid.uuid4().int % 10**9:09d}")  # someone else
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    answer = ask(mumbai, f"0{digits}")

    assert answer.status_code == 200, answer.text
    today = invoice_day(datetime.now(UTC))
    assert answer.json() == {
        "period_days": 30,
        "since": (today - timedelta(days=29)).isoformat(),
        "taken_minor": 300_000,
        "returns": [{"return_id": at_blr, "location": "BLR-01", "total_minor": 300_000,
                     "on": today.isoformat()}],
    }  # fmt: skip
    rows = shared_ledger.sql(
        "SELECT actor, body FROM audit_log WHERE action = 'returns.no_receipt' AND body LIKE :d",
        {"d": f"%{mumbai.device_id}%"},
    )
    assert [(a, json.loads(b)["subject"]) for a, b in rows] == [
        ("A100", {"device": mumbai.device_id, "location": "MUM-01", "phone": digits,
                  "found": 1, "returns": [at_blr]}),
    ]  # fmt: skip


def test_a_customer_with_none_is_answered_empty_a_bad_phone_is_422_a_till_token_403(
    shared_ledger: RunningLedger,
) -> None:
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    none = ask(mumbai, f"9{uuid.uuid4().int % 10**9:09d}")
    short = ask(mumbai, "98450")
    till = requests.get(
        f"{shared_ledger.url}/v1/returns/no-receipt", params={"by": "A100", "phone": "9845012345"},
        headers={"Authorization": f"Bearer {INTAKE_TOKEN}"}, timeout=30,
    )  # fmt: skip

    assert none.status_code == 200 and none.json()["returns"] == []
    assert none.json()["taken_minor"] == 0
    assert short.status_code == 422 and "not a mobile number" in short.json()["message"]
    assert till.status_code == 403  # a station's token only
