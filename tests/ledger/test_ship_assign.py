"""A bench's ``ship.assign`` (SQLite and PostgreSQL): the picker lands on the fulfilment
order, in its change row and snapshot row for every bench of the location, on the order's
timeline and in the audit log; given to someone else or to nobody the same way; refused
with its reason for a cancelled order, for staff of another store, for another
location's order; applied once however often it is pushed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ledger.bench_support import Bench, placed
from tests.ledger.pickup_support import admin, timeline
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


def picker_of(ledger: RunningLedger, fo_id: int) -> tuple[Any, bool]:
    """(picker code, whether a time is kept with it) of a fulfilment order."""
    ((code, at),) = ledger.sql(
        "SELECT picker_code, picker_at FROM fulfilment_orders WHERE id = :f", {"f": fo_id}
    )
    return code, at is not None


def changed_row(bench: Bench, fo_id: int, after: int) -> dict[str, Any]:
    """The last fulfilment change row of ``fo_id`` a bench pulls after ``after``."""
    changes, _ = bench.pull_all(after)
    (*_, last) = [c for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo_id)]
    data: dict[str, Any] = last["data"]
    return data


def test_a_picker_given_reaches_the_order_its_change_row_timeline_and_audit(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SA-A01", {"BLR-01": 5})
    fo = placed(demo, "WEB-A01", [(sku, 1)])

    result = bench.one(bench.step("ship.assign", fo["id"], actor="L200", picker="A190"))

    assert result["status"] == "applied" and result["ledger_seq"]
    assert picker_of(demo, fo["id"]) == ("A190", True)
    row = changed_row(bench, fo["id"], result["ledger_seq"] - 1)
    assert (row["picker_code"], row["state"]) == ("A190", "routed")
    (event,) = [e for e in timeline(demo, "WEB-A01")["events"] if e["kind"] == "ship.assign"]
    assert (event["actor"], event["note"]) == ("L200", "Given to Kavya Menon (A190) to pick")
    ((actor, body),) = demo.sql(
        "SELECT actor, body FROM audit_log WHERE action = 'ship.assign' AND body LIKE :n",
        {"n": '%"WEB-A01"%'},
    )
    subject = json.loads(body)["subject"]
    assert actor == "L200"
    assert (subject["picker"], subject["fulfilment_id"], subject["op_id"]) == (
        "A190", fo["id"], result["op_id"]
    )  # fmt: skip


def test_given_to_someone_else_then_to_nobody(demo: RunningLedger, bench: Bench) -> None:
    sku = stock_item(demo, "SA-A02", {"BLR-01": 5})
    fo = placed(demo, "WEB-A02", [(sku, 1)])
    bench.one(bench.step("ship.assign", fo["id"], picker="A190"))

    other = bench.one(bench.step("ship.assign", fo["id"], picker="A100"))
    assert other["status"] == "applied" and picker_of(demo, fo["id"]) == ("A100", True)
    nobody = bench.one(bench.step("ship.assign", fo["id"], picker=""))

    assert nobody["status"] == "applied" and picker_of(demo, fo["id"]) == (None, False)
    assert changed_row(bench, fo["id"], nobody["ledger_seq"] - 1)["picker_code"] is None
    notes = [e["note"] for e in timeline(demo, "WEB-A02")["events"] if e["kind"] == "ship.assign"]
    assert notes == [
        "Given to Kavya Menon (A190) to pick",
        "Given to Arjun Rao (A100) to pick",
        "Given to nobody to pick",
    ]


def test_a_cancelled_order_is_refused_with_the_reason_and_nothing_written(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SA-A03", {"BLR-01": 5})
    fo = placed(demo, "WEB-A03", [(sku, 1)])
    bench.one(bench.step("ship.assign", fo["id"], picker="A190"))
    admin(demo, "/orders/WEB-A03/cancel", {"reason": "customer changed their mind"})
    audits = demo.sql("SELECT count(*) FROM audit_log WHERE action = 'ship.assign'")

    result = bench.one(bench.step("ship.assign", fo["id"], picker="A100"))

    assert result["status"] == "rejected"
    assert result["reason"] == "Order WEB-A03 was cancelled: nobody picks it now."
    assert result["next_step"] == "Choose an order that is still in the queue."
    assert picker_of(demo, fo["id"]) == ("A190", True)
    assert demo.sql("SELECT count(*) FROM audit_log WHERE action = 'ship.assign'") == audits


def test_staff_of_another_store_and_another_locations_order_are_refused(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SA-A04", {"BLR-01": 5})
    fo = placed(demo, "WEB-A04", [(sku, 1)])
    elsewhere = Bench(demo, "MUM-01")

    stranger = bench.one(bench.step("ship.assign", fo["id"], picker="A101"))
    not_ours = elsewhere.one(elsewhere.step("ship.assign", fo["id"], picker="A101"))
    regional = bench.one(bench.step("ship.assign", fo["id"], picker="M300"))

    assert stranger["status"] == "rejected"
    assert stranger["reason"] == (
        "A101 may not pick at BLR-01, so order WEB-A04 was not given to them."
    )
    assert (not_ours["status"], not_ours["reason"]) == (
        "rejected", "This order is not shipped from this location, so nobody was given it."
    )  # fmt: skip
    assert regional["status"] == "applied"  # M300 works at BLR-01 too
    assert picker_of(demo, fo["id"]) == ("M300", True)


def test_the_same_assignment_pushed_again_is_applied_once(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SA-A05", {"BLR-01": 5})
    fo = placed(demo, "WEB-A05", [(sku, 1)])
    op = bench.step("ship.assign", fo["id"], picker="A190")
    first = bench.one(op)

    again = bench.one(op)

    assert again["status"] == "applied" and again["ledger_seq"] == first["ledger_seq"]
    events = [e for e in timeline(demo, "WEB-A05")["events"] if e["kind"] == "ship.assign"]
    assert len(events) == 1


def test_a_snapshot_row_carries_the_picker_and_the_carriers_days(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SA-A06", {"BLR-01": 5})
    fo = placed(demo, "WEB-A06", [(sku, 1)])
    bench.one(bench.step("ship.assign", fo["id"], picker="A100"))

    page = bench.snapshot("fulfilment")
    rows = [dict(zip(page["columns"], r, strict=True)) for r in page["rows"]]
    (row,) = [r for r in rows if r["id"] == fo["id"]]

    assert row["picker_code"] == "A100"
    assert isinstance(row["transit_days"], int) and row["transit_days"] >= 1
