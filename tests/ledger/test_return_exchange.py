"""An exchange's replacement order (``exchange.order``) pushed to a real ledger, on SQLite
and PostgreSQL: it is placed only when the return that pays for it was taken in at the
station's store with a refund that is the customer's; a return held for a manager, a
return this store never took in, or another store's name is refused with words, and
nothing is reserved.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from app.domain.returns.exchange import ExchangeLine, ExchangeOrder, exchange_order_number
from tests.ledger.conftest import tiny_skus
from tests.ledger.return_support import ReturnCounter, return_line
from tests.support.ledger import RunningLedger


def _phone() -> str:
    return f"+91 9{uuid.uuid4().int % 10**9:09d}"


def _exchange_op(
    counter: ReturnCounter, return_id: str, sku: str, location: str | None = None
) -> dict[str, Any]:
    where = location or counter.location
    rid = uuid.UUID(return_id).hex
    order = ExchangeOrder(
        location=where, return_id=rid, order_number=exchange_order_number(where, rid),
        pickup_code="123456", customer_name="Exchange customer",
        lines=(ExchangeLine(sku, 1),), refund_minor=10_000, replacement_minor=10_000,
    )  # fmt: skip
    seq = counter.next_seq
    counter.next_seq += 1
    return {
        "op_id": uuid.uuid4().hex, "device_seq": seq, "type": "exchange.order",
        "payload": order.to_payload(), "actor": "A100",
        "device_time": datetime.now(UTC).isoformat(), "base_ledger_seq": 0,
    }  # fmt: skip


def _placed(ledger: RunningLedger, op: dict[str, Any]) -> int:
    rows = ledger.sql(
        "SELECT count(*) FROM orders WHERE order_number = :n",
        {"n": op["payload"]["order_number"]},
    )
    return int(rows[0][0])


def test_a_return_held_for_a_manager_pays_for_no_replacement(
    shared_ledger: RunningLedger,
) -> None:
    back, out = tiny_skus(shared_ledger)[30:32]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    line = return_line(None, back, refund_minor=120_000, grade="B", disposition="open_box")
    held = counter.return_op(None, [line], customer_phone=_phone())  # no manager approved
    exchange = _exchange_op(counter, held["payload"]["return_id"], out)

    took, placed = counter.send(held, exchange)

    assert took["status"] == "applied" and took["exceptions"] == ["return_needs_approval"]
    assert placed["status"] == "rejected"
    assert "waits for a manager (was taken in without the order" in placed["reason"]
    assert "Do not hand the replacement over" in placed["next_step"]
    assert _placed(shared_ledger, exchange) == 0


def test_an_exchange_needs_its_return_taken_in_at_this_store(
    shared_ledger: RunningLedger,
) -> None:
    (out,) = tiny_skus(shared_ledger)[32:33]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    nowhere = _exchange_op(counter, str(uuid.uuid4()), out)
    elsewhere = _exchange_op(counter, str(uuid.uuid4()), out, location="MUM-01")

    missing, named = counter.send(nowhere, elsewhere)

    assert missing["status"] == named["status"] == "rejected"
    assert "was not taken in at this store" in missing["reason"]
    assert "it names MUM-01, not this station's store BLR-01" in named["reason"]
    assert _placed(shared_ledger, nowhere) == _placed(shared_ledger, elsewhere) == 0
