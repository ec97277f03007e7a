"""What each printed label says: one frozen dataclass per template, validated on creation.

Bad data (a missing field, a wrong check digit, GS1 data with parentheses, text a
barcode cannot carry) is refused here with a clear ``BadInput``; it is never printed
silently wrong. Whether text fits its box depends on the printer and is checked by the
layout in ``app.labels``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from app.domain.gs1 import Element
from app.domain.gtin import validate_gtin, validate_sscc
from app.domain.money import CURRENCIES, Money
from app.domain.returns.grades import Disposition
from app.errors import BadInput

if TYPE_CHECKING:  # the tax package builds on Address: imported for the annotation only
    from app.domain.tax.document import TaxInvoice


class LabelKind(StrEnum):
    SHIPPING = "shipping"
    PACKING_SLIP = "packing-slip"
    PICKUP_TAG = "pickup-tag"
    RETURN = "return"
    SHELF = "shelf"
    BIN = "bin"


MAX_CODE128_LENGTH = 40


def barcode_text(value: str, field: str) -> str:
    """Text a Code 128 symbol can carry: printable ASCII without ZPL's ``^`` and ``~``."""
    if not value:
        raise BadInput(f"The {field} is empty; there is nothing to put in the barcode.")
    if len(value) > MAX_CODE128_LENGTH:
        raise BadInput(f"The {field} is {len(value)} characters; at most 40 fit a barcode.")
    bad = sorted({c for c in value if not 32 <= ord(c) <= 126 or c in "^~"})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise BadInput(
            f"The {field} '{value}' has characters a barcode here cannot carry: {shown}.",
            next_step="Use letters, digits and - . / only.",
        )
    return value


def _text(value: str, field: str, *, max_length: int = 200) -> str:
    value = value.strip()
    if not value:
        raise BadInput(f"The {field} is missing.", next_step="Fill it in and print again.")
    if len(value) > max_length:
        raise BadInput(f"The {field} is {len(value)} characters; at most {max_length}.")
    return value


@dataclass(frozen=True)
class Address:
    name: str
    lines: tuple[str, ...]
    city: str
    postcode: str
    state: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        _text(self.name, "address name")
        _text(self.city, "city")
        _text(self.postcode, "postcode", max_length=12)
        if not self.lines:
            raise BadInput(f"The address of {self.name} has no street line.")
        for number, line in enumerate(self.lines, start=1):
            if not line.strip():
                raise BadInput(
                    f"Address line {number} of {self.name.strip()} is blank.",
                    next_step="Fill it in or remove it, then print again.",
                )

    def block(self) -> tuple[str, ...]:
        """The address as printed, line by line."""
        place = f"{self.city} {self.postcode}" + (f", {self.state}" if self.state else "")
        phone = (f"Ph {self.phone}",) if self.phone else ()
        return (self.name, *self.lines, place, *phone)


COD_CAP = Money(2_00_000_00)  # ₹2 lakh: above this no courier here collects in cash


@dataclass(frozen=True)
class Payment:
    """Prepaid, or cash on delivery with the amount the courier collects (``cod``)."""

    cod: Money | None = None

    def __post_init__(self) -> None:
        if self.cod is None:
            return
        if self.cod.currency != "INR":
            raise BadInput(
                f"A cash-on-delivery amount in {self.cod.currency} cannot be collected here.",
                next_step="Enter the amount in rupees.",
            )
        if self.cod.minor <= 0:
            raise BadInput(
                f"The cash-on-delivery amount {self.cod.format()} is nothing to collect.",
                next_step="Enter the amount the courier collects, or mark the parcel prepaid.",
            )
        if self.cod.minor > COD_CAP.minor:
            raise BadInput(
                f"The cash-on-delivery amount {self.cod.format()} is above the "
                f"{COD_CAP.format()} a courier collects in cash.",
                next_step="Ask the customer to pay before shipping, then mark it prepaid.",
            )

    def text(self) -> str:
        """As printed: PREPAID, or COD with the amount (₹, Indian grouping)."""
        return "PREPAID" if self.cod is None else f"COD {self.cod.format()}"


PREPAID = Payment()


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ship_date_text(day: date) -> str:
    """As printed: Ship 06 Dec 2026 (month names in English whatever the locale)."""
    return f"Ship {day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


MAX_ROUTING, MAX_SORT = 10, 4  # a carrier's routing and sort codes, as the label has room


