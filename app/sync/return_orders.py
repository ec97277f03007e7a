"""The wire shapes of walk-in sales from the till (``POST /v1/sales``), of finding what
was bought for a return (``GET /v1/returns/orders``) and of a customer's earlier returns
without a receipt (``GET /v1/returns/no-receipt``).

A lookup answers only what a return needs: the order's lines at the price paid with
their tax and return terms, when and where it was sold or delivered from, and the
customer masked (first name, the phone's last 4 digits).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.sold import SoldLine, SoldOrder

SALES_PATH = "/sales"
RETURN_ORDERS_PATH = "/returns/orders"
NO_RECEIPT_PATH = "/returns/no-receipt"
MAX_FOUND = 20  # orders a lookup answers, newest first
CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Payment = Literal["cash", "card", "upi", "wallet", "store_credit"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SaleLineIn(_Body):
    sku: str = Field(min_length=1, max_length=40, pattern=CODE)
    quantity: int = Field(ge=1, le=1000)
    unit_paid_minor: int = Field(ge=0, le=10**11)  # paise per unit, after the till's offers


class TillSaleIn(_Body):
    """One receipt from the till system."""

    receipt: str = Field(min_length=1, max_length=40, pattern=CODE)
    location: str = Field(min_length=1, max_length=20, pattern=CODE)  # the store that sold
    sold_at: AwareDatetime
    lines: list[SaleLineIn] = Field(min_length=1, max_length=200)
    payment: Payment
    customer_phone: str = Field(default="", max_length=32)
    customer_email: str = Field(default="", max_length=200)
    customer_name: str = Field(default="", max_length=120)

    @field_validator("sold_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2099:
            raise ValueError("a time of sale is in 2000 … 2099; check the till's clock")
        return value


class SaleRecorded(BaseModel):
    """A till sale as the ledger holds it (the same answer when the receipt comes again)."""

    order_number: str  # the receipt number
    location: str
    sold_at: datetime
    payment: Payment
    lines: int
    total_minor: int


class EarlierReturnOut(BaseModel):
    """Units of the line that came back before: how many, at which location, when."""

    quantity: int
    location: str
    recorded_at: datetime


class ReturnLine(BaseModel):
    line_no: int  # 1, 2 … in the order's line order: what a return names
    sku: str
    gtin: str
    name: str
    quantity: int  # sold
    unit_paid_minor: int  # per unit, after offers
    hsn_code: str
    gst_rate_bp: int  # 1800 = 18 %
    return_days: int
    returnable: bool  # False: final sale
    return_category: str
    from_location: str  # the location it left from (a till sale: the store)
    delivered_at: datetime | None  # the day its parcel was delivered; None: not delivered
    earlier: list[EarlierReturnOut] = []  # returns of it so far, at any location, oldest first
    # The tax invoice its units were sent under (a bench's B-series number; two, comma-
    # separated, when they left under two) or a till sale's receipt number, and when; ""
    # and None when it has none (a ledger from before invoices answers no such key).
    invoice: str = ""
    invoiced_at: datetime | None = None


class FromLocation(BaseModel):
    code: str
    state_code: str  # GST state code ("29"), from the location's GSTIN; "" when it has none
    state: str  # "Karnataka"; "" when unknown


class MaskedCustomer(BaseModel):
    first_name: str
    phone_last4: str


class ReturnOrder(BaseModel):
    order_number: str
    channel: str  # web | app | marketplace | store
    method: str  # pickup | ship | walkin
    sold_at: datetime
    delivered_at: datetime | None  # the last line delivered, once all are; else None
    from_locations: list[FromLocation]
    payment: str  # a till sale: cash, card, upi, wallet, store_credit; else prepaid or cod
    discount_minor: int  # the order's discount, shared over its lines by the return rules
    shipping_minor: int  # shipping charged
    currency: str
    customer: MaskedCustomer
    lines: list[ReturnLine]
    shipping_refunded: bool = False  # an earlier return already gave the shipping back
    parcels: list[str] = []  # SSCCs and carrier tracking numbers of the parcels it left in


class ReturnOrdersFound(BaseModel):
    """``GET /v1/returns/orders``: at most 20 orders, newest first (none: an empty list)."""

    asked: Literal["order", "phone", "email", "gtin", "parcel"]
    orders: list[ReturnOrder]


class NoReceiptTaken(BaseModel):
    """One earlier return of the customer's without an order, at any store."""

    return_id: str  # the station's id of the return: a counter's outbox names it so too
    location: str
    total_minor: int
    on: date  # its store day, as the limit counts it


class NoReceiptHistory(BaseModel):
    """``GET /v1/returns/no-receipt``: the customer's returns without an order in the
    limit's period ending today (``since`` its first day), oldest first, and their sum."""

    period_days: int
    since: date
    taken_minor: int
    returns: list[NoReceiptTaken]


def sold_order(order: ReturnOrder, zone: tzinfo) -> SoldOrder:
    """The lookup's answer as a return reads it, its days as the store's (``zone``): the
    station keeps it so (app.storage.sold_orders), whether synced or looked up."""
    place = order.from_locations[0] if order.from_locations else None
    return SoldOrder(
        order_number=order.order_number,
        channel=order.channel,
        sold_on=order.sold_at.astimezone(zone).date(),
        location=place.code if place else "",
        lines=tuple(_sold_line(line, zone) for line in order.lines),
        delivered_on=order.delivered_at and order.delivered_at.astimezone(zone).date(),
        location_state=place.state_code if place else "",
        payment=order.payment,
        discount_minor=order.discount_minor,
        shipping_minor=order.shipping_minor,
        customer=_masked(order.customer),
        parcels=tuple(order.parcels),
        shipping_refunded=order.shipping_refunded,
    )


def _masked(customer: MaskedCustomer) -> str:
    """ "Asha ••2345": all a return shows of who bought it."""
    last4 = f"••{customer.phone_last4}" if customer.phone_last4 else ""
    return " ".join(filter(None, (customer.first_name, last4)))


def _sold_line(line: ReturnLine, zone: tzinfo) -> SoldLine:
    return SoldLine(
        line_no=line.line_no,
        sku=line.sku,
        gtin=line.gtin,
        name=line.name,
        quantity=line.quantity,
        unit_paid_minor=line.unit_paid_minor,
        hsn_code=line.hsn_code,
        gst_rate_bp=line.gst_rate_bp,
        return_days=line.return_days,
        final_sale=not line.returnable,
        return_category=line.return_category,
        earlier=tuple(
            EarlierReturn(b.quantity, b.location, b.recorded_at.astimezone(zone).date())
            for b in line.earlier
        ),
        invoice=line.invoice,
        invoiced_on=line.invoiced_at and line.invoiced_at.astimezone(zone).date(),
    )
