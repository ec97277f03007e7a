"""The bench's batch pick, one service call per action of the picker.

Each call is one IMMEDIATE transaction: it opens the batch (the walk replayed, or kept
from the last call), applies the scan or key (:class:`~app.domain.shipping.pick_scan.
PickProgress`), saves the step, and when units go into a tote appends a ``ship.pick``
for that tote's order with its local stock effect (sellable units off this location,
units off the bin), as :mod:`app.services.pickup_record` does. A wrong scan changes and
saves nothing. Short units no bin holds are rejected with a reason (``ship.reject``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.reasons import Reason, ReasonUse
from app.domain.shipping.op_parts import BinLine, ShipLine
from app.domain.shipping.ops import ShipPayload, ShipPick, ShipReject
from app.domain.shipping.pick_scan import PickedUnits, ScanOutcome, ScanResult
from app.domain.shipping.steps import apply_step
from app.errors import BadInput, NotFound, RuleRefused
from app.labels.pick_list import PickListHeader
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.shipping import batch as batches_of
from app.services.shipping import ship_view
from app.services.shipping.batch import OpenBatch
from app.services.shipping.batch_results import BatchView
from app.services.shipping.batch_view import view_of
from app.services.shipping.pick_list import print_pick_list
from app.storage import batches, device, outbox, reasons, shelf_bins
from app.storage.batches import StepRow
from app.storage.engine import Database, raw_connection
from app.storage.types import to_text

_PUT = {ScanResult.TOTE_CONFIRMED, ScanResult.STOP_DONE, ScanResult.WALK_DONE}


def location_of(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT location_code FROM device WHERE id = 1").fetchone()[0])


def record_op(
    session: Session, payload: ShipPayload, effects: tuple[outbox.Effect, ...], actor: str,
    now: datetime,
) -> None:  # fmt: skip
    outbox.append(
        session,
        op_type=payload.TYPE.value,
        payload=payload.to_payload(),
        actor=actor,
        base_ledger_seq=int(device.sync_state(session).cursor),
        now=now,
        effects=effects,
    )


class BatchPicking:
    """Batch picks at this bench (see the module docstring)."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        out_dir: Path,
        printing: PrintService | None = None,
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._out_dir = out_dir  # where the pick list is saved when printing is off
        self._printing = printing
        self._on_committed = on_committed
        self._kept: OpenBatch | None = None  # the walk of the last call, kept to skip a replay

    def _open(self, conn: sqlite3.Connection) -> OpenBatch:
        row = batches.open_batch(conn)
        kept = self._kept
        if (
            row is not None
            and kept is not None
            and kept.row.batch_id == row.batch_id
            and kept.steps == batches.step_count(conn, row.batch_id)
        ):
            return kept
        self._kept = batches_of.load(conn)
        if self._kept is None:
            raise NotFound(
                "No batch pick is open here.", next_step="Start one from the Ship queue."
            )
        return self._kept

    def _act(
        self, staff: StaffSession, act: Callable[[Session, OpenBatch], BatchView]
    ) -> BatchView:
        """Run one action in one write transaction; a failure forgets the kept walk."""
        try:
            with self._db.writing() as session:
                result = act(session, self._open(raw_connection(session)))
        except BaseException:
            self._kept = None
            raise
        if result.ops:
            self._on_committed()
        return result

    def start(self, staff: StaffSession, marked: Sequence[int] = (), count: int = 20) -> BatchView:
        """A new batch of the ``marked`` orders, or of the next ``count`` by cut-off."""
        now = self._clock()
        with self._db.writing() as session:
            conn = raw_connection(session)
            batches_of.start(conn, marked=marked, count=count, staff=staff.code, now=to_text(now))
        return self.current() or self._missing()

    def _missing(self) -> BatchView:
        raise NotFound("No batch pick is open here.", next_step="Start one from the Ship queue.")

    def current(self) -> BatchView | None:
        """The open batch where the picker left it, or None."""
        with self._db.writing() as session:
            conn = raw_connection(session)
            if batches.open_batch(conn) is None:
                return None
            return view_of(self._open(conn))

    def scan(self, staff: StaffSession, text: str, quantity: int = 1) -> BatchView:
        """A scan of a bin, an item (``quantity`` keyed units) or a tote."""

        def act(session: Session, batch: OpenBatch) -> BatchView:
            before = {(p.bin_code, p.sku, p.tote): p.quantity for p in batch.progress.picked()}
            outcome = batch.progress.scan(text, quantity)
            if outcome.refused:
                return view_of(batch, outcome)
            self._save(session, batch, StepRow("scan", text.strip(), quantity))
            if outcome.result not in _PUT:
                return view_of(batch, outcome)
            put = [
                PickedUnits(p.bin_code, p.sku, p.tote, p.quantity - before.get(k, 0))
                for p in batch.progress.picked()
                if p.quantity > before.get(k := (p.bin_code, p.sku, p.tote), 0)
            ]
            said = " ".join(self._record_put(session, batch, units, staff) for units in put)
            return view_of(
                batch, ScanOutcome(outcome.result, f"{said} {outcome.words}".strip()), ops=len(put)
            )

        return self._act(staff, act)

    def _save(self, session: Session, batch: OpenBatch, step: StepRow) -> None:
        batches.add_step(raw_connection(session), batch.row.batch_id, step)
        batch.steps += 1

    def _record_put(
        self, session: Session, batch: OpenBatch, units: PickedUnits, staff: StaffSession
    ) -> str:
        """One ``ship.pick`` for units put in a tote; words when its order was closed."""
        conn = raw_connection(session)
        order = batch.order_of(units.tote)
        payload = ShipPick(
            location_of(conn), order.fulfilment_id,
            lines=(BinLine(units.sku, units.quantity, units.bin_code),),
            tote=f"{batch.row.batch_id}-{units.tote}", batch=batch.row.batch_id,
        )  # fmt: skip
        before = ship_view.current(conn, order.fulfilment_id)
        outcome = apply_step(before, payload, recorded=True)  # a fact: units are in the tote
        item_id = batch.item_id(units.sku)
        effects = tuple(
            outbox.Effect(item_id, "sellable", move.units) for move in outcome.moves if item_id
        )
        for move in outcome.moves:
            shelf_bins.move(conn, item_id, move.bin, move.units)
        record_op(session, payload, effects, staff.code, self._clock())
        if not outcome.exceptions:
            return ""
        return (
            f"Order {order.order_number} was {before.state.value} meanwhile: "
            f"take tote {units.tote} out and put its items back (Unpick)."
        )

    def short(self, staff: StaffSession, found: int) -> BatchView:
        """The bin held only ``found`` of the units this stop takes."""
        return self._keyed(staff, "short", found, lambda b: b.progress.short(found))

    def skip(self, staff: StaffSession) -> BatchView:
        """Leave this stop for later."""
        return self._keyed(staff, "skip", 0, lambda b: b.progress.skip())

    def back(self, staff: StaffSession) -> BatchView:
        """Go back to a stop skipped earlier."""
        return self._keyed(staff, "back", 0, lambda b: b.progress.back())

    def _keyed(
        self, staff: StaffSession, action: str, quantity: int,
        move: Callable[[OpenBatch], ScanOutcome],
    ) -> BatchView:  # fmt: skip
        def act(session: Session, batch: OpenBatch) -> BatchView:
            outcome = move(batch)
            if not outcome.refused:
                self._save(session, batch, StepRow(action, "", quantity))
            return view_of(batch, outcome)

        return self._act(staff, act)

    def reasons(self) -> list[Reason]:
        """The retailer's reasons a bench may reject units for, in their order."""
        with self._db.reading() as session:
            return reasons.choices(raw_connection(session), ReasonUse.SHIP_REJECT)

    def reject_shorts(self, staff: StaffSession, reason_code: str) -> BatchView:
        """Reject every short unit waiting for a reason: one ``ship.reject`` per order."""

        def act(session: Session, batch: OpenBatch) -> BatchView:
            conn = raw_connection(session)
            reason = reasons.by_code(conn, reason_code)
            if reason is None or not reason.serves(ReasonUse.SHIP_REJECT):
                raise BadInput(
                    "Choose a reason from the list.", next_step="Pick one and press Enter."
                )
            shorts = batch.progress.shorts()
            waiting = shorts[batch.rejected :]
            if not waiting:
                raise RuleRefused(
                    "Nothing is waiting for a reason.", next_step=batch.progress.prompt
                )
            by_tote: dict[str, list[ShipLine]] = {}
            for short in waiting:
                by_tote.setdefault(short.tote, []).append(ShipLine(short.sku, short.quantity))
            said = [
                self._reject(session, batch, tote, lines, reason, staff)
                for tote, lines in by_tote.items()
            ]
            self._save(session, batch, StepRow("reject", reason.code, len(shorts)))
            batch.rejected = len(shorts)
            return view_of(batch, said=" ".join(said), ops=len(by_tote))

        return self._act(staff, act)

    def _reject(
        self, session: Session, batch: OpenBatch, tote: str, lines: list[ShipLine],
        reason: Reason, staff: StaffSession,
    ) -> str:  # fmt: skip
        conn = raw_connection(session)
        order = batch.order_of(tote)
        payload = ShipReject(location_of(conn), order.fulfilment_id, reason.code, tuple(lines))
        try:
            apply_step(ship_view.current(conn, order.fulfilment_id), payload)
        except RuleRefused as exc:
            return f"Order {order.order_number}: {exc}"
        effects = tuple(
            e
            for ln in lines
            for e in reasons.reason_effects(reason, batch.item_id(ln.sku), ln.quantity)
        )
        record_op(session, payload, effects, staff.code, self._clock())
        units = sum(ln.quantity for ln in lines)
        return f"{units} of order {order.order_number} rejected: {reason.label}."

    def finish(self, staff: StaffSession) -> str:
        """Close the walk: what was not picked goes back to the queue for another walk."""

        def act(session: Session, batch: OpenBatch) -> BatchView:
            now = batch.progress.current
            if now is not None and now.counted:
                raise RuleRefused(
                    f"{now.counted} {now.name} are in your hand.",
                    next_step=f"Put them in tote {now.tote} and scan it first.",
                )
            if batch.progress.done and batch.progress.shorts()[batch.rejected :]:
                raise RuleRefused(
                    "Short items are waiting for a reason.",
                    next_step="Press F8 and choose the reason.",
                )
            batches.finish(raw_connection(session), batch.row.batch_id, to_text(self._clock()))
            return view_of(batch)

        view = self._act(staff, act)
        self._kept = None
        left = view.total_units - view.picked_units - sum(s.quantity for s in view.to_reject)
        rest = f" {left} units not picked go back to the queue." if left > 0 else ""
        return f"Batch {view.batch_id} finished: take the totes to the packing bench.{rest}"

    def print_pick_list(self, staff: StaffSession) -> str:
        """Print the open batch's pick list on the station's A4 printer, for staff without
        a scanner; what happened, in words (where it went when no A4 printer is set up)."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            batch = batches_of.load(conn)
            location = location_of(conn)
        if batch is None:
            self._missing()
            raise AssertionError
        header = PickListHeader(location, self._clock().astimezone().date())
        return print_pick_list(
            self._printing, batch.walk, header, staff_code=staff.code, fallback_dir=self._out_dir
        )
