"""The pack step at the bench: open an order by its tote or number, scan its items into a
parcel, weigh it, close it with its SSCC and print its label and packing slip.

One call per user action, each one transaction: a scan is kept in the cache at once
(``open_parcel_units``), so a crash loses nothing. Closing a parcel takes the station's
next parcel number, checks the pack by the domain rules and appends ``ship.pack`` in the
same IMMEDIATE transaction, so an SSCC is never given twice. A weight outside the
tolerance needs a lead's code and PIN (checked as a log-in is, with its lockout) and a
reason; the override travels in the parcel for the audit.

Carrier booking is the next issue: until then a parcel's tracking number is its SSCC,
for the local courier (our own riders, always used offline) and for the order's carrier.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from app import log
from app.domain.shipping.op_parts import OverrideClaim, PackedParcel, ShipLine
from app.domain.shipping.ops import ShipLabelVoid, ShipPack, ShipPayload
from app.domain.shipping.order_view import ShipOrder
from app.domain.shipping.parcels import LOCAL_COURIER, SsccScheme
from app.domain.shipping.steps import apply_step
from app.domain.shipping.weights import WeightOverride, check_weight, override_weight, read_scale
from app.errors import KnownError, NotEnrolled, NotFound, RuleRefused
from app.services.auth import AuthService
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.shipping import booking, invoice_print, invoicing, parcel_labels
from app.services.shipping import pack_view as view
from app.services.shipping.pack_results import PackScanned, PackView, ParcelClosed
from app.storage import device, outbox, packing, parcel_bookings, ship_orders
from app.storage.engine import Database, raw_connection

# The retailer's GS1 company prefix is not master data yet: every bench uses this one.
COMPANY_PREFIX = "8901234"
TOTE = re.compile(r"^[A-Z0-9-]+-T\d{2,}$")

_log = log.get("shipping")
_warned: set[str] = set()  # devices already warned of having no station number


def station_number(device_id: str, given: int | None = None) -> int:
    """This bench's station block of its SSCCs: the number the ledger gave its enrolment.

    A cache enrolled before the ledger numbered stations has none: its number comes from
    the device id's hex digits, which two stations could share (one in ~10,000)."""
    if given is not None:
        return given
    if device_id not in _warned:
        _warned.add(device_id)
        _log.warning(
            "device %s has no station number from the ledger (enrolled before it numbered "
            "stations): SSCCs use one from its device id; enrol it again to get one",
            device_id,
        )
    digits = "".join(c for c in device_id if c in "0123456789abcdef") or "1"
    return int(digits, 16) % 9999 + 1


@dataclass(frozen=True)
class LeadOverride:
    """A lead's acceptance of a weight outside the range, as keyed at the bench."""

    code: str
    pin: str
    reason: str


