"""Tax invoice numbers at the bench on a real station cache: the order's number taken at
its first pack, consecutive across orders and offline, never on a second parcel; out of
numbers the parcel is not closed and its items stay; a new financial year starts a new
series at midnight on 1 April in India; the first parcel's slip prints as the tax invoice
with the amounts app.domain.tax gives (read back from the PDF), and decodes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pypdfium2 as pdfium
import pytest

from app.domain.labels import LabelKind
from app.domain.tax.document import tax_invoice
from app.domain.tax.invoice import Sale, SaleLine
from app.domain.tax.invoice_numbers import NumberBlock
from app.domain.tax.rates import GstRate
from app.labels.parcel_documents import delivery_address
from app.labels.samples import SELLER
from app.labels.templates.gst_table import amount
from app.services.results import StaffSession
from app.services.shipping.invoice_print import order_tax_invoice
from app.services.shipping.invoicing import OutOfInvoiceNumbers
from app.services.shipping.pack import PackBench
from app.services.station import Station
from app.storage import invoices
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages
from tests.services.conftest import Clock
from tests.services.shipping.test_pack import close_at_expected, picked_row, prepare, queued
from tests.storage.seed import gtin
from tests.support.ship_rows import ADDRESS

GSTIN = SELLER.gstin  # a Karnataka GSTIN: BLR-01 ships within the state


@pytest.fixture
def bench(station: Station) -> PackBench:
    prepare(
        station,
        [picked_row(1, "WEB-1", {1: 2, 2: 1}), picked_row(2, "WEB-2", {3: 1}),
         picked_row(3, "WEB-3", {4: 1})],
    )  # fmt: skip
    return station.pack


@pytest.fixture
def packer(station: Station) -> StaffSession:
    return station.auth.session_for("A100")


def invoices_sent(station: Station) -> list[tuple[int, str | None]]:
    return [(p["fulfilment_id"], p.get("invoice")) for p in queued(station, "ship.pack")]


def pack_one(bench: PackBench, fid: int, code: str, packer: StaffSession) -> None:
    bench.scan_item(fid, code)
    close_at_expected(bench, fid, packer)


def test_numbers_run_one_by_one_across_orders_on_the_first_parcel_only(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    pack_one(bench, 1, gtin(1), packer)
    pack_one(bench, 2, gtin(3), packer)
    with station.db.writing() as session:  # offline: numbers come from the bench's blocks
        raw_connection(session).execute("UPDATE sync_state SET online = 0")
    pack_one(bench, 1, gtin(1), packer)  # WEB-1's second parcel: no new number
    pack_one(bench, 3, gtin(4), packer)

    assert invoices_sent(station) == [
        (1, "B0001/2627/00001"), (2, "B0001/2627/00002"), (1, None), (3, "B0001/2627/00003"),
    ]  # fmt: skip
    with station.db.reading() as session:
        assert invoices.numbers_left(raw_connection(session), 2026) == 197


def use_up(station: Station) -> None:
    with station.db.writing() as session:
        raw_connection(session).execute("UPDATE invoice_blocks SET next_serial = last + 1")


def test_out_of_numbers_the_parcel_waits_with_its_items_until_a_block_comes(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    use_up(station)
    bench.scan_item(2, gtin(3))

    with pytest.raises(OutOfInvoiceNumbers) as refused:
        close_at_expected(bench, 2, packer)

    assert "no tax invoice numbers left for 2026-27" in refused.value.message
    assert "sync" in refused.value.next_step
    assert bench.order(2).parcel == (("SKU-0003", 1),)  # the items stay in the parcel
    assert invoices_sent(station) == []
    with station.db.writing() as session:
        invoices.keep_blocks(raw_connection(session), [NumberBlock(2026, "B0001", 201, 400)])
    close_at_expected(bench, 2, packer)
    assert invoices_sent(station) == [(2, "B0001/2627/00201")]


def test_a_new_financial_year_starts_a_new_series_at_midnight_in_india(
    station: Station, bench: PackBench, packer: StaffSession, clock: Clock
) -> None:
    with station.db.writing() as session:
        invoices.keep_blocks(raw_connection(session), [NumberBlock(2027, "B0001", 1, 200)])
    clock.now = datetime(2027, 3, 31, 18, 29, tzinfo=UTC)  # 23:59 on 31 March in India
    pack_one(bench, 1, gtin(1), packer)
    clock.now = datetime(2027, 3, 31, 18, 31, tzinfo=UTC)  # 00:01 on 1 April
    pack_one(bench, 2, gtin(3), packer)
    pack_one(bench, 3, gtin(4), packer)

    assert invoices_sent(station) == [
        (1, "B0001/2627/00001"), (2, "B0001/2728/00001"), (3, "B0001/2728/00002"),
    ]  # fmt: skip


def invoiceable(station: Station) -> None:
    """BLR-01's GSTIN, the items' HSN codes and the GST rates, as the ledger sends them."""
    with station.db.writing() as session:
        conn = raw_connection(session)
        conn.execute("UPDATE locations SET gstin = ? WHERE code = 'BLR-01'", (GSTIN,))
        conn.execute("UPDATE items SET hsn_code = '61091000' WHERE id IN (1, 2)")
        conn.execute("UPDATE items SET hsn_code = '73239390' WHERE id = 3")
        conn.executemany(
            "INSERT INTO gst_rates (id, hsn_prefix, effective_from, rate_bp, band_limit_minor, "
            "rate_above_bp) VALUES (?, ?, ?, ?, ?, ?)",
            [(1, "61", "2025-09-22", 500, 250000, 1800), (2, "7323", "2017-07-01", 1200, None,
              None)],
        )  # fmt: skip


def slip_texts(station: Station) -> list[str]:
    """The text of each spooled PDF document (packing slips print on A4)."""
    found = []
    for spooled in sorted((station.data_dir / "printed").iterdir()):
        if spooled.suffix == ".pdf":
            doc = pdfium.PdfDocument(spooled.read_bytes())
            found.append("\n".join(page.get_textpage().get_text_range() for page in doc))
    return found


def expected_invoice(number: str) -> Any:
    """WEB-1's invoice by app.domain.tax, from the order as the test made it."""
    sale = Sale(
        (SaleLine("Item 1", "61091000", 2, 49900, sku="SKU-0001"),
         SaleLine("Item 2", "61091000", 1, 49900, sku="SKU-0002")),
    )  # fmt: skip
    rates = [GstRate("61", 500, date(2025, 9, 22), 250000, 1800)]
    return tax_invoice(
        sale, rates, number=number, on=date(2026, 11, 27), order_number="WEB-1",
        seller=SELLER, buyer=delivery_address(ADDRESS),
    )  # fmt: skip


