"""An exchange: a return whose refund pays for a replacement the customer picks up. Pure.

The customer brings something back and takes something else instead, in one flow at the
counter. The return is recorded as any return (its refund due, its credit note, its RMA
labels); the replacement is a new pickup order at this store, the ``exchange.order``
operation, which the ledger routes as any pickup order: from this store's shelf, else
sent from another location (ship-for-pickup). The station names the order
(``EX-<store>-<12 hex of the return's id>``, so it is named before the ledger hears of it,
offline too) and its pickup code, which the exchange slip prints as the customer's QR.

The refund pays for the replacement as far as it goes (:class:`Settlement`): the customer
pays the rest at the till, or gets the rest back the refund's way. Counterbench records
the amounts; it moves no money. An exchange order is an intention: the ledger may refuse
it (nothing left anywhere by the time it arrives), and the return stands all the same.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from app.domain.money import Money
from app.domain.op_fields import text, whole
from app.domain.pickup_codes import PICKUP_CODE_DIGITS
from app.errors import BadInput, RuleRefused

EXCHANGE_ORDER = "exchange.order"
ORDER_PREFIX = "EX"
HEX_DIGITS = 12  # of the return id in the order number: 48 bits, no collision per store
MAX_LINES = 20  # replacement lines of one exchange
MAX_UNITS = 50  # units of one replacement line
MAX_MINOR = 10**12
MAX_TEXT = 40
MAX_NAME = 120
FROM_HERE_WORDS = "An exchange's from_here is one true or false for each replacement unit."


@dataclass(frozen=True)
class Replacement:
    """One unit the customer takes instead: the item, its price, and where it comes from."""

    sku: str
    name: str
    price_minor: int
    # On this store's shelf; False: sent here from another location; None: not known (a
    # reprint of a slip whose exchange did not keep it): "to pick up here".
    from_here: bool | None


@dataclass(frozen=True)
class Settlement:
    """How the refund and the replacements meet (Counterbench records, never pays)."""

    refund_minor: int  # the return's refund due
    replacement_minor: int  # the replacements at their price

    @property
    def applied_minor(self) -> int:
        """The part of the refund that pays for the replacements."""
        return min(self.refund_minor, self.replacement_minor)

    @property
    def to_pay_minor(self) -> int:
        """What the customer pays at the till on top of the refund."""
        return max(0, self.replacement_minor - self.refund_minor)

    @property
    def to_refund_minor(self) -> int:
        """What is left of the refund, paid back the refund's way."""
        return max(0, self.refund_minor - self.replacement_minor)

    def words(self, refunded: str) -> str:
        """The balance as the associate says it to the customer; ``refunded``: how what is
        left of the refund goes back ("to the original payment")."""
        if self.to_pay_minor:
            return (
                f"The refund of {Money(self.refund_minor).format()} pays for part of it: the "
                f"customer pays {Money(self.to_pay_minor).format()} at the till."
            )
        if self.to_refund_minor:
            return (
                f"{Money(self.applied_minor).format()} of the refund pays for it; "
                f"{Money(self.to_refund_minor).format()} is refunded {refunded}."
            )
        return "The refund pays for it exactly: nothing to pay, nothing to refund."


def settle(refund_minor: int, replacements: Sequence[Replacement]) -> Settlement:
    return Settlement(refund_minor, sum(r.price_minor for r in replacements))


def exchange_order_number(location: str, return_id: str) -> str:
    """The replacement order's number, named by the station from its return's id."""
    return f"{ORDER_PREFIX}-{location}-{uuid.UUID(return_id).hex[:HEX_DIGITS].upper()}"


def check_replacement(name: str, here: int, elsewhere: int, taken: int) -> bool:
    """Whether one more unit of ``name`` (``taken`` already in this exchange) comes from
    this store's shelf (True) or is sent here (False); ``RuleRefused`` when no location
    has one to promise. ``here``/``elsewhere``: available to promise, as last synced."""
    if taken < here:
        return True
    if taken < here + elsewhere:
        return False
    raise RuleRefused(
        f"No store or warehouse has another {name} to promise, so it cannot be the replacement.",
        next_step="Scan another size or colour, or Esc to give the refund instead.",
    )


@dataclass(frozen=True)
class ExchangeLine:
    """Units of one item the replacement order holds."""

    sku: str
    quantity: int

    @classmethod
    def parse(cls, raw: Any, n: int) -> ExchangeLine:
        if not isinstance(raw, dict):
            raise BadInput(f"Line {n} of the exchange is not a line.")
        sku = text(raw, "sku", "")
        if not sku or len(sku) > MAX_TEXT:
            raise BadInput(f"Line {n} of the exchange needs the item's SKU.")
        quantity = whole(raw.get("quantity"), f"Line {n}'s quantity", minimum=1,
                         maximum=MAX_UNITS)  # fmt: skip
        return cls(sku, quantity)


