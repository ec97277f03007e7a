"""Booking packed parcels with their carrier through the ledger, at the bench.

A parcel packed for a booked carrier (not our own riders) waits in the cache
(:mod:`app.storage.parcel_bookings`) from its pack; its shipping label prints once the
ledger has booked it, with the carrier's tracking number (its barcode) and routing code.
The booking is asked on the sync worker after each push (the ledger must have applied
the pack first), so a bench offline, or a carrier down or slow, only delays the label:
it prints when the answer comes, once (the ledger and the carrier book an SSCC once).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from app import log
from app.domain.shipping.parcels import LOCAL_COURIER
from app.errors import BadInput, KnownError, Offline
from app.services.shipping.parcel_labels import ParcelPrint
from app.storage import parcel_bookings as bookings
from app.storage.engine import Database, raw_connection
from app.sync.client import LedgerClient, LedgerRefused

_log = log.get("sync")
OWN_RIDERS = (LOCAL_COURIER, "LOCAL")  # our own riders' codes: no booking, tracked by SSCC
REPACK = "Void the parcel and repack it with LOCAL (our own riders), or ask HQ."
NOT_CANCELLED_STEP = "ask the carrier's driver to hand it back, or tell customer service."


def needs_booking(carrier: str) -> bool:
    """Whether a parcel for ``carrier`` is booked with it before its label prints."""
    return carrier not in OWN_RIDERS


def waiting_words(carrier: str, *, online: bool = False) -> str:
    """What the bench is told about a label that waits for its booking."""
    if online:
        return f"{carrier} label prints as soon as {carrier} has booked the parcel."
    return f"{carrier} label waits for the network: it prints when the ledger is back."


def with_carrier_label(conn: sqlite3.Connection, sscc: str, data: ParcelPrint) -> ParcelPrint:
    """The documents of parcel ``sscc`` with its carrier's tracking and routing code, once
    booked; ``BadInput`` while its booking waits or was refused."""
    found = bookings.state_of(conn, sscc)
    if found is None:
        return data
    _, said = found
    label = bookings.label_of(conn, sscc)
    if label is None:
        raise BadInput(said or waiting_words(data.order.carrier))
    tracking = label.barcode or label.tracking
    return replace(
        data,
        order=replace(data.order, service=label.service[:40] or data.order.service),
        parcel=replace(
            data.parcel,
            tracking_number=tracking,
            routing_code=label.routing_code,
            sort_code=label.sort_code,
        ),
    )


class ParcelBookings:
    """Asks the ledger to book the parcels waiting here; prints each label once booked."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        print_label: Callable[[str, str], str],
    ) -> None:
        self._db = db
        self._clock = clock
        self._print_label = print_label  # (sscc, staff code) -> what the printer did

    def book_waiting(self, client: LedgerClient) -> list[str]:
        """Book every parcel whose pack the ledger has; what happened to each, in words.
        Stops at the first answer that says the ledger cannot be reached."""
        with self._db.reading() as session:
            waiting = bookings.ready_to_ask(raw_connection(session))
        said: list[str] = []
        for parcel in waiting:
            try:
                said.append(self._book(client, parcel))
            except Offline as exc:
                self._note(parcel.sscc, bookings.WAITING, f"{waiting_words(parcel.carrier)} {exc}")
                said.append(str(exc))
                break
        return said

    def cancel_voided(self, client: LedgerClient) -> list[str]:
        """Cancel at their carrier the bookings of parcels voided here; what happened."""
        with self._db.reading() as session:
            voided = bookings.ready_to_cancel(raw_connection(session))
        said: list[str] = []
        for parcel in voided:
            try:
                client.book_parcel(parcel.sscc, cancel=True)
            except LedgerRefused as exc:
                words = f"{exc.message} The parcel stays booked: {NOT_CANCELLED_STEP}"
                self._note(parcel.sscc, bookings.NOT_CANCELLED, words)
                said.append(words)
                continue
            words = f"{parcel.carrier} booking of parcel {parcel.sscc} cancelled."
            self._note(parcel.sscc, bookings.CANCELLED, words)
            said.append(words)
        return said

    def after_push(self, client: LedgerClient) -> list[str]:
        """Book the parcels waiting, then cancel the voided ones (the sync worker's hook)."""
        return [*self.book_waiting(client), *self.cancel_voided(client)]

    def _book(self, client: LedgerClient, parcel: bookings.WaitingParcel) -> str:
        try:
            answer = client.book_parcel(parcel.sscc)
        except LedgerRefused as exc:
            if exc.error in ("carrier_refused", "bad_input"):
                words = f"{exc.message} {REPACK}"
                self._note(parcel.sscc, bookings.REFUSED, words)
                return words
            self._note(parcel.sscc, bookings.WAITING, str(exc))  # underway, not there yet
            return str(exc)
        label = bookings.CarrierLabel(
            tracking=str(answer.get("tracking") or parcel.sscc),
            service=str(answer.get("service") or ""),
            routing_code=str(answer.get("routing_code") or ""),
            sort_code=str(answer.get("sort_code") or ""),
            barcode=str(answer.get("barcode") or ""),
        )
        with self._db.writing() as session:
            first = bookings.booked(raw_connection(session), parcel.sscc, label, self._clock())
        if not first:
            return f"Parcel {parcel.sscc} was booked before: its label printed then."
        _log.info("parcel %s booked with %s: %s", parcel.sscc, parcel.carrier, label.tracking)
        try:
            printed = self._print_label(parcel.sscc, parcel.staff_code)
        except KnownError as exc:
            printed = f"Its label did not print: {exc} Reprint it."
        return f"{parcel.carrier} booked parcel {parcel.sscc} as {label.tracking}. {printed}"

    def _note(self, sscc: str, state: str, said: str) -> None:
        with self._db.writing() as session:
            bookings.note(raw_connection(session), sscc, state, said, self._clock())
