"""Packing pushed by a bench (SQLite and PostgreSQL): parcels with their SSCCs, weights
and lines as rows and in the pulled fulfilment row, a weight outside the tolerance
accepted by a lead (audited) or flagged, a label voided and the units repacked, a
reused label flagged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ledger.bench_support import (
    Bench,
    bin_lines,
    line_counters,
    open_kinds,
    parcel,
    placed,
    state_of,
)
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def bench(demo: RunningLedger) -> Bench:
    return Bench(demo, "BLR-01")


def picked(demo: RunningLedger, bench: Bench, number: str, units: int) -> tuple[str, int]:
    sku = stock_item(demo, f"SP-{number}", {"BLR-01": 5})
    fo = placed(demo, number, [(sku, units)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, units)), tote="PB-1-T1"))
    return sku, int(fo["id"])


def parcels(demo: RunningLedger, fo_id: int) -> list[tuple[Any, ...]]:
    rows = demo.sql(
        "SELECT p.sscc, p.weight_g, p.expected_g, p.override_by, p.carrier, p.tracking, "
        "p.void, l.sku, l.quantity FROM parcels p JOIN parcel_lines l ON l.parcel_id = p.id "
        "WHERE p.fulfilment_order_id = :f ORDER BY p.id",
        {"f": fo_id},
    )
    return [(*r[:6], bool(r[6]), *r[7:]) for r in rows]


def test_an_order_packs_into_two_parcels_each_with_its_sscc_and_weight(
    demo: RunningLedger, bench: Bench
) -> None:
    sku, fo = picked(demo, bench, "WEB-P01", 3)
    cursor = bench.head()
    first, second = (
        parcel((sku, 2), weight_g=900, expected_g=880),
        parcel((sku, 1), weight_g=450, expected_g=440),
    )

    results = bench.send(
        bench.step("ship.pack", fo, parcel=first),
        bench.step("ship.pack", fo, parcel=second),
    )

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert [r["exceptions"] for r in results] == [[], []]
    assert parcels(demo, fo) == [
        (first["sscc"], 900, 880, None, "own_fleet", first["sscc"], False, sku, 2),
        (second["sscc"], 450, 440, None, "own_fleet", second["sscc"], False, sku, 1),
    ]
    assert line_counters(demo, fo) == [(3, 0, 0, 3)]
    assert state_of(demo, fo) == "packed"
    changes, _ = bench.pull_all(cursor)
    (row,) = [c["data"] for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo)][-1:]
    assert row["state"] == "packed" and row["lines"][0]["packed"] == 3
    assert [(p["sscc"], p["lines"], p["void"]) for p in row["parcels"]] == [
        (first["sscc"], [[sku, 2]], False),
        (second["sscc"], [[sku, 1]], False),
    ]


def test_a_weight_outside_the_tolerance_accepted_by_a_lead_is_audited(
    demo: RunningLedger, bench: Bench
) -> None:
    sku, fo = picked(demo, bench, "WEB-P02", 1)
    claim = {"lead": "L200", "reason": "Box label weight wrong"}
    pack = bench.step("ship.pack", fo, parcel=parcel((sku, 1), weight_g=1500, override=claim))

    result = bench.one(pack)

    assert result["status"] == "applied" and result["exceptions"] == []
    assert parcels(demo, fo)[0][3] == "L200"
    audit = demo.sql(
        "SELECT actor, approver, body FROM audit_log WHERE action = 'ship.weight_override'"
    )
    ours = [a for a in audit if pack["op_id"] in str(a[2])]
    assert len(ours) == 1 and ours[0][:2] == ("A100", "L200")
    subject = json.loads(ours[0][2])["subject"]
    assert (subject["weight_g"], subject["expected_g"], subject["reason"]) == (
        1500,
        600,
        "Box label weight wrong",
    )
    (event,) = demo.sql(
        "SELECT approver FROM fulfilment_events WHERE op_id = :o", {"o": pack["op_id"]}
    )
    assert event == ("L200",)
    assert open_kinds(demo, "WEB-P02") == []


def test_an_override_by_someone_who_is_no_lead_is_flagged_not_refused(
    demo: RunningLedger, bench: Bench
) -> None:
    sku, fo = picked(demo, bench, "WEB-P03", 1)
    claim = {"lead": "A100", "reason": "Looks fine"}

    result = bench.one(
        bench.step("ship.pack", fo, parcel=parcel((sku, 1), weight_g=1500, override=claim))
    )

    assert result["status"] == "applied"
    assert state_of(demo, fo) == "packed"
    (kind,) = demo.sql("SELECT kind FROM exceptions WHERE op_id = :o", {"o": result["op_id"]})
    assert kind == ("approval_not_valid",)


def test_a_weight_outside_the_tolerance_without_a_lead_is_flagged(
    demo: RunningLedger, bench: Bench
) -> None:
    sku, fo = picked(demo, bench, "WEB-P04", 1)

    result = bench.one(bench.step("ship.pack", fo, parcel=parcel((sku, 1), weight_g=1500)))

    assert result["status"] == "applied" and result["exceptions"] == ["weight_unchecked"]
    assert open_kinds(demo, "WEB-P04") == ["weight_unchecked"]
    (message,) = demo.sql("SELECT message FROM exceptions WHERE op_id = :o", {"o": result["op_id"]})
    assert message[0] == (
        f"A parcel of order WEB-P04 (1 × Test item {sku} ({sku})) weighs outside what its "
        "items should weigh, and no lead accepted it."
    )


def test_a_voided_label_loosens_its_units_to_repack(demo: RunningLedger, bench: Bench) -> None:
    sku, fo = picked(demo, bench, "WEB-P05", 2)
    old = parcel((sku, 2))
    bench.one(bench.step("ship.pack", fo, parcel=old))

    cursor = bench.head()
    void = bench.one(bench.step("ship.label_void", fo, sscc=old["sscc"], reason="misprinted"))
    changes, _ = bench.pull_all(cursor)
    (row,) = [c["data"] for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo)]
    after_void = (line_counters(demo, fo), state_of(demo, fo))
    new = parcel((sku, 2))
    repack = bench.one(bench.step("ship.pack", fo, parcel=new))
    again = bench.one(bench.step("ship.label_void", fo, sscc=old["sscc"], reason="misprinted"))

    assert void["status"] == "applied" and repack["status"] == "applied"
    assert after_void == ([(2, 0, 0, 0)], "picked")
    assert [(p["sscc"], p["void"]) for p in row["parcels"]] == [(old["sscc"], True)]
    assert "packed" not in row["lines"][0]  # none packed any more
    assert [(p[0], p[6]) for p in parcels(demo, fo)] == [(old["sscc"], True), (new["sscc"], False)]
    assert line_counters(demo, fo) == [(2, 0, 0, 2)] and state_of(demo, fo) == "packed"
    assert again["status"] == "rejected"
    assert again["reason"] == f"Parcel {old['sscc']} is not a packed parcel of order WEB-P05."
    (voided,) = demo.sql("SELECT voided_reason FROM parcels WHERE sscc = :s", {"s": old["sscc"]})
    assert voided == ("misprinted",)


def test_a_label_used_on_another_order_is_flagged(demo: RunningLedger, bench: Bench) -> None:
    a, first = picked(demo, bench, "WEB-P06", 1)
    b, second = picked(demo, bench, "WEB-P07", 1)
    label = parcel((a, 1))
    bench.one(bench.step("ship.pack", first, parcel=label))

    result = bench.one(
        bench.step("ship.pack", second, parcel={**parcel((b, 1), sscc=label["sscc"])})
    )

    assert result["status"] == "applied" and result["exceptions"] == ["sscc_reused"]
    assert state_of(demo, second) == "packed"
