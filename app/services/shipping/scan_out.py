"""Scan-out at the bench: the driver of a carrier is here; each parcel's shipping label is
scanned as the driver takes it, and the carrier's manifest prints at the end, on the
station's A4 printer through the print service (saved as a PDF where none is set up).

One call per user action. A scan is checked by the domain rules
(:func:`app.domain.shipping.scan_out.check_scan`) on the parcels as this bench sees them
now and appended as ``ship.handover`` in the same IMMEDIATE transaction, so a parcel is
never handed over twice from here; it syncs when the ledger is reachable (offline the
bench goes on). An order whose goods are worth more than the e-way bill threshold goes
out only with its e-way bill number, which travels in the hand-over and prints on the
manifest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.money import Money
from app.domain.shipping.eway_bill import EWAY_BILL_THRESHOLD, eway_bill_number
from app.domain.shipping.ops import ShipHandover
from app.domain.shipping.scan_out import (
    OutParcel,
    check_scan,
    missing_words,
    not_scanned,
    sscc_of_scan,
)
from app.domain.shipping.steps import apply_step
from app.errors import RuleRefused
from app.labels.manifest import ManifestHeader
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.shipping import ship_view
from app.services.shipping.manifest_print import print_manifest
from app.services.shipping.scan_out_view import out_parcels
from app.storage import device, handover, outbox, packing
from app.storage.engine import Database, raw_connection


@dataclass(frozen=True)
class CarrierParcels:
    """A carrier with parcels at the bench today: how many left, how many wait."""

    carrier: str
    handed: int
    waiting: int


@dataclass(frozen=True)
class ScanOutBoard:
    """What the scan-out screen shows for the carrier whose driver is here."""

    carrier: str  # "" before a carrier is chosen
    carriers: tuple[CarrierParcels, ...]
    handed: tuple[OutParcel, ...]  # scanned out today, in scan order
    waiting: tuple[OutParcel, ...]  # the carrier's parcels not scanned yet
    warning: str  # "3 SWIFT parcels not scanned: …" ("" when none)
    next_step: str


@dataclass(frozen=True)
class ScannedOut:
    """A parcel handed to the driver, and the board after it."""

    parcel: OutParcel
    board: ScanOutBoard
    op_id: str


class ScanOutBench:
    """The scan-out step's service (see the module docstring)."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        out_dir: Path,
        printing: PrintService | None = None,
        threshold: Money = EWAY_BILL_THRESHOLD,  # where the location's master data sets none
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._out_dir = out_dir  # where the manifest is saved when printing is off
        self._printing = printing
        self.threshold = threshold
        self._on_committed = on_committed

    def _parcels(self, conn: sqlite3.Connection) -> list[OutParcel]:
        today = self._clock().astimezone().date()
        return out_parcels(conn, lambda at: at.astimezone(), today)

    def _threshold(self, conn: sqlite3.Connection) -> Money:
        """The location's e-way bill threshold from its master data, else the default."""
        set_here = handover.eway_bill_threshold(conn)
        return self.threshold if set_here is None else Money(set_here)

    def board(self, carrier: str = "") -> ScanOutBoard:
        """The parcels of today for ``carrier`` (every carrier's counts with it)."""
        with self._db.reading() as session:
            return _board(self._parcels(raw_connection(session)), carrier.upper())

    def scan(self, carrier: str, code: str, staff: StaffSession, eway_bill: str = "") -> ScannedOut:
        """Hand the scanned parcel to ``carrier``'s driver; refused with the reason."""
        carrier, sscc = carrier.upper(), sscc_of_scan(code)
        bill = eway_bill_number(eway_bill) if eway_bill.strip() else ""
        with self._db.writing() as session:
            conn = raw_connection(session)
            parcels = self._parcels(conn)
            parcel = next((p for p in parcels if p.sscc == sscc and not p.void), None)
            parcel = parcel or next((p for p in parcels if p.sscc == sscc), None)
            threshold = self._threshold(conn)
            bill = check_scan(parcel, code, carrier, threshold=threshold, eway_bill=bill)
            assert parcel is not None  # check_scan refuses an unknown code
            place = packing.location_row(conn)
            location = str(place["code"]) if place else ""
            payload = ShipHandover(location, parcel.fulfilment_id, parcel.sscc, carrier, bill)
            apply_step(ship_view.current(conn, parcel.fulfilment_id), payload)
            op_id = outbox.append(
                session,
                op_type=payload.TYPE.value,
                payload=payload.to_payload(),
                actor=staff.code,
                base_ledger_seq=int(device.sync_state(session).cursor),
                now=self._clock(),
            ).op_id
            after = self._parcels(conn)
        self._on_committed()
        left = next(p for p in after if p.sscc == parcel.sscc and p.handed_over)
        return ScannedOut(left, _board(after, carrier), op_id)

    def manifest(self, carrier: str, staff: StaffSession) -> str:
        """Print the carrier's manifest of today on the A4 printer; what happened, in words
        (where it was saved when no A4 printer is set up). ``PrintFailed`` when the
        printer refused it (the job is recorded)."""
        carrier = carrier.upper()
        with self._db.reading() as session:
            conn = raw_connection(session)
            parcels = [p for p in self._parcels(conn) if p.carrier == carrier and not p.void]
            place = packing.location_row(conn) or {}
        if not parcels:
            raise RuleRefused(
                f"No {carrier} parcel was packed or handed over today.",
                next_step="Choose the carrier whose driver is here.",
            )
        where = " ".join(str(place.get(k) or "") for k in ("code", "name")).strip()
        name = next((p.carrier_full_name for p in parcels if p.carrier_full_name), "")
        header = ManifestHeader(carrier, where, self._clock().astimezone(), staff.code, name)
        return print_manifest(
            self._printing, parcels, header, staff_code=staff.code, fallback_dir=self._out_dir
        )


def _board(parcels: list[OutParcel], carrier: str) -> ScanOutBoard:
    live = [p for p in parcels if not p.void]
    names = sorted({p.carrier for p in live})
    counts = tuple(
        CarrierParcels(
            c,
            sum(1 for p in live if p.carrier == c and p.handed_over),
            sum(1 for p in live if p.carrier == c and not p.handed_over),
        )
        for c in names
    )
    handed = tuple(
        sorted((p for p in live if p.carrier == carrier and p.handed_over),
               key=lambda p: p.handed_over)
    )  # fmt: skip
    waiting = tuple(not_scanned(live, carrier)) if carrier else ()
    return ScanOutBoard(
        carrier, counts, handed, waiting, missing_words(list(waiting), carrier),
        _next_step(carrier, waiting, handed),
    )  # fmt: skip


def _next_step(carrier: str, waiting: tuple[OutParcel, ...], handed: tuple[OutParcel, ...]) -> str:
    if not carrier:
        return "Press the number of the carrier whose driver is here."
    if waiting:
        return f"Scan each {carrier} parcel's shipping label as the driver takes it."
    if handed:
        return f"Every {carrier} parcel is scanned out: press Ctrl+P for the manifest."
    return f"No {carrier} parcel waits here today. Choose another carrier."
