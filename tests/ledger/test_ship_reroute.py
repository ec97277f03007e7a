"""Rerouting refused ship lines on the demo geography: never back to a location that
refused the order (this time or before), reserved where it goes, the decision kept and
shown by ``counterbench ledger route --explain``; an HQ exception when only refusers
hold the stock."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from app.commands.ledger import main as ledger_main
from app.ledger.ship_reroute import Rerouted, reroute_lines
from app.ledger.writes import WriteBatch
from tests.ledger.ship_support import (
    PRICE_MINOR,
    demo_ledger,
    fulfilments_of,
    ship_order,
    stock_item,
)
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def reroute(
    ledger: RunningLedger, number: str, lines: list[tuple[str, int]], refused_by: set[str]
) -> Rerouted:
    (order_id,) = ledger.sql("SELECT id FROM orders WHERE order_number = :n", {"n": number})[0]
    with ledger.engine.begin() as conn:
        batch = WriteBatch(conn)
        done = reroute_lines(conn, batch, order_id, lines, refused_by)
        batch.flush()
    return done


def reserved(ledger: RunningLedger, sku: str) -> dict[str, int]:
    rows = ledger.sql(
        "SELECT l.code, b.reserved FROM stock_balances b JOIN locations l "
        "ON l.id = b.location_id JOIN items i ON i.id = b.item_id WHERE i.sku = :s",
        {"s": sku},
    )
    return {code: qty for code, qty in rows if qty}


def decisions(ledger: RunningLedger, number: str) -> list[tuple[str, list[str], list[str]]]:
    rows = ledger.sql(
        "SELECT d.kind, d.locations, d.explanation FROM route_decisions d JOIN orders o "
        "ON o.id = d.order_id WHERE o.order_number = :n ORDER BY d.id",
        {"n": number},
    )
    return [(k, *(json.loads(v) if isinstance(v, str) else v for v in rest)) for k, *rest in rows]


def test_a_rerouted_line_never_goes_back_to_a_refuser(demo: RunningLedger) -> None:
    sku = stock_item(demo, "RR-T01", {"BLR-01": 5, "BLR-02": 5, "WH-BHW": 5})
    demo.place_order(ship_order("WEB-R01", [(sku, 2)], payment="cod"))

    first = reroute(demo, "WEB-R01", [(sku, 2)], {"BLR-01"})
    second = reroute(demo, "WEB-R01", [(sku, 2)], {"BLR-02"})

    assert [f.location for f in first.fulfilment_orders] == ["BLR-02"]
    assert [f.location for f in second.fulfilment_orders] == ["WH-BHW"]  # not BLR-01 again
    assert "Not offered to BLR-01 again: it refused this order." in second.explanation
    assert reserved(demo, sku) == {"BLR-01": 2, "BLR-02": 2, "WH-BHW": 2}  # released later
    rows = fulfilments_of(demo, "WEB-R01")
    assert [r["location"] for r in rows] == ["BLR-01", "BLR-02", "WH-BHW"]
    newest = rows[-1]
    assert newest["state"] == "routed" and newest["ship_to"] == rows[0]["ship_to"]
    assert newest["payment"] == "cod" and newest["cod_minor"] == 2 * PRICE_MINOR
    assert newest["carrier"] and newest["ship_by"] and newest["promised_by"]
    assert newest["route_note"].startswith("Rerouted: refused by BLR-01, BLR-02.")
    kinds = [(k, where) for k, where, _ in decisions(demo, "WEB-R01")]
    assert kinds == [("routed", ["BLR-01"]), ("rerouted", ["BLR-02"]), ("rerouted", ["WH-BHW"])]
    refusers = demo.sql(
        "SELECT l.code FROM order_refusals r JOIN locations l ON l.id = r.location_id "
        "JOIN orders o ON o.id = r.order_id WHERE o.order_number = 'WEB-R01' ORDER BY l.code"
    )
    assert refusers == [("BLR-01",), ("BLR-02",)]


def test_a_line_only_refusers_hold_becomes_an_hq_exception(demo: RunningLedger) -> None:
    sku = stock_item(demo, "RR-T02", {"BLR-01": 3})
    demo.place_order(ship_order("WEB-R02", [(sku, 1)]))
    before = demo.sql("SELECT count(*) FROM fulfilment_orders")

    done = reroute(demo, "WEB-R02", [(sku, 1)], {"BLR-01"})

    assert done.fulfilment_orders == [] and done.exception_id is not None
    (exc,) = demo.sql(
        "SELECT e.kind, l.code, e.order_number, e.message, e.status FROM exceptions e "
        "JOIN locations l ON l.id = e.location_id WHERE e.id = :i",
        {"i": done.exception_id},
    )
    assert exc[:3] == ("cannot_reroute", "BLR-01", "WEB-R02") and exc[4] == "open"
    assert "No location can ship all of this order" in exc[3]
    assert demo.sql("SELECT count(*) FROM fulfilment_orders") == before
    last = decisions(demo, "WEB-R02")[-1]
    assert last[:2] == ("rerouted", []) and "Not offered to BLR-01 again" in " ".join(last[2])


def test_the_cli_explains_every_decision(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    sku = stock_item(demo, "RR-T03", {"BLR-01": 4, "BLR-02": 4})
    demo.place_order(ship_order("WEB-R03", [(sku, 1)]))
    reroute(demo, "WEB-R03", [(sku, 1)], {"BLR-01"})
    capsys.readouterr()

    status = ledger_main(["route", "--explain", "WEB-R03", "--db", demo.db_url])

    out = capsys.readouterr().out.splitlines()
    assert status == 0
    heads = [line for line in out if not line.startswith("  ")]
    assert [h.split("UTC  ")[1] for h in heads] == ["routed to BLR-01", "rerouted to BLR-02"]
    said = "\n".join(out)
    assert "  Ship from BLR-01" in said and "  Runner-up BLR-02" in said
    assert "not chosen:" in said and "  Not offered to BLR-01 again" in said


def test_the_cli_refuses_an_unknown_order(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    status = ledger_main(["route", "--explain", "NO-SUCH-1", "--db", demo.db_url])
    assert status == 2
    assert "There is no order NO-SUCH-1 in the ledger." in capsys.readouterr().err


def test_the_cli_says_when_an_order_has_no_ship_decision(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    status = ledger_main(["route", "--explain", "WEB-240001", "--db", demo.db_url])  # pickup
    assert status == 0 and "no ship routing decision" in capsys.readouterr().out