@dataclass(frozen=True)
class ShippingLabel:
    ship_from: Address
    ship_to: Address
    carrier: str
    service: str
    weight_grams: int
    order_number: str
    parcel_number: int
    parcel_count: int
    sscc: str
    tracking_number: str
    payment: Payment
    ship_date: date
    tracking_url: str = ""
    routing_code: str = ""  # the carrier's destination hub, printed large; "" for own fleet
    sort_code: str = ""  # the lane at that hub, beside the routing code

    def __post_init__(self) -> None:
        _text(self.carrier, "carrier", max_length=40)
        _text(self.service, "carrier service", max_length=40)
        if len(self.routing_code) > MAX_ROUTING or len(self.sort_code) > MAX_SORT:
            raise BadInput(
                f"The routing code '{self.routing_code} {self.sort_code}' is too long for the "
                f"label ({MAX_ROUTING} and {MAX_SORT} characters at most).",
                next_step="Ask HQ to check the carrier's booking answer.",
            )
        barcode_text(self.order_number, "order number")
        barcode_text(self.tracking_number, "tracking number")
        if self.weight_grams <= 0:
            raise BadInput(f"The parcel weight {self.weight_grams} g is not a weight.")
        if not 1 <= self.parcel_number <= self.parcel_count:
            raise BadInput(f"Parcel {self.parcel_number} of {self.parcel_count} is not possible.")
        if "(" in self.sscc or ")" in self.sscc:
            raise BadInput(
                f"The SSCC '{self.sscc}' contains parentheses.",
                next_step="Give the 18 digits only; (00) is printed for people, never encoded.",
            )
        validate_sscc(self.sscc)

    @property
    def sscc_element(self) -> Element:
        return Element("00", self.sscc)

    @property
    def qr_content(self) -> str:
        return self.tracking_url or self.tracking_number


@dataclass(frozen=True)
class SlipLine:
    quantity: int
    sku: str
    gtin: str
    name: str

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise BadInput(f"Quantity {self.quantity} for {self.sku} is not a quantity.")
        _text(self.sku, "SKU", max_length=40)
        _text(self.name, f"name of {self.sku}")
        validate_gtin(self.gtin)


@dataclass(frozen=True)
class PackingSlip:
    order_number: str
    order_date: date
    store_name: str
    ship_to: Address
    lines: tuple[SlipLine, ...]
    return_url: str
    return_instructions: str
    invoice: TaxInvoice | None = None  # given: the slip is printed as the tax invoice

    def __post_init__(self) -> None:
        barcode_text(self.order_number, "order number")
        _text(self.store_name, "store name")
        _text(self.return_url, "return link", max_length=300)
        _text(self.return_instructions, "return instructions", max_length=1200)
        if not self.lines:
            raise BadInput(f"Order {self.order_number} has no lines to pack.")


@dataclass(frozen=True)
class PickupTag:
    order_number: str
    customer_name: str
    bin_code: str
    pickup_by: date

    def __post_init__(self) -> None:
        barcode_text(self.order_number, "order number")
        _text(self.customer_name, "customer name", max_length=80)
        _text(self.bin_code, "bin", max_length=20)


def rma_id(reference: str, unit: int) -> str:
    """The RMA id of the ``unit``-th unit (from 1) of a return: ``<reference>-<unit>``, the
    reference being its credit note number or short id
    (:func:`app.domain.returns.rma.return_reference`), so one scan finds both."""
    if unit < 1:
        raise BadInput(f"Unit {unit} of return {reference} is not a unit.")
    return barcode_text(f"{reference}-{unit}", "RMA id")


@dataclass(frozen=True)
class ReturnLabel:
    """The RMA label on one returned unit: where it goes next, and why it came back."""

    rma_id: str
    grade: str
    disposition: Disposition  # the returns' disposition (app.domain.returns.grades)
    item_name: str = ""
    sku: str = ""
    order_number: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        barcode_text(self.rma_id, "RMA id")
        _text(self.grade, "condition grade", max_length=20)
        Disposition(self.disposition)
        if len(self.reason) > 60:
            raise BadInput(
                f"The return reason is {len(self.reason)} characters; at most 60 fit the label.",
                next_step="Choose a shorter reason, or ask HQ to shorten its wording.",
            )


@dataclass(frozen=True)
class ShelfLabel:
    item_name: str
    price: Money
    gtin: str
    sku: str = ""

    def __post_init__(self) -> None:
        _text(self.item_name, "item name", max_length=120)
        code = validate_gtin(self.gtin)
        if len(code) not in (12, 13):
            raise BadInput(
                f"A shelf label carries an EAN-13 or UPC-A, not a {len(code)}-digit GTIN."
            )
        if self.price.minor < 0:
            raise BadInput("A shelf price cannot be negative.")
        if self.price.currency not in CURRENCIES:
            raise BadInput(
                f"The currency code '{self.price.currency}' of {self.item_name} is not known.",
                next_step=f"Use one of {', '.join(sorted(CURRENCIES))}.",
            )


@dataclass(frozen=True)
class BinLabel:
    bin_code: str
    caption: str = ""

    def __post_init__(self) -> None:
        barcode_text(self.bin_code, "bin code")


LabelData = ShippingLabel | PackingSlip | PickupTag | ReturnLabel | ShelfLabel | BinLabel