class PackBench:
    """The pack step's service (see the module docstring)."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        auth: AuthService,
        printing: PrintService | None,
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._auth = auth
        self._printing = printing
        self._on_committed = on_committed
        self.scheme = SsccScheme(COMPANY_PREFIX)

    def open_order(self, code: str) -> PackView:
        """The order a scanned tote or order number names."""
        code = code.strip().upper()
        with self._db.reading() as session:
            conn = raw_connection(session)
            fulfilment_id = _find(conn, code)
            return view.pack_view(conn, view.current(conn, fulfilment_id))

    def order(self, fulfilment_id: int) -> PackView:
        """The order at the pack step, as it is now."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            return view.pack_view(conn, view.current(conn, fulfilment_id))

    def scan_item(self, fulfilment_id: int, code: str) -> PackScanned:
        """One unit of the scanned item into the parcel being filled; refused when the
        order does not hold it, or none of it is left to pack."""
        with self._db.writing() as session:
            conn = raw_connection(session)
            item = packing.item_by_code(conn, code.strip())
            now = view.current(conn, fulfilment_id)
            if item is None:
                raise NotFound(
                    f"'{code.strip()}' is not an item of the catalogue.",
                    next_step="Scan the barcode on the item itself.",
                )
            now.order.line(item.sku)  # refuses an item not in the order
            if view.still_to_pack(now).get(item.sku, 0) < 1:
                raise RuleRefused(
                    f"Every picked {item.name} of order {now.order.order_number} is packed "
                    "or in this parcel already.",
                    next_step="Put this one aside: it is not to pack.",
                )
            packing.add_open_unit(conn, fulfilment_id, item.sku)
            after = view.current(conn, fulfilment_id)
            name = now.order.line(item.sku).name or item.name  # as the order names it
            return PackScanned(view.pack_view(conn, after), item.sku, name)

    def empty_parcel(self, fulfilment_id: int) -> PackView:
        """Take every item out of the parcel being filled (start it again)."""
        with self._db.writing() as session:
            conn = raw_connection(session)
            packing.clear_open(conn, fulfilment_id)
            return view.pack_view(conn, view.current(conn, fulfilment_id))

    def close_parcel(
        self,
        fulfilment_id: int,
        weight: str,
        staff: StaffSession,
        lead: LeadOverride | None = None,
    ) -> ParcelClosed:
        """Weigh and close the parcel being filled: its SSCC, the ``ship.pack`` op, then its
        label and slip printed. A weight out of range needs ``lead``."""
        grams = read_scale(weight)
        with self._db.reading() as session:
            conn = raw_connection(session)
            units = view.current(conn, fulfilment_id).open_units
            _refuse_empty(units)
            _, expected, _ = view.box_for(conn, units)
        accepted = self._weight_accepted(grams, expected, lead)  # the PIN check: slow
        with self._db.writing() as session:
            closed = self._record_pack(session, fulfilment_id, grams, staff, accepted)
        self._on_committed()
        if booking.needs_booking(closed.carrier):  # its label prints once booked
            printed = booking.waiting_words(closed.carrier, online=self._online())
        else:
            try:
                printed = self._print(closed.sscc, staff.code, reprint=False)
            except KnownError as exc:  # the parcel is packed: its label waits for a reprint
                printed = f"Its label did not print: {exc} Reprint it."
        return ParcelClosed(
            self.order(fulfilment_id), closed.sscc, closed.tracking, closed.carrier,
            grams, accepted.lead if accepted else "", closed.op_id, printed,
        )  # fmt: skip

    def _weight_accepted(
        self, grams: int, expected: int, lead: LeadOverride | None
    ) -> WeightOverride | None:
        check = check_weight(grams, expected)
        if check.within:
            return None
        if lead is None:
            raise RuleRefused(
                check.words.split(". ")[0] + ".",
                next_step="Check the items in the box, or ask a lead to accept this weight.",
            )
        member = self._auth.login_pin(lead.code, lead.pin)
        return override_weight(check, lead=member.code, role=member.role, reason=lead.reason)

    def _record_pack(
        self,
        session: Session,
        fulfilment_id: int,
        grams: int,
        staff: StaffSession,
        accepted: WeightOverride | None,
    ) -> _Closed:
        conn = raw_connection(session)
        now = view.current(conn, fulfilment_id)
        _refuse_empty(now.open_units)
        box, expected, _ = view.box_for(conn, now.open_units)
        if accepted is not None and accepted.expected_g != expected:
            raise RuleRefused(
                "The parcel changed while the lead was accepting its weight.",
                next_step="Weigh it again.",
            )
        place = packing.location_row(conn)
        if place is None:
            raise NotEnrolled("This bench is not enrolled.", next_step="Ask IT to enrol it.")
        sscc = self.scheme.sscc(
            station_number(str(place["device_id"]), place["station_number"]),
            packing.take_parcel_counter(conn),
        )
        carrier = _carrier(conn, now.row)
        parcel = PackedParcel(
            sscc=sscc, box=box, weight_g=grams, expected_g=expected,
            lines=tuple(ShipLine(sku, n) for sku, n in now.open_units.items()),
            carrier=carrier, tracking=sscc,
            override=OverrideClaim(accepted.lead, accepted.reason) if accepted else None,
        )  # fmt: skip
        invoice = invoicing.first_pack_invoice(conn, fulfilment_id, self._clock())
        payload = ShipPack(str(place["code"]), fulfilment_id, parcel, invoice=invoice)
        op_id = _append(session, now.order, payload, staff, self._clock())
        packing.clear_open(conn, fulfilment_id)
        if booking.needs_booking(carrier):
            waiting = parcel_bookings.WaitingParcel(sscc, fulfilment_id, carrier, staff.code)
            parcel_bookings.wait(conn, waiting, self._clock())
        return _Closed(sscc, sscc, carrier, op_id)

    def void_label(
        self, fulfilment_id: int, sscc: str, reason: str, staff: StaffSession
    ) -> PackView:
        """Void a parcel's label: its units are loose again, to repack."""
        with self._db.writing() as session:
            conn = raw_connection(session)
            now = view.current(conn, fulfilment_id)
            place = packing.location_row(conn) or {"code": now.order.location}
            payload = ShipLabelVoid(str(place["code"]), fulfilment_id, sscc.strip(), reason)
            _append(session, now.order, payload, staff, self._clock())
            parcel_bookings.cancel_due(conn, sscc.strip(), self._clock())  # at its carrier
        self._on_committed()
        return self.order(fulfilment_id)

    def reprint(self, sscc: str, staff: StaffSession) -> str:
        """Print a parcel's label and slip again; what the printer did, in words."""
        return self._print(sscc.strip(), staff.code, reprint=True)

    def _online(self) -> bool:
        with self._db.reading() as session:
            return bool(device.sync_state(session).online)

    def print_booked(self, sscc: str, staff_code: str) -> str:
        """Print a booked parcel's label and slip (its booking just came)."""
        return self._print(sscc, staff_code, reprint=False)

    def _print(self, sscc: str, staff_code: str, *, reprint: bool) -> str:
        with self._db.reading() as session:
            conn = raw_connection(session)
            _, fulfilment_id = parcel_labels.packed_parcel(conn, sscc)
            order = view.current(conn, fulfilment_id).order
            live = [p.sscc for p in order.parcels if not p.void]
            number = live.index(sscc) + 1 if sscc in live else len(live) + 1
            count = max(len(live), number)
            data = parcel_labels.parcel_print(conn, sscc, number, count)
            data = booking.with_carrier_label(conn, sscc, data)
            invoice, problem = invoice_print.slip_invoice(conn, sscc, fulfilment_id)
            data = replace(data, invoice=invoice)
        today = self._clock().date()
        said = parcel_labels.print_parcel(
            self._printing, data, ship_date=today, staff_code=staff_code, reprint=reprint
        )
        return f"{said} {problem}".strip()


