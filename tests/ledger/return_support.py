"""Helpers for the return intake tests: a counter that takes returns back and closes
exceptions, an order collected at the counter (so it was sold), and SQL probes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.ledger.pickup_support import CODE_PROOF, Counter, lines, place_pickup
from tests.support.ledger import RunningLedger

REFUND = {"method": "original", "shipping_minor": 0, "restocking_fee_minor": 0}


def return_line(
    line_no: int | None,
    sku: str,
    quantity: int = 1,
    *,
    grade: str = "A",
    disposition: str = "sellable",
    refund_minor: int = 10_000,
) -> dict[str, Any]:
    return {
        "line_no": line_no, "sku": sku, "quantity": quantity, "grade": grade,
        "disposition": disposition, "reason": "changed_mind", "refund_minor": refund_minor,
    }  # fmt: skip


class ReturnCounter(Counter):
    """A counter (or bench) that takes returns back."""

    def return_op(
        self,
        order: str | None,
        taken: list[dict[str, Any]],
        *,
        return_id: str | None = None,
        approval: tuple[str, str] | None = None,
        actor: str = "A100",
        **payload: Any,
    ) -> dict[str, Any]:
        seq = self.next_seq
        self.next_seq += 1
        total = sum(int(line.get("refund_minor", 0)) for line in taken)
        op: dict[str, Any] = {
            "op_id": uuid.uuid4().hex,
            "device_seq": seq,
            "type": "return.intake",
            "payload": {
                "location": self.location, "return_id": return_id or str(uuid.uuid4()),
                "order": order, "lines": taken, "refund": {**REFUND, "total_minor": total},
                "credit_note": None, **payload,
            },
            "actor": actor,
            "device_time": datetime.now(UTC).isoformat(),
            "base_ledger_seq": 0,
        }  # fmt: skip
        if approval is not None:
            op["approval"] = {"approver": approval[0], "approval_id": approval[1]}
        return op

    def resolve_op(self, exception_id: int, actor: str) -> dict[str, Any]:
        seq = self.next_seq
        self.next_seq += 1
        return {
            "op_id": uuid.uuid4().hex,
            "device_seq": seq,
            "type": "exception.resolve",
            "payload": {"location": self.location, "exception_id": exception_id,
                        "note": "checked the returns with the customer"},
            "actor": actor,
            "device_time": datetime.now(UTC).isoformat(),
            "base_ledger_seq": 0,
        }  # fmt: skip


def collected_order(ledger: RunningLedger, number: str, items: list[tuple[str, int]]) -> int:
    """A pickup order at BLR-01 picked and handed over (sold); its fulfilment order id."""
    fo = int(place_pickup(ledger, number, items)["fulfilment_orders"][0]["id"])
    counter = Counter(ledger, "BLR-01")
    results = counter.send(
        counter.op("pickup.pick", fo, lines=lines(*items)),
        counter.op("pickup.stage", fo, bin="h-05"),
        counter.op("pickup.handover", fo, lines=lines(*items), proof=CODE_PROOF),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return fo


def refund_of(ledger: RunningLedger, op_id: str) -> tuple[str, str | None]:
    """(refund_state, held_reason) of the return an operation recorded."""
    [(state, why)] = ledger.sql(
        "SELECT refund_state, held_reason FROM returns WHERE op_id = :o", {"o": op_id}
    )
    return str(state), why


def flags(ledger: RunningLedger, op_id: str) -> list[tuple[int, str, str, str]]:
    """(id, kind, message, next step) of the exceptions an operation opened."""
    rows = ledger.sql(
        "SELECT id, kind, message, next_step FROM exceptions WHERE op_id = :o ORDER BY id",
        {"o": op_id},
    )
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def moved(ledger: RunningLedger, op_id: str) -> list[tuple[str, str, int]]:
    """(bucket, kind, quantity) of the movements an operation posted, in ledger order."""
    rows = ledger.sql(
        "SELECT bucket, kind, quantity FROM stock_movements WHERE op_id = :o "
        "ORDER BY ledger_seq, id",
        {"o": op_id},
    )
    return [(str(b), str(k), int(q)) for b, k, q in rows]
