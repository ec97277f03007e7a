"""Sample data for every label kind: test prints, previews, tests and benchmarks."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from app.domain.gtin import make_sscc
from app.domain.labels import (
    Address,
    BinLabel,
    LabelData,
    LabelKind,
    PackingSlip,
    PickupTag,
    ShelfLabel,
    SlipLine,
)
from app.domain.money import Money
from app.domain.returns.credit_note import InvoiceRef, credit_note
from app.domain.returns.exchange import (
    ExchangeSlip,
    Replacement,
    exchange_order_number,
    settle,
)
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.receipt import METHOD_WORDS, ReturnReceipt
from app.domain.returns.refund import UnitsBack, refund_due
from app.domain.returns.refund_rules import RefundMethod, RefundRules, RestockingFee
from app.domain.returns.rma import UnitsGraded, rma_labels
from app.domain.returns.store_credit import CreditUnit, StoreCreditReceipt
from app.domain.shipping.scan_out import OutParcel
from app.domain.tax.document import Seller, TaxInvoice, tax_invoice
from app.domain.tax.invoice import Sale, SaleLine
from app.domain.tax.rates import GstRate
from app.labels.manifest import ManifestHeader
from app.labels.parcel_documents import Parcel, ShipOrder, shipping_label

STORE = Address(
    "Counterbench Bengaluru (BLR-01)",
    ("12, 100 Feet Road", "Indiranagar"),
    "Bengaluru",
    "560038",
    "Karnataka",
    "+91 80 4000 1200",
)
CUSTOMER = Address(
    "प्रिया शर्मा (Priya Sharma)",
    ("Flat 402, Sai Residency", "14th Cross, HSR Layout Sector 2"),
    "Bengaluru",
    "560102",
    "Karnataka",
    "+91 98450 12345",
)

SHIP_DATE = date(2026, 12, 6)
# The sample customer as the bench's cache holds a ship order's delivery address.
CUSTOMER_SHIP_TO = {
    "name": CUSTOMER.name, "line1": CUSTOMER.lines[0], "line2": CUSTOMER.lines[1],
    "city": CUSTOMER.city, "state": CUSTOMER.state, "pincode": CUSTOMER.postcode,
    "phone": CUSTOMER.phone,
}  # fmt: skip
BOOKED_ORDER = ShipOrder(
    order_number="WEB-100234",
    ordered_on=date(2026, 11, 26),
    ship_to=CUSTOMER_SHIP_TO,
    payment="cod",
    cod_minor=8_395_00,  # the sample tax invoice's total: what the courier collects
    carrier="SWIFT",
    service="Express",
)
# Parcel 1 of 2 as SWIFT's booking answered it (the carrier simulator's shapes).
BOOKED_PARCEL = Parcel(
    sscc="106141412345678908",
    tracking_number="SW0000012345",
    weight_grams=2350,
    number=1,
    count=2,
    tracking_url="https://track.example.in/SW0000012345",
    routing_code="BLR/560",
    sort_code="S10",
)
LOCAL_ORDER = dataclasses.replace(
    BOOKED_ORDER, order_number="WEB-100241", payment="prepaid", cod_minor=None,
    carrier="LOCAL", service="Same day",
)  # fmt: skip
# Our own riders book nothing: the SSCC is the tracking number, no routing code.
LOCAL_SSCC = make_sscc(1, "0614141", 234567891)
LOCAL_PARCEL = Parcel(
    sscc=LOCAL_SSCC, tracking_number=LOCAL_SSCC, weight_grams=1320, number=1, count=1
)
SHIPPING = shipping_label(BOOKED_ORDER, BOOKED_PARCEL, ship_from=STORE, ship_date=SHIP_DATE)
SHIPPING_LOCAL = shipping_label(LOCAL_ORDER, LOCAL_PARCEL, ship_from=STORE, ship_date=SHIP_DATE)


def slip_lines(count: int) -> tuple[SlipLine, ...]:
    names = (
        "Cotton kurta, indigo, size M",
        "स्टील पानी की बोतल 1 लीटर (steel water bottle)",
        "Basmati rice 5 kg",
        "Bluetooth speaker, 10 W",
    )
    gtins = ("8901234567890", "8907654321012", "8901000001238", "4006381333931")
    return tuple(
        SlipLine(1 + i % 3, f"SKU-{1000 + i}", gtins[i % 4], names[i % 4]) for i in range(count)
    )


PACKING_SLIP = PackingSlip(
    order_number="WEB-100234",
    order_date=date(2026, 11, 26),
    store_name="Counterbench Bengaluru",
    ship_to=CUSTOMER,
    lines=slip_lines(4),
    return_url="https://returns.example.in/r/WEB-100234",
    return_instructions=(
        "Changed your mind? Return unused items within 30 days. Scan the code or visit "
        "returns.example.in with your order number, print the return label, pack the items "
        "in their original box and hand it to the courier, or bring it to any of our stores."
    ),
)

PICKUP_TAG = PickupTag("WEB-100234", "प्रिया शर्मा (Priya Sharma)", "A-12", date(2026, 11, 30))
# The sample return (see sample_receipt): a steel bottle opened, a speaker that is dead.
RETURNED_UNITS = (
    UnitsGraded("Steel water bottle 1 litre", "SKU-1001", Grade.B, Disposition.OPEN_BOX,
                "Not needed", 1),
    UnitsGraded("Bluetooth speaker, 10 W", "SKU-1003", Grade.DEFECTIVE, Disposition.RTV,
                "Defective: no sound", 1),
)  # fmt: skip
RMA_LABELS = rma_labels("C0001/2627/00001", "WEB-100234", RETURNED_UNITS)
RETURN = RMA_LABELS[1]
SHELF = ShelfLabel(
    "Basmati rice, extra long grain, 5 kg", Money(12345600), "8901234567890", "SKU-1002"
)
SHELF_UPC = ShelfLabel("Imported cereal 500 g", Money(79900), "036000291452", "SKU-2040")
BIN = BinLabel("BLR-H-A12", "Hold shelf A, bin 12")

SAMPLES: dict[LabelKind, LabelData] = {
    LabelKind.SHIPPING: SHIPPING,
    LabelKind.PACKING_SLIP: PACKING_SLIP,
    LabelKind.PICKUP_TAG: PICKUP_TAG,
    LabelKind.RETURN: RETURN,
    LabelKind.SHELF: SHELF,
    LabelKind.BIN: BIN,
}

# The GST rates of the sample invoice: apparel and footwear in the band in force since
# 22 Sep 2025 (5 % up to ₹2,500 a unit, 18 % above), kitchenware 5 %, electronics 18 %.
GST_2_0 = date(2025, 9, 22)
GST_RATES = (
    *(GstRate(ch, 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800)
      for ch in ("61", "62", "64")),
    GstRate("7323", 500, GST_2_0),
    GstRate("85", 1800, GST_2_0),
)  # fmt: skip
SELLER = Seller("Counterbench Bengaluru", STORE, "29AABCK1234K1ZK")
SALE = Sale(
    (
        SaleLine("Silk kurta, indigo, size M", "61091000", 1, 2_600_00, "SKU-1000"),
        SaleLine("Steel water bottle 1 litre", "73239390", 2, 449_00, "SKU-1001"),
        SaleLine("Leather sandals, size 8", "64039990", 1, 3_799_00, "SKU-1002"),
        SaleLine("Bluetooth speaker, 10 W", "85182200", 1, 1_499_00, "SKU-1003"),
    ),
    discount_minor=500_00,
    shipping_minor=99_00,
)


def sample_invoice(
    sale: Sale = SALE, buyer: Address = CUSTOMER, number: str = "B0001/2627/00123"
) -> TaxInvoice:
    """The tax invoice of ``sale`` to ``buyer`` (the sample customer: Karnataka, so
    CGST + SGST)."""
    return tax_invoice(
        sale, GST_RATES, number=number, on=date(2026, 12, 6), order_number="WEB-100234",
        seller=SELLER, buyer=buyer,
    )  # fmt: skip


TAX_INVOICE_SLIP = dataclasses.replace(PACKING_SLIP, invoice=sample_invoice())


def _manifest_parcel(n: int, handed_over: str, *, cod: int = 0, eway: str = "") -> OutParcel:
    """Parcel ``n`` of the sample manifest; an e-way bill goes with goods above ₹50,000."""
    sscc = make_sscc(1, "0614141", 1000 + n)
    return OutParcel(
        sscc=sscc, fulfilment_id=n, order_number=f"WEB-1003{n:02d}", carrier="SWIFT",
        tracking=f"SW00000124{n:02d}", weight_g=700 + 190 * n, cod_minor=cod,
        goods_minor=52_400_00 if eway else max(cod, 1_899_00), handed_over=handed_over,
        eway_bill=eway,
    )  # fmt: skip


# SWIFT's end-of-day manifest at the sample store: six parcels handed over to the driver
# (one with an e-way bill), three not scanned (they stay at the store).
MANIFEST_PARCELS = (
    _manifest_parcel(1, "17:01"),
    _manifest_parcel(2, "17:02", eway="123456789012"),
    _manifest_parcel(3, "17:03", cod=1_249_00),
    _manifest_parcel(4, "17:04"),
    _manifest_parcel(5, "17:05"),
    _manifest_parcel(6, "17:06", cod=1_249_00),
    _manifest_parcel(7, ""),
    _manifest_parcel(8, ""),
    _manifest_parcel(9, "", cod=1_249_00),
)
MANIFEST_HEADER = ManifestHeader(
    carrier="SWIFT",
    location="BLR-01 Counterbench Bengaluru",
    printed_at=datetime(2026, 12, 6, 17, 30),
    printed_by="A100",
    carrier_name="Swift Express",
)
# The sample return of the sample order: one of the two bottles (opened, grade B; kitchenware
# keeps a 10 % restocking fee) and the speaker (defective: the retailer's fault, so
# shipping comes back too).
RETURN_RULES = RefundRules(restocking=RestockingFee(categories=frozenset({"kitchen"})))
RETURNED = (
    UnitsBack(1, 1, Grade.B, "not_needed", "kitchen"),
    UnitsBack(3, 1, Grade.DEFECTIVE, "defective", "electronics"),
)


def sample_receipt(
    sale: Sale = SALE,
    buyer: Address | None = CUSTOMER,
    back: tuple[UnitsBack, ...] = RETURNED,
    *,
    number: str = "C0001/2627/00001",
    method: RefundMethod = RefundMethod.ORIGINAL,
) -> ReturnReceipt:
    """The credit note of ``back`` from ``sale`` (invoiced as the sample invoice) to
    ``buyer``, numbered ``number``; the refund paid by ``method``."""
    refund = refund_due(sale, back, rules=RETURN_RULES)
    invoice = InvoiceRef("B0001/2627/00123", date(2026, 12, 6), "WEB-100234")
    note = credit_note(
        sale, GST_RATES, refund, number=number, on=date(2026, 12, 18), invoice=invoice,
        seller=SELLER, buyer=buyer,
    )  # fmt: skip
    return ReturnReceipt(note, refund, method)


# The sample return without an order: two units back with no receipt for a walk-in
# customer, approved by manager M300, as store credit (the kurta refunds its price, the
# sandals what the manager keyed).
STORE_CREDIT_UNITS = (
    CreditUnit("Silk kurta, indigo, size M", "SKU-1000", Grade.A, "Wrong size", 2_600_00),
    CreditUnit("Leather sandals, size 8", "SKU-1002", Grade.B, "Changed mind", 3_250_00),
)


def sample_store_credit(
    units: tuple[CreditUnit, ...] = STORE_CREDIT_UNITS, *, number: str = "C0001/2627/00003"
) -> StoreCreditReceipt:
    """The return receipt of ``units`` taken back without an order, numbered ``number``."""
    return StoreCreditReceipt(number, date(2026, 12, 18), SELLER, "9845012345", units, "M300")


# The sample exchange: the sample return's refund (₹1,893.92) pays for a speaker on this
# store's shelf and a bottle sent here from the warehouse; the customer pays the rest.
REPLACEMENTS = (
    Replacement("SKU-1004", "Bluetooth speaker, 20 W", 2_199_00, from_here=True),
    Replacement("SKU-1001", "Steel water bottle 1 litre", 449_00, from_here=False),
)
EXCHANGE_RETURN_ID = "5f0c2a4e-8b7d-4c1a-9e3f-2d6b1a7c9e40"


def sample_exchange_slip(
    replacements: tuple[Replacement, ...] = REPLACEMENTS,
    *,
    refund_minor: int = 1_893_92,
    method: RefundMethod = RefundMethod.ORIGINAL,
) -> ExchangeSlip:
    """The slip of an exchange at the sample store: the sample return's credit note,
    ``replacements`` paid for by ``refund_minor`` (the rest refunded by ``method``)."""
    return ExchangeSlip(
        store=SELLER.name,
        order_number=exchange_order_number("BLR-01", EXCHANGE_RETURN_ID),
        pickup_code="482913",
        credit_note="C0001/2627/00001",
        on=date(2026, 12, 18),
        replacements=replacements,
        settlement=settle(refund_minor, replacements),
        refunded=METHOD_WORDS[method],
    )