@dataclass(frozen=True)
class _Closed:
    sscc: str
    tracking: str
    carrier: str
    op_id: str


def _refuse_empty(units: dict[str, int]) -> None:
    if not units:
        raise RuleRefused("The parcel is empty.", next_step="Scan the items into it first.")


def _find(conn: sqlite3.Connection, code: str) -> int:
    if TOTE.match(code):
        found = packing.order_of_tote(conn, code)
        if found is not None:
            return found
    rows = ship_orders.by_order_number(conn, code)
    if not rows:
        raise NotFound(
            f"'{code}' is neither a tote nor a ship order at this bench.",
            next_step="Scan the tote's barcode or the order number on the pick list.",
        )
    return int(rows[-1]["id"])


def _carrier(_: sqlite3.Connection, row: dict[str, object]) -> str:
    """The order's carrier (booked once the ledger is reached); our own riders when the
    order has none."""
    return str(row.get("carrier") or "") or LOCAL_COURIER


def _append(
    session: Session, order: ShipOrder, payload: ShipPayload, staff: StaffSession, now: datetime
) -> str:
    """Check ``payload`` by the domain rules on ``order``, then queue it in the outbox."""
    apply_step(order, payload)  # refuses before anything is written
    appended = outbox.append(
        session,
        op_type=payload.TYPE.value,
        payload=payload.to_payload(),
        actor=staff.code,
        base_ledger_seq=int(device.sync_state(session).cursor),
        now=now,
    )
    return appended.op_id
