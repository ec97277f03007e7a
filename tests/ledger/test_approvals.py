"""The ledger re-checks every approval a station claims (issue 9 §5), over real HTTP.

A claimed approval that does not hold is applied all the same (a count is a physical
fact) and opens an ``approval_not_valid`` exception naming who claimed what.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.ledger.conftest import DeviceClient, on_hand, tiny_skus
from tests.support.ledger import RunningLedger


@pytest.fixture(scope="module")
def other_manager(shared_ledger: RunningLedger) -> str:
    """A manager whose store is not BLR-01, a lead who left, and a regional manager
    assigned to no store of the tiny ledger."""
    other = shared_ledger.sql("SELECT id FROM locations WHERE code != 'BLR-01' ORDER BY id")[0][0]
    home = shared_ledger.sql("SELECT id FROM locations WHERE code = 'BLR-01'")[0][0]
    for code, name, role, where, active in (
        ("M390", "Farah Khan", "manager", other, True),
        ("L290", "Gone Lead", "lead", home, False),
        ("M391", "Regional North", "manager", None, True),  # regional, no store here
    ):
        if shared_ledger.sql("SELECT 1 FROM staff WHERE code = :c", {"c": code}):
            continue
        shared_ledger.sql(
            "INSERT INTO staff (code, name, role, pin_hash, badge_hash, home_location_id, active) "
            "VALUES (:c, :n, :r, '', '', :h, :a)",
            {"c": code, "n": name, "r": role, "h": where, "a": active},
        )
    return "M390"


def _approved(
    station: DeviceClient, sku: str, observed: int, approver: str, approval_id: str
) -> dict[str, Any]:
    op = station.count_op(sku, observed, base=station.head())
    op["approval"] = {"approver": approver, "approval_id": approval_id}
    return op


def _flags(ledger: RunningLedger, op_id: str) -> list[tuple[str, str, str]]:
    return [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in ledger.sql(
            "SELECT kind, message, next_step FROM exceptions WHERE op_id = :o", {"o": op_id}
        )
    ]


@pytest.mark.parametrize(
    ("approver", "words"),
    [
        ("A100", "Arjun Rao (A100) is an associate; this needs a lead or a manager."),
        ("M390", "Farah Khan (M390) works at"),
        ("M391", "Regional North (M391) works at other stores, not at this store."),
        ("Z999", "the ledger knows no staff member with code Z999."),
        ("L290", "Gone Lead (L290) is no longer active staff."),
    ],
    ids=["associate", "other-store-manager", "unassigned-regional", "unknown-code", "inactive"],
)
def test_a_claimed_approval_that_does_not_hold_is_applied_and_flagged(
    shared_ledger: RunningLedger, other_manager: str, approver: str, words: str
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)[44]
    op = _approved(station, sku, 9, approver, f"AP-{uuid.uuid4().hex[:8]}")

    result = station.push([op])["results"][0]

    assert result["status"] == "applied"  # the count happened: it is recorded
    assert on_hand(shared_ledger, "BLR-01", sku) == 9
    [(kind, message, next_step)] = _flags(shared_ledger, op["op_id"])
    assert kind == "approval_not_valid"
    assert f"A100 recorded it as approved by {approver}" in message
    assert words in message
    assert "A manager should check" in next_step
    audit = shared_ledger.sql(
        "SELECT approver FROM audit_log WHERE action = 'approval.refuted' AND body LIKE :o",
        {"o": f"%{op['op_id']}%"},
    )
    assert audit == [(approver,)]


def test_a_true_approval_is_not_flagged_and_is_recorded_as_the_approver(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    lead = _approved(station, sku[45], 4, "L200", f"AP-{uuid.uuid4().hex[:8]}")
    regional = _approved(station, sku[46], 5, "M300", f"AP-{uuid.uuid4().hex[:8]}")

    results = station.push([lead, regional])["results"]

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert _flags(shared_ledger, lead["op_id"]) == []
    assert _flags(shared_ledger, regional["op_id"]) == []
    approvers = shared_ledger.sql(
        "SELECT approver FROM audit_log WHERE action = 'stock.count' AND "
        "(body LIKE :a OR body LIKE :b) ORDER BY id",
        {"a": f"%{lead['op_id']}%", "b": f"%{regional['op_id']}%"},
    )
    assert approvers == [("L200",), ("M300",)]


def test_an_approval_id_used_twice_is_flagged_on_the_second_operation_from_any_station(
    shared_ledger: RunningLedger,
) -> None:
    first, second = DeviceClient(shared_ledger, "BLR-01"), DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    approval_id = f"AP-{uuid.uuid4().hex[:8]}"
    once = _approved(first, sku[47], 3, "M300", approval_id)
    again_same_batch = _approved(first, sku[48], 3, "M300", approval_id)
    elsewhere = _approved(second, sku[49], 3, "M300", approval_id)

    first.push([once, again_same_batch])
    second.push([elsewhere])
    replay = first.push([once, again_same_batch])  # a replay opens nothing more

    assert all(r["replayed"] for r in replay["results"])
    assert _flags(shared_ledger, once["op_id"]) == []
    for op in (again_same_batch, elsewhere):
        [(kind, message, _)] = _flags(shared_ledger, op["op_id"])
        assert kind == "approval_not_valid"
        assert f"approval {approval_id} was already used for another operation" in message
        assert once["op_id"] in message
