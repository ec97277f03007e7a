"""Return intake at the counter: find what was bought, ask the ledger, take it back.

The screen drives it through ``app.ui.ports.ReturnsCounter``. ``find_here`` and ``take``
run on the DB worker and never wait on the network; ``ask_ledger`` runs on the network
worker and keeps what the ledger answers in the cache, so the same order is found here
next time, offline too. Each job lives in its own module: :mod:`.find` (the cache),
:mod:`.ask` (the ledger's lookup), :mod:`.take` (the one transaction), :mod:`.prints`,
:mod:`.put_away` (each unit put into a bin by scan).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from app.config import SyncSettings
from app.domain.reasons import ReasonUse
from app.domain.returns.draft import ReturnDraft, parcel_of_scan
from app.domain.returns.exchange import Replacement
from app.domain.returns.lookup import WAY_WORDS, Look, LookFor, read_query
from app.domain.returns.no_order import UnitWithoutOrder, unit_refund
from app.domain.returns.refund_rules import RefundMethod
from app.errors import KnownError, NotFound, Offline, RuleRefused
from app.services.auth import ROLE_RANK, AuthService
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.returns import (
    ask,
    exchange,
    find,
    no_order,
    no_receipt_room,
    prints,
    reprint,
    take,
    words,
)
from app.services.returns.put_away import PutAwayDone, PutAwayService
from app.services.returns.results import (
    ItemToTake,
    ManagerApproval,
    NoReceiptRoom,
    ReturnFound,
    ReturnReason,
    ReturnTaken,
    UnitToTake,
)
from app.services.returns.take import Recorded
from app.services.returns.words import NO_RECEIPT
from app.services.stock import items_for_code
from app.storage import catalog, device, reasons, sold_orders
from app.storage.engine import Database, raw_connection
from app.sync.client import CertificateProblem, LedgerClient

LedgerFactory = Callable[[str, str | None, SyncSettings], LedgerClient]

STATION_ASKS = "STATION"  # the ledger audit's "by" when the screen names no staff member


class ReturnCounter:
    """Return intake at this station; every recording call is one transaction."""

    def __init__(
        self,
        *,
        db: Database,
        data_dir: Path,
        clock: Callable[[], datetime],
        client_factory: LedgerFactory,
        settings: SyncSettings,
        printing: PrintService | None = None,
        on_committed: Callable[[], None] = lambda: None,
        auth: AuthService | None = None,
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._clock = clock
        self._client_factory = client_factory
        self._settings = settings
        self._printing = printing
        self._on_committed = on_committed
        self._auth = auth or AuthService(db=db, clock=clock)
        self._put_away = PutAwayService(db=db, clock=clock, on_committed=on_committed)

    def find_here(self, text: str) -> ReturnFound:
        """The orders this station's cache holds for ``text`` (offline too), with what to
        do next; when none, whether the ledger is worth asking (``ask_ledger``)."""
        with self._db.reading() as session:
            found = find.find_here(raw_connection(session), text)
            online = bool(device.sync_state(session).online)
        return ReturnFound(
            orders=found.orders,
            way=found.look.way,
            at_ledger=False,
            ask_ledger=not found.orders and online,
            said=words.found_words(len(found.orders), found.look.way, online=online),
            parcel=_parcel(found.look),
        )

    def ask_ledger(self, text: str, staff: StaffSession | None = None) -> ReturnFound:
        """The ledger's orders for ``text`` (network worker: never on the DB worker while
        it waits), each kept in the cache as the ledger told it and answered as kept: units
        returned here that the ledger has not heard of yet still count. ``staff`` is who
        asks, for the ledger's audit (without one it names the station only). ``Offline``
        and ``NotFound`` say what the associate can do instead."""
        read_query(text)  # BadInput before any network
        with self._db.reading() as session:
            enrolment = device.enrolment(session)
        if enrolment is None:
            raise Offline("This counter is not connected to the ledger.", next_step=NO_RECEIPT)
        client = self._client_factory(
            enrolment.ledger_url, device.read_token(self._data_dir), self._settings
        )
        try:
            answer = ask.ask(client, text, staff.code if staff else STATION_ASKS)
        except CertificateProblem:
            raise  # its own words: call IT support
        except Offline:
            raise Offline(
                "The ledger cannot be reached, so only orders kept at this counter are found.",
                next_step=NO_RECEIPT,
            ) from None
        finally:
            client.close()
        if not answer.orders:
            raise NotFound(
                f"No order found for this {WAY_WORDS[answer.look.way]}, here or at the ledger.",
                next_step="Check the receipt with the customer and scan it again, or take it "
                "back without a receipt with a manager's approval (Ctrl+N).",
            )
        with self._db.writing() as session:
            conn = raw_connection(session)
            for order in answer.orders:
                sold_orders.keep_order(conn, order, source="ledger", **_keys(answer.look))
                take.count_unsent(conn, order.order_number)
            numbers = [order.order_number for order in answer.orders]
            kept = {o.order_number: o for o in sold_orders.by_number(conn, numbers)}
        return ReturnFound(
            orders=tuple(kept.get(o.order_number, o) for o in answer.orders),  # as kept here
            way=answer.look.way,
            at_ledger=True,
            ask_ledger=False,
            said=words.found_words(len(answer.orders), answer.look.way, online=True),
            parcel=_parcel(answer.look),
        )

    def reasons(self) -> tuple[ReturnReason, ...]:
        """The reasons a customer may give, in the retailer's order."""
        with self._db.reading() as session:
            rows = reasons.choices(raw_connection(session), ReasonUse.RETURN)
        return tuple(ReturnReason(r.code, r.label) for r in rows)

    def take(self, draft: ReturnDraft, staff: StaffSession) -> ReturnTaken:
        """Record the return in one transaction (:mod:`.take`), wake sync, then print its
        credit note and RMA labels (DB worker). A print failure is said, never undoes it;
        a reason not of the retailer's return reasons is refused and nothing is recorded."""
        recorded = take.record_return(self._db, draft, staff, self._clock())
        self._on_committed()
        return self._printed(recorded, staff)

    def replacement(self, code: str, taken: Sequence[Replacement]) -> Replacement:
        """The item ``code`` names as one more replacement of an exchange, after
        ``taken`` (:mod:`.exchange`; DB worker: stock as last synced)."""
        with self._db.reading() as session:
            return exchange.replacement_for(session, code, taken)

    def exchange(
        self, draft: ReturnDraft, replacements: Sequence[Replacement], staff: StaffSession
    ) -> ReturnTaken:
        """Record the return and its replacement pickup order in one transaction
        (:mod:`.exchange`), wake sync, then print the return's papers and the exchange
        slip (DB worker). A print failure is said, never undoes it."""
        done = exchange.record_exchange(self._db, draft, replacements, staff, self._clock())
        self._on_committed()
        slip = done.slip
        head = (
            f"Exchange saved: replacement order {slip.order_number}, pickup code "
            f"{slip.pickup_code}, to pick up here. {slip.settlement.words(slip.refunded)}"
        )
        if done.recorded.credit_note:
            head += f" Credit note {done.recorded.credit_note}."
        printed = exchange.print_slip(self._printing, slip, staff.code)  # the slip first
        taken = self._printed(done.recorded, staff, f"{head} {printed}")
        return replace(taken, exchange_order=slip.order_number, pickup_code=slip.pickup_code)

    def _printed(
        self, recorded: Recorded, staff: StaffSession, head: str | None = None
    ) -> ReturnTaken:
        """Print a recorded return's credit note and RMA labels; the return as taken
        (``head``: its first words, when not the refund's)."""
        try:
            made = prints.return_prints(self._db, recorded)
            printed = prints.print_return(self._printing, made, staff.code)
        except KnownError as exc:
            printed = f"Printing failed: {exc.message} {prints.REPRINT}."
        return ReturnTaken(
            return_id=recorded.return_id,
            order_number=recorded.draft.order.order_number,
            units=len(recorded.draft.units),
            refund_minor=recorded.refund.total_minor,
            method=recorded.method,
            credit_note=recorded.credit_note,
            held=bool(recorded.held),
            rma_ids=take.rma_ids(recorded),  # as kept for put-away, printed or not
            said=words.taken_words(recorded, printed, head),
        )

    def reprint(self, return_id: str, staff: StaffSession) -> str:
        """Print a return's credit note (or return receipt) and RMA labels again, as they
        printed first, and an exchange's slip too, each recorded as a reprint (DB worker;
        :mod:`.reprint`).
        ``NotFound`` in words for a return this station holds no record of."""
        made = reprint.reprints(self._db, return_id)
        printed = prints.print_return(self._printing, made, staff.code)
        slip = reprint.exchange_slip(self._db, return_id)
        if slip is not None and self._printing is not None:
            printed += f" {exchange.print_slip(self._printing, slip, staff.code)}"
        if made.receipt is not None:
            return f"Reprint of credit note {made.receipt.note.number}: {printed}"
        if made.store_credit is not None:
            return f"Reprint of return receipt {made.store_credit.number}: {printed}"
        return f"Reprint of the RMA labels: {printed}"

    def item_to_take(self, code: str) -> ItemToTake:
        """The item a scan names, for a return without an order (the cache, offline)."""
        with self._db.reading() as session:
            row = _item(raw_connection(session), code)
        return ItemToTake(row.sku, row.name, row.price_minor)

    def no_receipt_history(self, phone: str, staff: StaffSession | None = None) -> NoReceiptRoom:
        """What the customer ``phone`` can still get back without a receipt: the ledger is
        asked for every store's returns (network worker), its answer kept so the return
        recorded next counts them too; offline only this counter's count. ``BadInput``
        when ``phone`` is not a mobile number."""
        key = no_order.phone_key(phone)
        with self._db.reading() as session:
            enrolment = device.enrolment(session)
            online = bool(device.sync_state(session).online)
        history = None
        if enrolment is not None and online:  # known offline: no wait for a timeout
            client = self._client_factory(
                enrolment.ledger_url, device.read_token(self._data_dir), self._settings
            )
            try:
                by = staff.code if staff else STATION_ASKS
                history = no_receipt_room.ask_history(client, key, by)
            finally:
                client.close()
        return no_receipt_room.room_after(self._db, key, history, self._clock())

    def take_without_order(
        self,
        units: Sequence[UnitToTake],
        customer_phone: str,
        manager: ManagerApproval,
        staff: StaffSession,
    ) -> ReturnTaken:
        """Take ``units`` back with no order (no receipt; offline with no order found): a
        manager approves with their code and PIN here, each unit refunds its price or
        less, the customer's limit is checked against this station's returns and the
        ledger's answer to ``no_receipt_history`` (:mod:`.no_order`); then its return
        receipt (store credit, under its credit note number) and RMA labels print (DB
        worker). ``RuleRefused``, ``LoginFailed`` and ``BadInput`` say what to do instead;
        nothing is recorded."""
        if not units:
            raise RuleRefused(
                "Nothing is in this return yet.", next_step="Scan each item coming back."
            )
        no_order.phone_key(customer_phone)  # before the manager keys a PIN for nothing
        taken = self._units(units)
        approver = self._manager(manager)
        recorded = no_order.record_without_order(
            self._db, taken, customer_phone, approver, staff, self._clock()
        )
        self._on_committed()
        made: prints.ReturnPrints | None = None
        try:
            made = prints.prints_without_order(self._db, recorded)
            printed = prints.print_return(self._printing, made, staff.code)
        except KnownError as exc:
            printed = f"Printing failed: {exc.message} {prints.REPRINT}."
        head = words.saved_words(
            recorded.total_minor, recorded.held, recorded.credit_note, RefundMethod.STORE_CREDIT
        )
        return ReturnTaken(
            return_id=recorded.return_id,
            order_number="",
            units=len(recorded.units),
            refund_minor=recorded.total_minor,
            method=RefundMethod.STORE_CREDIT,
            credit_note=recorded.credit_note,
            held=bool(recorded.held),
            rma_ids=tuple(label.rma_id for label in made.labels) if made else (),
            said=f"{head} {printed} {words.away_words(u.disposition for u in recorded.units)}",
        )

    def put_away(self, rma_scan: str, bin_scan: str, staff: StaffSession) -> PutAwayDone:
        """Record a returned unit put into a bin by scan (:mod:`.put_away`; DB worker)."""
        return self._put_away.put_away(rma_scan, bin_scan, staff)

    def _units(self, units: Sequence[UnitToTake]) -> list[UnitWithoutOrder]:
        """Each scanned unit as an item of the catalog with its refund; refuses an item
        or reason this station does not know, or a refund above the price."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            take.check_reasons(conn, (unit.reason for unit in units))
            rows = [_item(conn, unit.code) for unit in units]
        taken = []
        for unit, row in zip(units, rows, strict=True):
            refund = unit_refund(row.name, row.price_minor, unit.refund_minor)
            taken.append(UnitWithoutOrder(row.id, row.sku, row.name, unit.grade,
                                          unit.disposition, unit.reason, refund))  # fmt: skip
        return taken

    def _manager(self, manager: ManagerApproval) -> str:
        """The staff code of the manager approving, once their PIN and role check out
        here (offline): the ledger checks the approval again when it syncs."""
        member = self._auth.login_pin(manager.code, manager.pin)
        if ROLE_RANK.get(member.role, -1) < ROLE_RANK["manager"]:
            raise RuleRefused(
                f"{member.name} is {_a(member.role)}: only a manager can approve a return "
                "without a receipt.",
                next_step="Ask a manager to key their staff code and PIN.",
            )
        return member.code


def _a(role: str) -> str:
    return f"an {role}" if role[:1] in ("a", "e", "i", "o", "u") else f"a {role}"


def _item(conn: sqlite3.Connection, code: str) -> catalog.ItemRow:
    rows = items_for_code(conn, code.strip())
    if not rows:
        raise NotFound(
            f"{code.strip()} is not an item of this store's catalog.",
            next_step="Scan the item's barcode again or type its SKU; an item the store "
            "does not sell cannot come back without a receipt.",
        )
    return rows[0]


def _parcel(look: Look) -> str:
    """The SSCC of a parcel label the order was found by ("" for any other way)."""
    return parcel_of_scan(look.value) if look.way is LookFor.PARCEL else ""


def _keys(look: Look) -> dict[str, str]:
    """The search keys an order found by phone or e-mail is kept under (found again here)."""
    if look.way is LookFor.PHONE:
        return {"phone_key": look.value}
    if look.way is LookFor.EMAIL:
        return {"email_key": look.value}
    return {}
