"""Helpers for the ship step tests: a packing bench that pushes ``ship.*`` operations for
its location, parcels as a bench packs them, and SQL probes of stock and exceptions."""

from __future__ import annotations

from typing import Any

from app.domain.gtin import make_sscc
from app.domain.shipping.parcels import LOCAL_COURIER
from tests.ledger.pickup_support import Counter
from tests.ledger.ship_support import fulfilments_of, ship_order
from tests.support.ledger import RunningLedger

_serials = iter(range(1, 10**6))


class Bench(Counter):
    """A packing bench at ``location`` (a station of kind bench)."""

    def __init__(self, ledger: RunningLedger, location: str) -> None:
        super().__init__(ledger, location, "bench")

    def step(
        self, op_type: str, fulfilment_id: int, actor: str = "A100", **payload: Any
    ) -> dict[str, Any]:
        op = self.op(op_type, fulfilment_id, **payload)
        op["actor"] = actor
        return op

    def one(self, op: dict[str, Any]) -> dict[str, Any]:
        (result,) = self.send(op)
        return result


def new_sscc() -> str:
    return make_sscc(0, "8901234", next(_serials))


def bin_lines(*pairs: tuple[str, int], bin_code: str = "A-01-1") -> list[dict[str, Any]]:
    return [{"sku": sku, "quantity": q, "bin": bin_code} for sku, q in pairs]


def parcel(
    *pairs: tuple[str, int],
    weight_g: int = 600,
    expected_g: int = 600,
    override: dict[str, str] | None = None,
    sscc: str | None = None,
) -> dict[str, Any]:
    """A parcel packed by our own riders (tracked by its SSCC)."""
    code = sscc or new_sscc()
    return {
        "sscc": code,
        "box": "BOX-S",
        "weight_g": weight_g,
        "expected_g": expected_g,
        "lines": [{"sku": sku, "quantity": q} for sku, q in pairs],
        "carrier": LOCAL_COURIER,
        "tracking": code,
        "override": override,
    }


def placed(ledger: RunningLedger, number: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
    """Place a ship order; its one fulfilment order (id, location …)."""
    ledger.place_order(ship_order(number, lines))
    (fo,) = fulfilments_of(ledger, number)
    return fo


def bucket(
    ledger: RunningLedger, location: str, sku: str, name: str = "sellable"
) -> tuple[int, ...]:
    """(on hand, reserved, count due) of a balance; () when there is none."""
    rows = ledger.sql(
        "SELECT b.on_hand, b.reserved, b.count_due FROM stock_balances b "
        "JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id "
        "WHERE l.code = :l AND i.sku = :s AND b.bucket = :b",
        {"l": location, "s": sku, "b": name},
    )
    return tuple(int(v) for v in rows[0]) if rows else ()


def open_kinds(ledger: RunningLedger, number: str) -> list[str]:
    rows = ledger.sql(
        "SELECT kind FROM exceptions WHERE order_number = :n AND status = 'open' ORDER BY id",
        {"n": number},
    )
    return [r[0] for r in rows]


def line_counters(ledger: RunningLedger, fo_id: int) -> list[tuple[int, ...]]:
    """(picked, restocked, short, packed) of each line of the fulfilment order."""
    rows = ledger.sql(
        "SELECT picked, restocked, short, packed FROM fulfilment_lines "
        "WHERE fulfilment_order_id = :f ORDER BY line_no",
        {"f": fo_id},
    )
    return [tuple(int(v) for v in r) for r in rows]


def state_of(ledger: RunningLedger, fo_id: int) -> str:
    return str(ledger.sql("SELECT state FROM fulfilment_orders WHERE id = :f", {"f": fo_id})[0][0])
