"""The retailer's rejection reasons: their stock effects when a short arrives, the count
that ends "not found", the admin commands, and the reasons scope stations pull."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.commands import ledger as ledger_cli
from app.domain.reasons import DEFAULT_REASONS
from app.ledger.reasons import add_reason, disable_reason, list_reasons, new_reason
from app.ledger.seed_reasons import SEEDED_REASONS
from tests.ledger.conftest import DeviceClient, on_hand, tiny_skus
from tests.ledger.pickup_support import Counter, lines, place_pickup, state
from tests.support.ledger import RunningLedger


def _short(counter: Counter, fo: int, sku: str, units: int, reason: str) -> dict[str, Any]:
    line = [{"sku": sku, "quantity": 0, "short": units}]
    (result,) = counter.send(counter.op("pickup.pick", fo, lines=line, reason=reason))
    return result


def _count_due(ledger: RunningLedger, sku: str, location: str = "BLR-01") -> bool:
    rows = ledger.sql(
        "SELECT b.count_due FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id "
        "WHERE l.code = :l AND i.sku = :s AND b.bucket = 'sellable'",
        {"l": location, "s": sku},
    )
    return bool(rows[0][0])


def _network_available(changes: list[dict[str, Any]], balance_id: int) -> int:
    rows = [
        c["data"] for c in changes if c["scope"] == "network_stock" and c["key"] == str(balance_id)
    ]
    return int(rows[-1]["available"])


def test_not_found_leaves_nothing_to_promise_until_the_item_is_counted(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[48]
    fo = place_pickup(shared_ledger, "WEB-7801", [(a, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    elsewhere = DeviceClient(shared_ledger, "MUM-01")  # sees BLR-01 in its network stock
    cursor = counter.head()

    result = _short(counter, fo, a, 2, "not_found")

    assert result["status"] == "applied" and result["exceptions"] == ["short_pick"]
    assert _count_due(shared_ledger, a) and on_hand(shared_ledger, "BLR-01", a) == 10
    here, _ = counter.pull_all(cursor)
    stock_row = [c["data"] for c in here if c["scope"] == "stock"][-1]
    assert stock_row["count_due"] == 1 and stock_row["on_hand"] == 10
    seen, _ = elsewhere.pull_all(cursor)
    assert _network_available(seen, stock_row["id"]) == 0
    assert state(shared_ledger, fo) == "short"

    base = counter.head()
    counted = counter.push([counter.count_op(a, 9, base=base)])["results"][0]
    assert counted["status"] == "applied"
    assert not _count_due(shared_ledger, a) and on_hand(shared_ledger, "BLR-01", a) == 9
    seen, _ = elsewhere.pull_all(base)
    assert _network_available(seen, stock_row["id"]) == 9


def test_damaged_moves_the_short_units_to_the_damaged_bucket(shared_ledger: RunningLedger) -> None:
    b = tiny_skus(shared_ledger)[49]
    fo = place_pickup(shared_ledger, "WEB-7802", [(b, 3)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    counter.send(counter.op("pickup.pick", fo, lines=lines((b, 1))))

    result = _short(counter, fo, b, 2, "damaged")

    assert result["status"] == "applied"
    assert on_hand(shared_ledger, "BLR-01", b) == 10 - 1 - 2
    assert on_hand(shared_ledger, "BLR-01", b, "damaged") == 2
    assert not _count_due(shared_ledger, b)
    moved = shared_ledger.sql(
        "SELECT bucket, kind, quantity FROM stock_movements WHERE op_id = :o ORDER BY ledger_seq",
        {"o": result["op_id"]},
    )
    assert [tuple(r) for r in moved] == [
        ("sellable", "adjustment", -2),
        ("damaged", "adjustment", 2),
    ]


def test_a_reason_with_no_effect_or_unknown_changes_no_stock(shared_ledger: RunningLedger) -> None:
    c, d = tiny_skus(shared_ledger)[43:45]
    fo = place_pickup(shared_ledger, "WEB-7803", [(c, 1), (d, 1)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")

    wrong = _short(counter, fo, c, 1, "wrong_item")
    unknown = _short(counter, fo, d, 1, "no_such_reason")  # a short is a fact: still applied

    assert wrong["status"] == unknown["status"] == "applied"
    for sku in (c, d):
        assert on_hand(shared_ledger, "BLR-01", sku) == 10 and not _count_due(shared_ledger, sku)


def test_admin_adds_and_disables_reasons_and_stations_pull_them(
    shared_ledger: RunningLedger,
) -> None:
    engine = shared_ledger.engine
    assert {r.code for r in list_reasons(engine)} >= {r.code for r in SEEDED_REASONS}
    counter = Counter(shared_ledger, "BLR-01")
    cursor = counter.head()

    added = add_reason(
        engine, new_reason("mislabelled", "Label does not match", "none", "short_pick")
    )
    disabled = disable_reason(engine, "expired")

    assert added.active and added.sort_order > max(r.sort_order for r in SEEDED_REASONS)
    assert not disabled.active
    changes, last = counter.pull_all(cursor)
    rows = {c["data"]["code"]: c["data"] for c in changes if c["scope"] == "reasons"}
    assert rows["mislabelled"]["applies_to"] == "short_pick" and rows["mislabelled"]["active"] == 1
    assert rows["expired"]["active"] == 0
    snapshot = counter.snapshot("reasons")
    assert len(snapshot["rows"]) == len(SEEDED_REASONS) + 1
    assert "reasons" in last["checksums"]

    audit = shared_ledger.sql("SELECT action, body FROM audit_log WHERE action LIKE 'reason.%'")
    assert {a for a, _ in audit} == {"reason.add", "reason.disable"}
    assert json.loads(audit[0][1])["subject"]["code"] in ("mislabelled", "expired")


def test_a_disabled_reason_keeps_its_effect_for_a_short_made_offline(
    shared_ledger: RunningLedger,
) -> None:
    e = tiny_skus(shared_ledger)[45]
    fo = place_pickup(shared_ledger, "WEB-7804", [(e, 1)])["fulfilment_orders"][0]["id"]
    engine = shared_ledger.engine
    disable_reason(engine, "not_found")
    try:
        counter = Counter(shared_ledger, "BLR-01")
        assert _short(counter, fo, e, 1, "not_found")["status"] == "applied"
        assert _count_due(shared_ledger, e)
    finally:
        add_reason(engine, next(r for r in DEFAULT_REASONS if r.code == "not_found"))


def test_the_reasons_command_lists_adds_and_disables(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", shared_ledger.db_url]
    assert ledger_cli.main(["reasons", "list", *db]) == 0
    listed = capsys.readouterr().out
    assert "not_found" in listed and "not available to promise here until counted" in listed
    add = ["reasons", "add", "torn_pack", "Pack torn", "--effect", "damaged"]
    assert ledger_cli.main([*add, "--applies-to", "short_pick,ship_reject", *db]) == 0
    assert "torn_pack" in capsys.readouterr().out
    assert ledger_cli.main(["reasons", "disable", "torn_pack", *db]) == 0
    assert "disabled" in capsys.readouterr().out
    assert ledger_cli.main(["reasons", "add", "bad", "Bad", "--effect", "vanish", *db]) == 2
    assert "vanish" in capsys.readouterr().err
    assert ledger_cli.main(["reasons", "disable", "nope", *db]) == 2


def test_a_handover_of_one_of_two_units_records_exactly_that_with_its_reason(
    shared_ledger: RunningLedger,
) -> None:
    f = tiny_skus(shared_ledger)[46]
    fo = place_pickup(shared_ledger, "WEB-7805", [(f, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    results = counter.send(
        counter.op("pickup.pick", fo, lines=lines((f, 2))),
        counter.op("pickup.stage", fo, bin="H-03"),
        counter.op("pickup.ready", fo, lines=lines((f, 2))),
        counter.op(
            "pickup.handover",
            fo,
            lines=lines((f, 1)),
            proof={"method": "pickup_code", "collected_by": "Asha Kumar"},
            cancel_left=[f],
            cancel_reason="Customer declined it",
            reason="declined",
        ),
    )

    assert [r["status"] for r in results] == ["applied"] * 4, results
    ((log,),) = shared_ledger.sql(
        "SELECT pickup_log FROM fulfilment_orders WHERE id = :f", {"f": fo}
    )
    (line,) = shared_ledger.sql(
        "SELECT collected, cancelled, restocked FROM fulfilment_lines "
        "WHERE fulfilment_order_id = :f",
        {"f": fo},
    )
    assert line == (1, 1, 0)
    handed = (json.loads(log) if isinstance(log, str) else log)["handovers"][-1]
    assert handed["lines"] == {f: 1} and handed["reason"] == "declined"
    assert state(shared_ledger, fo) == "collected"
    assert on_hand(shared_ledger, "BLR-01", f) == 8  # 1 with the customer, 1 to put back