def test_the_first_slip_prints_the_tax_invoice_with_the_domains_amounts(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    invoiceable(station)
    pack_one(bench, 1, gtin(1), packer)
    bench.scan_item(1, gtin(1))
    bench.scan_item(1, gtin(2))
    second = close_at_expected(bench, 1, packer)
    first = bench.order(1).parcels[0].sscc

    expected = expected_invoice("B0001/2627/00001")
    texts = slip_texts(station)
    with_invoice = [t for t in texts if "B0001/2627/00001" in t]
    assert len(with_invoice) == 1  # the first parcel's slip only
    printed = with_invoice[0]
    for minor in (expected.amounts.total_minor, expected.amounts.taxable_minor,
                  expected.amounts.cgst_minor, expected.amounts.sgst_minor):  # fmt: skip
        assert amount(minor) in printed
    assert expected.amounts.total_minor == 3 * 49900
    assert GSTIN in printed and "Karnataka" in printed
    with station.db.reading() as session:
        made = order_tax_invoice(raw_connection(session), 1)
    assert made is not None and made.amounts == expected.amounts

    bench.reprint(second, packer)  # the second parcel: a plain slip again
    bench.reprint(first, packer)
    again = [t for t in slip_texts(station) if "B0001/2627/00001" in t]
    assert len(again) == 2 and again[1].count("B0001/2627/00001") == printed.count(
        "B0001/2627/00001"
    )


def test_the_invoice_slip_decodes_to_the_order_number(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    invoiceable(station)
    pack_one(bench, 2, gtin(3), packer)
    assert station.printing is not None
    profile = station.printing.profile_for(LabelKind.PACKING_SLIP)
    read: set[str] = set()
    for spooled in sorted((station.data_dir / "printed").iterdir()):
        if spooled.suffix == ".pdf" and "B0001/2627/00001" in "".join(slip_texts_of(spooled)):
            for page in pdf_pages(spooled.read_bytes(), profile.dpi):
                read |= {text for _, text, _ in decode(page)}
    assert "WEB-2" in read


def slip_texts_of(spooled: Any) -> list[str]:
    doc = pdfium.PdfDocument(spooled.read_bytes())
    return [page.get_textpage().get_text_range() for page in doc]


def test_no_gstin_the_label_prints_and_says_the_invoice_did_not(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    bench.scan_item(2, gtin(3))
    closed = bench.close_parcel(2, f"{bench.order(2).expected_g} g", packer)
    assert "tax invoice did not print" in closed.printed and "GSTIN" in closed.printed
    assert json.loads(json.dumps(invoices_sent(station))) == [[2, "B0001/2627/00001"]]


# Worked example: the order's ₹100.00 discount shared over two lines and a ₹60.00
# shipping charge, on WEB-9 as the ledger sends it (BLR-01's shares of the order's).
#   kurta ×2 at ₹1,050.00 = 2,10,000 (5 % within the band); bottle ×1 at ₹1,120.00 =
#   1,12,000 (12 %). Discount 10,000 by value: 10,000 × 2,10,000 / 3,22,000 = 6,521.74,
#   10,000 × 1,12,000 / 3,22,000 = 3,478.26; the paisa left goes to the larger
#   remainder: 6,522 and 3,478.
#   kurta: 2,10,000 − 6,522 = 2,03,478 (₹1,017.39 a piece: 5 %); tax 2,03,478 × 5/105
#   = 9,689.43 → 9,689; taxable 1,93,789; CGST 4,845, SGST 4,844 (the odd paisa to CGST).
#   bottle: 1,12,000 − 3,478 = 1,08,522; tax × 12/112 = 11,627.36 → 11,627; taxable
#   96,895; CGST 5,814, SGST 5,813.
#   shipping (SAC 996812) at the highest goods rate, 12 %: 6,000 × 12/112 = 642.86 →
#   643; taxable 5,357; CGST 322, SGST 321.
#   Grand total 3,18,000 = 3,22,000 − 10,000 + 6,000: what the customer paid.
WORKED_INTRA = [
    (0, 6522, 500, 1_937_89, 48_45, 48_44, 0, 2_034_78),
    (0, 3478, 1200, 968_95, 58_14, 58_13, 0, 1_085_22),
    (996812, 0, 1200, 53_57, 3_22, 3_21, 0, 60_00),
]


def charged_row(ship_to: dict[str, str]) -> dict[str, Any]:
    lines = [
        {"sku": "SKU-0001", "item_id": 1, "name": "Cotton kurta", "quantity": 2,
         "picked": 2, "price_minor": 1_050_00},
        {"sku": "SKU-0003", "item_id": 3, "name": "Steel bottle", "quantity": 1,
         "picked": 1, "price_minor": 1_120_00},
    ]  # fmt: skip
    row = picked_row(9, "WEB-9", {1: 2, 3: 1})
    return {**row, "lines": lines, "ship_to": ship_to, "discount_minor": 100_00,
            "shipping_minor": 60_00}  # fmt: skip


def invoice_lines(station: Station) -> list[tuple[int, ...]]:
    with station.db.reading() as session:
        made = order_tax_invoice(raw_connection(session), 9)
    assert made is not None
    shipping = {"996812": 996812}
    return [
        (shipping.get(x.hsn, 0), x.discount_minor, x.rate_bp, x.taxable_minor, x.cgst_minor,
         x.sgst_minor, x.igst_minor, x.total_minor)
        for x in made.amounts.lines
    ]  # fmt: skip


@pytest.mark.parametrize("inter_state", [False, True])
def test_the_orders_discount_is_shared_over_the_lines_and_shipping_is_a_taxed_line(
    station: Station, packer: StaffSession, inter_state: bool
) -> None:
    to = {**ADDRESS, "city": "Chennai", "state": "Tamil Nadu", "pincode": "600001"}
    prepare(station, [charged_row(to if inter_state else ADDRESS)])
    invoiceable(station)
    bench = station.pack
    for code in (gtin(1), gtin(1), gtin(3)):
        bench.scan_item(9, code)
    close_at_expected(bench, 9, packer)

    expected = WORKED_INTRA
    if inter_state:  # the same tax, all IGST
        expected = [(*x[:4], 0, 0, x[4] + x[5], x[7]) for x in WORKED_INTRA]
    assert invoice_lines(station) == expected
    assert sum(x[-1] for x in expected) == 3_180_00
    (printed,) = [t for t in slip_texts(station) if "B0001/2627/00001" in t]
    assert "Shipping and handling" in printed and amount(3_180_00) in printed
    assert ("Tamil Nadu" in printed) is inter_state
