"""Invoice and credit note number blocks and invoice numbers at the ledger (SQLite and
PostgreSQL): each bench's series in blocks that follow one another, a lost answer answered
again (no serial skipped), a new series each financial year, two benches never sharing a
number, credit notes in a series of their own beside the invoices' (a station from before
credit notes, naming no series, still gets invoice blocks), and the number a pack carries
kept on the order once (used twice: flagged)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.domain.exception_texts import INVOICE_REUSED
from app.domain.tax.invoice_numbers import BLOCK_SIZE
from tests.ledger.bench_support import Bench, bin_lines, open_kinds, parcel, placed
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def ask(
    bench: Bench, year: int, known_last: int, series: str | None = None
) -> list[tuple[Any, ...]]:
    """The blocks answered, as a station from before credit notes asks (no series) or
    naming ``series``; each answered block says the series it is of."""
    body: dict[str, Any] = {"financial_year": year, "known_last": known_last}
    if series is not None:
        body["series"] = series
    response = bench.http.post(f"{bench.ledger.url}/v1/invoice-blocks", json=body, timeout=30)
    assert response.status_code == 200, response.text
    blocks = response.json()["blocks"]
    assert {b["series"] for b in blocks} <= {series or "invoice"}
    return [(b["financial_year"], b["prefix"], b["first"], b["last"]) for b in blocks]


def station_prefix(demo: RunningLedger, bench: Bench, letter: str = "B") -> str:
    ((number,),) = demo.sql("SELECT id FROM devices WHERE device_id = :d", {"d": bench.device_id})
    return f"{letter}{int(number):04d}"


def test_blocks_follow_one_another_and_a_lost_answer_is_answered_again(
    demo: RunningLedger,
) -> None:
    bench = Bench(demo, "BLR-01")
    prefix = station_prefix(demo, bench)

    first = ask(bench, 2026, 0)
    again = ask(bench, 2026, 0)  # the first answer was lost on the way
    second = ask(bench, 2026, BLOCK_SIZE)
    both = ask(bench, 2026, 0)  # a bench that lost both answers gets both

    assert first == again == [(2026, prefix, 1, BLOCK_SIZE)]
    assert second == [(2026, prefix, BLOCK_SIZE + 1, 2 * BLOCK_SIZE)]
    assert both == first + second
    assert ask(bench, 2027, 0) == [(2027, prefix, 1, BLOCK_SIZE)]  # a new year: a new series


def test_two_benches_never_share_a_number(demo: RunningLedger) -> None:
    one, two = Bench(demo, "BLR-01"), Bench(demo, "BLR-01")

    (a,), (b,) = ask(one, 2026, 0), ask(two, 2026, 0)

    assert a[1] != b[1]  # each bench numbers under its own prefix
    assert (a[2], a[3]) == (b[2], b[3]) == (1, BLOCK_SIZE)


def test_credit_notes_run_a_series_of_their_own_per_bench_and_year(demo: RunningLedger) -> None:
    one, two = Bench(demo, "BLR-01"), Bench(demo, "BLR-01")
    c_one, c_two = station_prefix(demo, one, "C"), station_prefix(demo, two, "C")

    invoices = ask(one, 2026, 0, "invoice")
    notes = ask(one, 2026, 0, "credit_note")
    more_notes = ask(one, 2026, BLOCK_SIZE, "credit_note")
    lost = ask(one, 2026, 0, "credit_note")  # both credit note answers were lost
    other_bench = ask(two, 2026, 0, "credit_note")
    next_year = ask(one, 2027, 0, "credit_note")

    assert invoices == [(2026, station_prefix(demo, one), 1, BLOCK_SIZE)]
    assert notes == [(2026, c_one, 1, BLOCK_SIZE)]  # not after the invoices' serials
    assert more_notes == [(2026, c_one, BLOCK_SIZE + 1, 2 * BLOCK_SIZE)]
    assert lost == notes + more_notes
    assert other_bench == [(2026, c_two, 1, BLOCK_SIZE)] and c_two != c_one
    assert next_year == [(2027, c_one, 1, BLOCK_SIZE)]
    assert ask(one, 2026, BLOCK_SIZE, "invoice")[0][2] == BLOCK_SIZE + 1  # invoices go on
    kept = demo.sql(
        "SELECT series, count(*) FROM invoice_blocks WHERE device_id = :d GROUP BY series "
        "ORDER BY series",
        {"d": one.device_id},
    )
    assert [tuple(r) for r in kept] == [("credit_note", 3), ("invoice", 2)]


def test_a_station_naming_no_series_still_gets_invoice_blocks(demo: RunningLedger) -> None:
    bench = Bench(demo, "BLR-01")
    notes = ask(bench, 2026, 0, "credit_note")  # credit notes first: the old ask ignores them

    old = ask(bench, 2026, 0)

    assert old == [(2026, station_prefix(demo, bench), 1, BLOCK_SIZE)]
    assert notes == [(2026, station_prefix(demo, bench, "C"), 1, BLOCK_SIZE)]


@pytest.mark.parametrize(
    "body",
    [{"financial_year": 26, "known_last": 0},
     {"financial_year": 2026, "known_last": 0, "series": "receipt"}],
)  # fmt: skip
def test_a_bad_request_is_refused_in_words(demo: RunningLedger, body: dict[str, Any]) -> None:
    bench = Bench(demo, "BLR-01")
    response = bench.http.post(f"{demo.url}/v1/invoice-blocks", json=body, timeout=30)
    assert response.status_code == 422


def picked(demo: RunningLedger, bench: Bench, number: str) -> tuple[str, int]:
    sku = stock_item(demo, f"IV-{number}", {"BLR-01": 5})
    fo = placed(demo, number, [(sku, 2)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T1"))
    return sku, int(fo["id"])


def invoice_of(demo: RunningLedger, fo: int) -> list[tuple[Any, ...]]:
    return demo.sql("SELECT number FROM order_invoices WHERE fulfilment_order_id = :f", {"f": fo})


def test_the_first_pack_records_the_orders_invoice_number(demo: RunningLedger) -> None:
    bench = Bench(demo, "BLR-01")
    sku, fo = picked(demo, bench, "WEB-IV1")

    first = bench.one(
        bench.step("ship.pack", fo, parcel=parcel((sku, 1)), invoice="B0001/2627/00001")
    )
    second = bench.one(bench.step("ship.pack", fo, parcel=parcel((sku, 1))))

    assert [first["status"], second["status"]] == ["applied", "applied"]
    assert first["exceptions"] == second["exceptions"] == []
    assert invoice_of(demo, fo) == [("B0001/2627/00001",)]


def test_a_number_used_twice_is_flagged_and_kept_once(demo: RunningLedger) -> None:
    bench = Bench(demo, "BLR-01")
    sku, fo = picked(demo, bench, "WEB-IV2")
    other_sku, other = picked(demo, bench, "WEB-IV3")
    bench.one(bench.step("ship.pack", fo, parcel=parcel((sku, 2)), invoice="B0001/2627/00002"))

    twice = bench.one(
        bench.step("ship.pack", other, parcel=parcel((other_sku, 2)), invoice="B0001/2627/00002")
    )

    assert twice["status"] == "applied"  # the parcel is packed: a fact, recorded
    assert INVOICE_REUSED in twice["exceptions"]
    assert invoice_of(demo, other) == []
    assert invoice_of(demo, fo) == [("B0001/2627/00002",)]
    assert INVOICE_REUSED in open_kinds(demo, "WEB-IV3")


def test_a_malformed_invoice_number_is_refused(demo: RunningLedger) -> None:
    bench = Bench(demo, "BLR-01")
    sku, fo = picked(demo, bench, "WEB-IV4")

    result = bench.one(bench.step("ship.pack", fo, parcel=parcel((sku, 2)), invoice="B0001 2627#1"))

    assert result["status"] == "rejected"
    assert invoice_of(demo, fo) == []
