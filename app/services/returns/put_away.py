"""Putting returned units away by scan at the counter or bench: the RMA label, then a bin.

One transaction on the DB worker, offline too: the unit is found by its RMA id among the
units this station took in (:mod:`app.storage.rma_units`), the bin read against this
location's planogram, the rule (:mod:`app.domain.returns.put_away`) says where the unit
goes, and the ``return.put_away`` operation is queued with its local stock effect (a
unit back to sale leaves its bucket for sellable here at once).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.returns.put_away import (
    INSPECTORS,
    RETURN_PUT_AWAY,
    BinKind,
    ReturnPutAway,
    bin_code,
    bin_kind,
    put_away,
)
from app.domain.stock import Bucket
from app.errors import BadInput, NotEnrolled, NotFound
from app.services.results import StaffSession
from app.storage import catalog, device, outbox, rma_units
from app.storage.engine import Database, raw_connection

BUCKET_WORDS = {
    Bucket.SELLABLE: "sellable",
    Bucket.OPEN_BOX: "open-box",
    Bucket.QUARANTINE: "quarantine",
    Bucket.DAMAGED: "damaged",
    Bucket.RTV: "return-to-vendor",
}


@dataclass(frozen=True)
class PutAwayDone:
    """A unit put away: where, its bucket before and now, and what to do next."""

    rma_id: str
    sku: str
    bin: str
    from_bucket: Bucket
    to_bucket: Bucket
    said: str


class PutAwayService:
    """Records each returned unit put into a bin, one scan pair at a time."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._on_committed = on_committed

    def put_away(self, rma_scan: str, bin_scan: str, staff: StaffSession) -> PutAwayDone:
        """Put the unit of ``rma_scan`` into the bin of ``bin_scan``. ``NotFound`` for an
        RMA label this station did not take in; ``RuleRefused`` for a bin that is not
        this location's or not the unit's, a unit already put away there or back on its
        shelf, an uninspected unit going back to sale."""
        rma = rma_scan.strip()
        code = bin_code(bin_scan)
        if not rma or not code:
            raise BadInput("Scan the unit's RMA label, then the bin it goes into.")
        now = self._clock()
        with self._db.writing() as session:
            conn = raw_connection(session)
            enrolment = device.enrolment(session)
            if enrolment is None:
                raise NotEnrolled("This station is not set up with a store yet.")
            unit = rma_units.unit(conn, rma)
            if unit is None:
                raise NotFound(
                    f"{rma} is not a returned unit taken in at this station.",
                    next_step="Scan the RMA label on the unit again; a unit taken in at "
                    "another counter is put away there.",
                )
            items = catalog.by_sku(conn, unit.sku)
            item_id = items[0].id if items else None
            kind = _kind(conn, code, item_id)
            done = put_away(unit, code, kind, location=enrolment.location_code,
                            inspector=staff.role in INSPECTORS)  # fmt: skip
            outbox.append(
                session, op_type=RETURN_PUT_AWAY, payload=done.to_payload(), actor=staff.code,
                base_ledger_seq=int(device.sync_state(session).cursor), now=now,
                effects=_effects(done, item_id),
            )  # fmt: skip
            rma_units.put(conn, done, shelved=kind is BinKind.SHELF, now=now)
        self._on_committed()
        return PutAwayDone(done.rma_id, done.sku, done.bin, done.from_bucket, done.to_bucket,
                           put_words(done))  # fmt: skip


def _kind(conn: sqlite3.Connection, code: str, item_id: int | None) -> BinKind:
    """What the scanned bin is here, by this location's planogram."""
    of_sku = rma_units.shelf_bins_of(conn, item_id) if item_id is not None else set()
    here = {code} if code in of_sku or rma_units.is_shelf_bin(conn, code) else set()
    return bin_kind(code, of_sku, here)


def _effects(done: ReturnPutAway, item_id: int | None) -> tuple[outbox.Effect, ...]:
    """Out of its bucket, into sellable, here until the ledger confirms (nothing for a bin
    that keeps the bucket, or an item this station's catalog does not hold)."""
    if not done.moves or item_id is None:
        return ()
    return (
        outbox.Effect(item_id, done.from_bucket.value, -1),
        outbox.Effect(item_id, done.to_bucket.value, 1),
    )


def put_words(done: ReturnPutAway) -> str:
    """What the station says once a unit is put away."""
    if done.moves:
        return (
            f"{done.rma_id} is back on the shelf in {done.bin}: {BUCKET_WORDS[done.from_bucket]}"
            f" to {BUCKET_WORDS[done.to_bucket]} stock. Take its RMA label off; scan the next."
        )
    return (
        f"{done.rma_id} put in {done.bin} ({BUCKET_WORDS[done.to_bucket]} stock). "
        "Scan the next unit's RMA label."
    )
