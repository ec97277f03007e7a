"""The credit note a return prints names the tax invoice it reverses: the B-series number
the bench packed the order under, not the order number; a till sale's receipt is its
invoice. Real ledger (SQLite and PostgreSQL), a counter at another store, the PDF's text."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan
from app.domain.returns.grades import Disposition, Grade
from app.domain.tax.invoice_numbers import invoice_day
from app.services.results import StaffSession
from app.services.station import Station
from tests.labels.support import pdf_texts
from tests.ledger.bench_support import Bench, bin_lines, parcel, placed
from tests.ledger.ship_support import stock_item
from tests.services.returns.conftest import skus, till_sale
from tests.support.ledger import RunningLedger

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))


def shipped_from_bench(ledger: RunningLedger, number: str, invoice: str) -> str:
    """A web order packed at a BLR-01 bench under tax ``invoice``; its SKU (taxed as the
    tiny catalogue's first item)."""
    sku = stock_item(ledger, f"PR-{number}", {"BLR-01": 2})
    ledger.sql(
        "UPDATE items SET hsn_code = (SELECT hsn_code FROM items WHERE sku = :t), "
        "gst_rate_bp = (SELECT gst_rate_bp FROM items WHERE sku = :t) WHERE sku = :s",
        {"s": sku, "t": skus(ledger)[0]},
    )
    fo = int(placed(ledger, number, [(sku, 1)])["id"])
    bench = Bench(ledger, "BLR-01")
    picked = bench.one(bench.step("ship.pick", fo, lines=bin_lines((sku, 1)), tote="PB-1-T1"))
    packed = bench.one(bench.step("ship.pack", fo, parcel=parcel((sku, 1)), invoice=invoice))
    assert [picked["status"], packed["status"]] == ["applied", "applied"], packed
    return sku


def returned(station: Station, number: str, sku: str) -> str:
    """Take one unit of ``sku`` back against ``number`` (asked of the ledger); the text
    of the credit note it printed."""
    station.sync.sync_once()  # the item, new since the counter enrolled
    (order,) = station.returns.ask_ledger(number, A100).orders
    draft = ReturnDraft(order)
    line = line_for_scan(draft, sku, datetime.now(UTC))
    draft = draft.with_unit(TakenUnit(line.line_no, Grade.A, Disposition.SELLABLE, "wrong_size"))
    taken = station.returns.take(draft, A100)
    sheet = station.data_dir / "printed" / f"credit-note-{taken.credit_note.replace('/', '-')}.pdf"
    return "\n".join(pdf_texts(sheet.read_bytes()))


def test_a_bench_shipped_orders_credit_note_names_its_b_series_invoice(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = shipped_from_bench(return_ledger, "WEB-PR-0001", "B0001/2627/00456")

    text = returned(counter, "WEB-PR-0001", sku)

    assert "Against invoice B0001/2627/00456" in text
    assert f"of {invoice_day(datetime.now(UTC)):%d %b %Y}, order WEB-PR-0001" in text


def test_a_till_sales_credit_note_names_its_receipt(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (kurta,) = skus(return_ledger)[40:41]
    till_sale(return_ledger, "PR-TILL-01", [(kurta, 1)])

    text = returned(counter, "PR-TILL-01", kurta)

    assert "Against invoice PR-TILL-01" in text
    assert "order PR-TILL-01" in text
