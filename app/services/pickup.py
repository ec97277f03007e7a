"""BOPIS at the counter: the pickup queue, find, pick, stage, ready, handover, restock.

Every step is one IMMEDIATE transaction: the order's current view (base + unconfirmed
ops, :mod:`.pickup_view`) is read, the step is checked by the domain rules (a refusal
raises before anything is written), and the operation is appended to the outbox with
its local stock effect. Then sync is woken.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.config import SyncSettings
from app.domain.labels import PickupTag
from app.domain.pickup import PickupOrder
from app.domain.pickup_codes import pickup_code_matches
from app.domain.pickup_ops import (
    LineQty,
    MessageChannel,
    PickupAccept,
    PickupCancel,
    PickupHandover,
    PickupPayload,
    PickupPick,
    PickupReady,
    PickupRestock,
    PickupStage,
    Proof,
)
from app.domain.reasons import EFFECT_WORDS, ReasonUse
from app.errors import NotFound, RuleRefused
from app.services import pickup_find, pickup_queue, pickup_scan
from app.services import pickup_view as view
from app.services.pickup_bins import BinHoldsAnother, orders_on_bin
from app.services.pickup_record import record_step
from app.services.pickup_results import (
    PickupDetail,
    PickupFound,
    PickupQueue,
    PickupRecorded,
    ReasonChoice,
    RestockTask,
)
from app.services.results import StaffSession
from app.storage import device, pickups, reasons
from app.storage.engine import Database, raw_connection
from app.sync.client import LedgerClient

LedgerFactory = Callable[[str, str | None, SyncSettings], LedgerClient]


class PickupService:
    """Pickup orders of this station's store; every call is one transaction."""

    def __init__(
        self,
        *,
        db: Database,
        data_dir: Path,
        clock: Callable[[], datetime],
        client_factory: LedgerFactory,
        settings: SyncSettings,
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._clock = clock
        self._client_factory = client_factory
        self._settings = settings
        self._on_committed = on_committed

    # --- reading ---------------------------------------------------------------------------

    def queue(self) -> PickupQueue:
        """Every bucket's count and a page of it: to pick, to stage, staged, ready, the
        latest collected and cancelled, and restock tasks (:mod:`.pickup_queue`)."""
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            return pickup_queue.read_queue(conn, view.rules_of(conn), now)

    def restock_tasks(self) -> list[RestockTask]:
        """Cancelled and no-show orders whose units are to go back to the shelf."""
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            return pickup_queue.restock_tasks(conn, view.rules_of(conn), now)

    def find(self, query: str) -> PickupFound:
        """Orders matching a scanned QR, an order number, a pickup code, a name or phone;
        with the order's detail when exactly one matches (a scan opens it in one call).

        Offline from the cache; when nothing is here, the ledger (if reachable) says
        which store holds it, in a ``NotFound``.
        """
        if not query.strip():
            raise NotFound("Scan the customer's QR or type an order number, code or name.")
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            rules = view.rules_of(conn)
            rows, found_by, verified = pickup_find.search(conn, query)
            views = view.currents(conn, rows, rules, now) if rows else []
        if not views:
            pickup_find.not_here(query, rules.code, self._locate)
        return PickupFound(
            orders=tuple(view.summary(v) for v in views),
            found_by=found_by,
            code_verified=verified,
            detail=view.detail(views[0], rules.bins) if len(views) == 1 else None,
        )

    def order(self, fulfilment_id: int) -> PickupDetail:
        """One pickup order as it stands here now."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            rules = view.rules_of(conn)
            return view.detail(view.current(conn, fulfilment_id, rules, self._clock()), rules.bins)

    def pickup_tag(self, fulfilment_id: int) -> PickupTag:
        """The hold-shelf tag of a staged order: number, customer, bin and pickup-by date
        (the hold's end once ready, else today plus the store's hold days), a date in the
        store's time zone."""
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            rules = view.rules_of(conn)
            order = view.detail(view.current(conn, fulfilment_id, rules, now))
            zone = view.store_zone(conn)
        return order.pickup_tag(zone, now + timedelta(days=rules.hold_days))

    def verify_pickup_code(self, fulfilment_id: int, code: str) -> bool:
        """Whether ``code`` is the order's pickup code (offline: salted hash in the cache)."""
        with self._db.reading() as session:
            row = pickups.by_id(raw_connection(session), fulfilment_id)
        if row is None:
            raise NotFound(f"Pickup order {fulfilment_id} is not in this station's cache.")
        digits = "".join(code.split())
        return pickup_code_matches(
            digits, row["pickup_code_salt"] or "", row["pickup_code_hash"] or ""
        )

    # --- steps -----------------------------------------------------------------------------

    def accept(self, staff: StaffSession, fulfilment_id: int) -> PickupRecorded:
        """Take the order on at this store."""
        return self._step(staff, fulfilment_id, lambda o, here: PickupAccept(here.code, o.id))

    def pick(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = 1,
        *,
        typed: bool = False,
    ) -> PickupRecorded:
        """A scanned GTIN or typed SKU picks ``quantity`` units of the matching line;
        ``typed``: text the associate typed, which may key the quantity (``3*SKU``,
        :func:`.pickup_scan.read_typed`)."""

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            scan, units = here.entry(order, scan_or_sku, quantity, typed=typed)
            sku = here.line_for(order, scan, needed=lambda x: x.to_pick)
            line = order.line(sku)
            if units < 1:
                raise RuleRefused("Pick at least one unit.")
            if units > line.to_pick:
                raise pickup_scan.more_than_needed(order, line, units, line.to_pick, "picked")
            return PickupPick(here.code, order.id, lines=(LineQty(sku, units),))

        return self._step(staff, fulfilment_id, make)

    def short(
        self, staff: StaffSession, fulfilment_id: int, sku: str, reason: str = ""
    ) -> PickupRecorded:
        """The rest of a line cannot be picked, for ``reason`` (a code of the retailer's
        short reasons): its stock effect shows here at once; the ledger decides the
        order (reroute or partial)."""

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            line = order.line(here.line_for(order, sku))
            if not line.to_pick:
                raise RuleRefused(f"Nothing of {line.sku} is left to pick.")
            offered = reasons.choices(here.conn, ReasonUse.SHORT_PICK)
            if offered and reason not in {r.code for r in offered}:
                raise RuleRefused(
                    f"Say why {line.sku} is short.",
                    next_step="Choose a reason from the list (not found, damaged …).",
                )
            lines = (LineQty(line.sku, 0, line.to_pick),)
            return PickupPick(here.code, order.id, lines=lines, reason=reason)

        return self._step(staff, fulfilment_id, make)

    def reasons(self, use: str) -> tuple[ReasonChoice, ...]:
        """The retailer's reasons offered for ``use`` (a ReasonUse value), with what each
        does to stock, from the cache (so offline too)."""
        with self._db.reading() as session:
            found = reasons.choices(raw_connection(session), ReasonUse(use))
        return tuple(ReasonChoice(r.code, r.label, EFFECT_WORDS[r.effect]) for r in found)

    def stage(
        self, staff: StaffSession, fulfilment_id: int, bin_code: str, *, share_bin: bool = False
    ) -> PickupRecorded:
        """Put the picked units on a hold-shelf bin of this store (scan its label). A bin
        that holds another order is refused (``BinHoldsAnother``) unless ``share_bin``:
        the associate was asked and said so."""
        code = bin_code.strip().upper()
        now = self._clock()

        def make(
            conn: sqlite3.Connection, rules: pickups.StoreRules, order: PickupOrder
        ) -> PickupPayload:
            others = () if share_bin else orders_on_bin(conn, rules, now, code, but=order.id)
            if others:
                raise BinHoldsAnother(code, others)
            return PickupStage(rules.code, order.id, bin=code)

        return record_step(
            db=self._db,
            now=now,
            staff=staff,
            fulfilment_id=fulfilment_id,
            make=make,
            on_committed=self._on_committed,
        )

    def ready(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        skus: Sequence[str] | None = None,
        channel: str = "sms",
    ) -> PickupRecorded:
        """Announce what is on the hold shelf (all, or the lines of ``skus``) as ready."""
        by = MessageChannel(channel)

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            wanted = None if skus is None else {here.line_for(order, s) for s in skus}
            lines = tuple(
                LineQty(line.sku, line.keep - line.ready_waiting)
                for line in order.lines
                if (wanted is None or line.sku in wanted) and line.keep > line.ready_waiting
            )
            if not lines:
                raise RuleRefused(
                    f"Nothing of order {order.order_number} is waiting to be made ready.",
                    next_step="Pick and stage the items first.",
                )
            message = (
                f"Your order {order.order_number} is ready for pickup at {here.name}. "
                "Show your pickup code or QR at the counter."
            )
            return PickupReady(here.code, order.id, lines=lines, channel=by, message=message)

        return self._step(staff, fulfilment_id, make)

    def handover(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        lines: Mapping[str, int],
        proof: Proof,
        cancel_left: Sequence[str] = (),
        cancel_reason: str = "",
        reason: str = "",
    ) -> PickupRecorded:
        """Units (sku -> quantity, some units of a line too) handed to the customer, with
        the proof of pickup.

        A second press of the same handover is refused by the rules before anything is
        written; lines in ``cancel_left`` have what is left behind cancelled (else it stays
        ready); ``reason`` is why units were left (a code of the handover reasons).
        """

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            handed = tuple(
                LineQty(here.line_for(order, sku), qty) for sku, qty in lines.items() if qty
            )
            if not handed:
                raise RuleRefused("Say which items the customer takes.")
            left = tuple(here.line_for(order, sku) for sku in cancel_left)
            return PickupHandover(
                here.code,
                order.id,
                lines=handed,
                proof=proof,
                cancel_left=left,
                cancel_reason=cancel_reason,
                reason=reason,
            )

        return self._step(staff, fulfilment_id, make)

    def cancel(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        reason: str,
        skus: Sequence[str] | None = None,
    ) -> PickupRecorded:
        """Cancel what is not collected (all, or the lines of ``skus``), with a reason."""

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            lines: tuple[LineQty, ...] = ()
            if skus is not None:
                wanted = [order.line(here.line_for(order, s)) for s in skus]
                lines = tuple(LineQty(x.sku, x.cancellable) for x in wanted if x.cancellable)
                if not lines:
                    raise RuleRefused(f"Nothing of those lines of {order.order_number} is left.")
            return PickupCancel(here.code, order.id, reason=reason.strip(), lines=lines)

        return self._step(staff, fulfilment_id, make)

    def restock(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = 1,
        *,
        typed: bool = False,
    ) -> PickupRecorded:
        """Scanned units of a cancelled or no-show order go back to the shelf (``typed``:
        as :meth:`pick`)."""

        def make(order: PickupOrder, here: _Here) -> PickupPayload:
            scan, units = here.entry(order, scan_or_sku, quantity, typed=typed)
            sku = here.line_for(order, scan, needed=lambda x: x.restock_due)
            line = order.line(sku)
            if units < 1:
                raise RuleRefused("Put back at least one unit.")
            if line.restock_due and units > line.restock_due:
                raise pickup_scan.more_than_needed(order, line, units, line.restock_due, "put back")
            return PickupRestock(here.code, order.id, lines=(LineQty(sku, units),))

        return self._step(staff, fulfilment_id, make)

    # --- plumbing --------------------------------------------------------------------------

    def _step(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        make: Callable[[view.PickupOrder, _Here], PickupPayload],
    ) -> PickupRecorded:
        return record_step(
            db=self._db,
            now=self._clock(),
            staff=staff,
            fulfilment_id=fulfilment_id,
            make=lambda conn, rules, order: make(order, _Here(conn, rules.code, rules.name)),
            on_committed=self._on_committed,
        )

    def _locate(self, query: str) -> tuple[str, str] | None:
        """Ask the ledger which store holds a pickup order; raises ``Offline``."""
        with self._db.reading() as session:
            enrolment = device.enrolment(session)
        if enrolment is None:
            return None
        client = self._client_factory(
            enrolment.ledger_url, device.read_token(self._data_dir), self._settings
        )
        try:
            found = client.locate_pickup(query)
        finally:
            client.close()
        return None if found is None else (found.location_code, found.location_name)


@dataclass(frozen=True)
class _Here:
    """This store, and the open transaction's connection, for building a step."""

    conn: sqlite3.Connection
    code: str
    name: str

    def line_for(
        self, order: PickupOrder, scan: str, needed: pickup_scan.Needed | None = None
    ) -> str:
        """The SKU of the order's line a scan names (:func:`.pickup_scan.line_of_scan`)."""
        return pickup_scan.line_of_scan(self.conn, order, scan, needed)

    def entry(
        self, order: PickupOrder, text: str, quantity: int, *, typed: bool
    ) -> tuple[str, int]:
        """(item, quantity) of a scan, or of typed text that may key its quantity."""
        if not typed:
            return text, quantity
        return pickup_scan.read_typed(self.conn, order, text, quantity)
