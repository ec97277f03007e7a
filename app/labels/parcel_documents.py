"""A ship order's parcel documents from what the bench holds: its shipping label and its
packing slip, which doubles as the tax invoice when given one.

The bench's cache keeps a ship order as the ledger sent it (protocol fulfilment scope):
the delivery address as a mapping (name, line1, line2, city, state, pincode, phone), the
payment ('prepaid' or 'cod') with the COD amount in paise, the carrier and its service.
These functions turn that into the label module's data, and refuse, naming the field, an
address a courier could not deliver to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.labels import Address, PackingSlip, Payment, ShippingLabel, SlipLine
from app.domain.money import Money
from app.domain.shipping.scan_out import LOCAL, carrier_name
from app.domain.tax.document import TaxInvoice
from app.errors import BadInput

_FIX_ADDRESS = "Ask HQ to correct the delivery address, then pack the order again."
OWN_FLEET = "Own fleet"  # our own riders, as their labels name the carrier
_RETURNS = (
    "To return an item, open the link or scan the code within its return window; "
    "or bring it with this slip to any of our stores."
)


@dataclass(frozen=True)
class ShipOrder:
    """What a ship order's documents need, as the bench's cache holds it."""

    order_number: str
    ordered_on: date
    ship_to: Mapping[str, Any]
    payment: str | None  # prepaid | cod
    cod_minor: int | None
    carrier: str
    service: str


@dataclass(frozen=True)
class Parcel:
    """One parcel of the order: its SSCC, tracking number, weight and place in the set."""

    sscc: str
    tracking_number: str
    weight_grams: int
    number: int
    count: int
    tracking_url: str = ""
    routing_code: str = ""  # the booked carrier's destination hub ("" for our own riders)
    sort_code: str = ""  # the lane at that hub


def delivery_address(ship_to: Mapping[str, Any]) -> Address:
    """The delivery address; ``BadInput`` naming the first part missing."""

    def part(key: str, words: str) -> str:
        value = str(ship_to.get(key) or "").strip()
        if not value:
            raise BadInput(f"The delivery address has no {words}.", next_step=_FIX_ADDRESS)
        return value

    pincode = part("pincode", "pincode")
    if len(pincode) != 6 or not pincode.isdigit():
        raise BadInput(f"The delivery pincode '{pincode}' is not 6 digits.", next_step=_FIX_ADDRESS)
    second = str(ship_to.get("line2") or "").strip()
    return Address(
        name=part("name", "name"),
        lines=(part("line1", "street line"), *((second,) if second else ())),
        city=part("city", "city"),
        postcode=pincode,
        state=part("state", "state"),
        phone=str(ship_to.get("phone") or "").strip(),
    )


def payment_of(method: str | None, cod_minor: int | None) -> Payment:
    """PREPAID, or COD with the amount the courier collects."""
    if method == "cod":
        return Payment(cod=Money(int(cod_minor or 0)))
    if method in (None, "prepaid"):
        return Payment()
    raise BadInput(
        f"The payment '{method}' is neither prepaid nor cash on delivery.",
        next_step="Ask HQ how the customer pays before this parcel ships.",
    )


def carrier_on_label(carrier: str) -> str:
    """The carrier as the label names it: "Own fleet" for our own riders, whose driver
    knows the parcel by its SSCC; a booked carrier by its code."""
    return OWN_FLEET if carrier_name(carrier) == LOCAL else carrier


def shipping_label(
    order: ShipOrder, parcel: Parcel, *, ship_from: Address, ship_date: date
) -> ShippingLabel:
    """The parcel's 4x6 shipping label. A COD order's amount is printed on each parcel
    of the set, with "parcel n of m": the courier collects it once for the set. A booked
    carrier's routing and sort codes come with its booking (``parcel``)."""
    return ShippingLabel(
        ship_from=ship_from,
        ship_to=delivery_address(order.ship_to),
        carrier=carrier_on_label(order.carrier),
        service=order.service,
        weight_grams=parcel.weight_grams,
        order_number=order.order_number,
        parcel_number=parcel.number,
        parcel_count=parcel.count,
        sscc=parcel.sscc,
        tracking_number=parcel.tracking_number,
        payment=payment_of(order.payment, order.cod_minor),
        ship_date=ship_date,
        tracking_url=parcel.tracking_url,
        routing_code=parcel.routing_code,
        sort_code=parcel.sort_code,
    )


def packing_slip(
    order: ShipOrder,
    lines: Sequence[SlipLine],
    *,
    store_name: str,
    returns_url: str,
    invoice: TaxInvoice | None = None,
) -> PackingSlip:
    """The packing slip of one parcel: what is in it and how to return it. Given the
    order's ``invoice`` (:func:`app.domain.tax.document.tax_invoice`), it prints as the
    tax invoice: the invoice's lines with HSN codes and taxes instead of the parcel's."""
    return PackingSlip(
        order_number=order.order_number,
        order_date=order.ordered_on,
        store_name=store_name,
        ship_to=delivery_address(order.ship_to),
        lines=tuple(lines),
        return_url=f"{returns_url.rstrip('/')}/{order.order_number}",
        return_instructions=_RETURNS,
        invoice=invoice,
    )