@dataclass(frozen=True)
class ExchangeOrder:
    """The ``exchange.order`` payload: the replacement as a pickup order at ``location``,
    paired with the return ``return_id`` whose refund pays for it."""

    TYPE: ClassVar[str] = EXCHANGE_ORDER

    location: str
    return_id: str
    order_number: str
    pickup_code: str
    customer_name: str
    lines: tuple[ExchangeLine, ...]
    refund_minor: int  # the return's refund due
    replacement_minor: int
    # Where each unit of the lines comes from (line by line, a line's units in turn), as
    # the slip said, so a reprint says it again; None from a station that did not keep
    # it. The ledger routes the order itself and ignores it.
    from_here: tuple[bool, ...] | None = None

    def __post_init__(self) -> None:
        if not self.location:
            raise BadInput("An exchange needs the location code of the station.")
        if not self.lines or len(self.lines) > MAX_LINES:
            raise BadInput(f"An exchange holds 1 to {MAX_LINES} replacement lines.")
        if self.order_number != exchange_order_number(self.location, self.return_id):
            raise BadInput(
                "An exchange order's number is its store and return: "
                f"{ORDER_PREFIX}-<store>-<the return id's first {HEX_DIGITS} hex digits>."
            )
        code = self.pickup_code
        if len(code) != PICKUP_CODE_DIGITS or not (code.isascii() and code.isdigit()):
            raise BadInput(f"An exchange order needs a {PICKUP_CODE_DIGITS}-digit pickup code.")
        units = sum(line.quantity for line in self.lines)
        if self.from_here is not None and len(self.from_here) != units:
            raise BadInput(FROM_HERE_WORDS)

    @property
    def settlement(self) -> Settlement:
        return Settlement(self.refund_minor, self.replacement_minor)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ExchangeOrder:
        if not isinstance(payload, dict):
            raise BadInput("The exchange operation has no payload.")
        raw_lines = payload.get("lines")
        if not isinstance(raw_lines, list):
            raise BadInput(f"An exchange holds a list of 1 to {MAX_LINES} lines.")
        try:
            return_id = uuid.UUID(str(payload.get("return_id"))).hex
        except ValueError:
            raise BadInput("The exchange names no return (the return's uuid).") from None
        return cls(
            location=text(payload, "location", ""),
            return_id=return_id,
            order_number=text(payload, "order_number", ""),
            pickup_code=text(payload, "pickup_code", ""),
            customer_name=text(payload, "customer_name", "")[:MAX_NAME] or "Exchange customer",
            lines=tuple(ExchangeLine.parse(raw, n) for n, raw in enumerate(raw_lines, start=1)),
            refund_minor=whole(payload.get("refund_minor"), "The refund", maximum=MAX_MINOR),
            replacement_minor=whole(payload.get("replacement_minor"), "The replacement's value",
                                    maximum=MAX_MINOR),
            from_here=_from_here(payload.get("from_here")),
        )  # fmt: skip

    def to_payload(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "return_id": self.return_id,
            "order_number": self.order_number,
            "pickup_code": self.pickup_code,
            "customer_name": self.customer_name,
            "lines": [{"sku": x.sku, "quantity": x.quantity} for x in self.lines],
            "refund_minor": self.refund_minor,
            "replacement_minor": self.replacement_minor,
        } | ({} if self.from_here is None else {"from_here": list(self.from_here)})

    def replacements(self, named: Mapping[str, tuple[str, int]]) -> tuple[Replacement, ...]:
        """The replacement units again, line by line, each with its name and price from
        ``named`` (sku -> name, price; the SKU and no price for one it does not name) and
        where it comes from as kept (not known when not kept)."""
        skus = [line.sku for line in self.lines for _ in range(line.quantity)]
        where = self.from_here or (None,) * len(skus)
        return tuple(
            Replacement(sku, *named.get(sku, (sku, 0)), from_here=here)
            for sku, here in zip(skus, where, strict=True)
        )


def _from_here(raw: Any) -> tuple[bool, ...] | None:
    """The payload's ``from_here``: absent, or one true or false per replacement unit."""
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) > MAX_LINES * MAX_UNITS:
        raise BadInput(FROM_HERE_WORDS)
    if not all(isinstance(here, bool) for here in raw):
        raise BadInput(FROM_HERE_WORDS)
    return tuple(raw)


def exchange_lines(replacements: Sequence[Replacement]) -> tuple[ExchangeLine, ...]:
    """The replacements as order lines: units of each item, in the order first scanned."""
    count = Counter(r.sku for r in replacements)
    return tuple(ExchangeLine(sku, quantity) for sku, quantity in count.items())


def from_here_by_line(replacements: Sequence[Replacement]) -> tuple[bool, ...]:
    """Where each replacement unit comes from, in the order of :func:`exchange_lines`'
    units (line by line); a unit not known counts as from here."""
    skus = [line.sku for line in exchange_lines(replacements)]
    return tuple(r.from_here is not False for sku in skus for r in replacements if r.sku == sku)


def parse_exchange(payload: dict[str, Any]) -> ExchangeOrder:
    """The validated payload of an ``exchange.order``; ``BadInput`` with words when bad."""
    try:
        return ExchangeOrder.from_payload(payload)
    except (TypeError, ValueError) as exc:
        raise BadInput(f"The exchange is incomplete or malformed ({exc}).") from exc


@dataclass(frozen=True)
class ExchangeSlip:
    """What the customer takes away from an exchange: the replacement order to pick up,
    its pickup code (and QR), what it holds and the balance."""

    store: str  # the store's name, where the replacement is picked up
    order_number: str
    pickup_code: str
    credit_note: str  # the return's credit note ("" while its refund waits)
    on: date
    replacements: tuple[Replacement, ...]
    settlement: Settlement
    refunded: str  # how what is left of the refund goes back, e.g. "as store credit"
