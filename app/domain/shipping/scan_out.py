"""Scan-out at the bench: the carrier's driver is here, each parcel's shipping label is
scanned as the driver takes it. Pure.

A scan is refused, with words the packer reads aloud, for a code that is no parcel of
this bench, a void label, a parcel already handed over, a parcel of another carrier, and
an order whose goods are worth more than the e-way bill threshold with no e-way bill
number (the law asks one for goods above ₹50,000 moved by road; the retailer may set
another threshold). Before the driver leaves, the carrier's parcels not scanned are
listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.money import Money
from app.domain.shipping.eway_bill import EWAY_BILL_THRESHOLD, lacks_eway_bill
from app.domain.shipping.parcels import LOCAL_COURIER
from app.errors import NotFound, RuleRefused

LOCAL = "LOCAL"  # how scan-out names the retailer's own riders


def carrier_name(code: str) -> str:
    """The carrier as the bench names it: our own riders are LOCAL, others their code."""
    return LOCAL if code.strip().lower() in (LOCAL_COURIER, LOCAL.lower()) else code.upper()


@dataclass(frozen=True)
class OutParcel:
    """A packed parcel as scan-out and the manifest see it."""

    sscc: str
    fulfilment_id: int
    order_number: str
    carrier: str  # carrier_name() of the parcel's carrier code: SWIFT, LOCAL
    tracking: str
    weight_g: int
    cod_minor: int  # the order's cash on delivery (0: prepaid)
    goods_minor: int  # what the order's invoice from here comes to (eway_bill.invoice_value)
    void: bool = False
    handed_over: str = ""  # local time it left ("17:02"); "" while it is here
    eway_bill: str = ""  # the order's e-way bill number, once entered
    carrier_full_name: str = ""  # the carrier's name in master data ("": the ledger sent none)


def sscc_of_scan(code: str) -> str:
    """The SSCC a scan of a shipping label carries: the label's GS1-128 reads as "00" and
    the 18 digits (a scanner may send "]C1" first, a keyed one "(00)"); 18 digits as
    they are."""
    text = code.strip().removeprefix("]C1").replace("(00)", "00").replace(" ", "")
    return text[2:] if len(text) == 20 and text.startswith("00") else text


def needs_eway_bill(parcel: OutParcel, threshold: Money = EWAY_BILL_THRESHOLD) -> bool:
    """Whether the parcel's order is above the threshold and has no e-way bill yet."""
    return lacks_eway_bill(parcel.goods_minor, threshold, parcel.eway_bill)


def check_scan(
    parcel: OutParcel | None,
    code: str,
    carrier: str,
    *,
    threshold: Money = EWAY_BILL_THRESHOLD,
    eway_bill: str = "",
) -> str:
    """Refuse a scan the driver must not take (see the module docstring); else the e-way
    bill number that goes with the parcel ("" when its order needs none)."""
    if parcel is None:
        raise NotFound(
            f"'{code.strip()}' is not a parcel packed at this bench.",
            next_step="Scan the barcode of the parcel's shipping label (SSCC).",
        )
    if parcel.void:
        raise RuleRefused(
            f"Parcel {parcel.sscc} has a void label: it does not go out.",
            next_step="Keep it at the bench: its items are packed again with a new label.",
        )
    if parcel.handed_over:
        raise RuleRefused(
            f"Parcel {parcel.sscc} was already handed to {parcel.carrier} at {parcel.handed_over}.",
            next_step="Scan the next parcel.",
        )
    if parcel.carrier != carrier:
        raise RuleRefused(
            f"This is a {parcel.carrier} parcel, not {carrier}: keep it for the "
            f"{parcel.carrier} {_collector(parcel.carrier)}.",
            next_step=f"Put it back on the shelf; scan the next {carrier} parcel.",
        )
    bill = eway_bill or parcel.eway_bill
    if lacks_eway_bill(parcel.goods_minor, threshold, bill):
        raise RuleRefused(
            f"Order {parcel.order_number} is worth {Money(parcel.goods_minor).format()}: it "
            "cannot leave without an e-way bill.",
            next_step="Scan or type the e-way bill number (12 digits) and press Enter.",
        )
    return bill


def _collector(carrier: str) -> str:
    return "rider" if carrier == LOCAL else "driver"


def not_scanned(parcels: Iterable[OutParcel], carrier: str) -> list[OutParcel]:
    """The carrier's live parcels still at the bench."""
    return [p for p in parcels if p.carrier == carrier and not p.void and not p.handed_over]


def missing_words(missing: list[OutParcel], carrier: str) -> str:
    """The warning before the driver leaves: '3 SWIFT parcels not scanned: …'."""
    if not missing:
        return ""
    noun = "parcel" if len(missing) == 1 else "parcels"
    listed = ", ".join(f"{p.sscc} ({p.order_number})" for p in missing)
    return f"{len(missing)} {carrier} {noun} not scanned: {listed}"
