"""Shelf labels to reprint after price changes: the list the sync keeps
(:mod:`app.storage.shelf_reprints`), printed all at once on the shelf label printer.

``PrintService`` prints them (it is a ``ShelfReprinting``), through its one shared send.
An item leaves the list once its label went out at the price it still has; a printer
that holds the job (paper out) or has not printed it yet leaves the list as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app import log
from app.domain.labels import LabelKind, ShelfLabel
from app.domain.money import Money
from app.errors import BadInput, NotFound
from app.labels.templates import lay_out_job
from app.labels.transports import Delivered, Delivery
from app.services.printing_host import PrintHost
from app.services.results import StaffSession
from app.storage import catalog, shelf_reprints
from app.storage.engine import raw_connection

if TYPE_CHECKING:
    from app.services.printing import KindPrinter

logger = log.get("print")
_NOT_DONE = (Delivered.HELD, Delivered.WAITING)  # the printer has not printed it (yet)


@dataclass(frozen=True)
class PriceChange:
    sku: str
    name: str
    was: Money  # what the shelf label shows
    now: Money


@dataclass(frozen=True)
class ShelfReprints:
    """Items whose shelf label shows an old price, and the printer that prints them."""

    changes: tuple[PriceChange, ...]
    printer: KindPrinter


@dataclass(frozen=True)
class ShelfReprintsPrinted:
    skus: tuple[str, ...]
    profile: str
    delivery: Delivery
    left: int  # still on the list afterwards
    skipped: tuple[str, ...] = ()  # no EAN-13/UPC-A to print on a shelf label

    @property
    def said(self) -> str:
        """What happened, in plain words, and what is left to do."""
        text = f"{len(self.skus)} shelf label(s): {self.delivery.told(self.profile)}"
        if self.skipped:
            text += f" No shelf label for {', '.join(self.skipped)}: no EAN-13 or UPC-A."
        if self.left:
            text += f" {self.left} still to reprint."
        return text


class ShelfReprinting:
    """Shelf labels waiting to be reprinted after price changes, printed by the service."""

    def shelf_reprints_count(self: PrintHost) -> int:
        """How many shelf labels show an old price (0 without a station cache)."""
        if self._db is None:
            return 0
        with self._db.reading() as session:
            return shelf_reprints.count(raw_connection(session))

    def shelf_reprints(self: PrintHost) -> ShelfReprints:
        """The items to reprint, oldest change first."""
        if self._db is None:
            raise NotFound("This station has no catalog, so no shelf labels to reprint.")
        with self._db.reading() as session:
            rows = shelf_reprints.due(raw_connection(session))
        changes = tuple(
            PriceChange(
                r.sku,
                r.name,
                Money(r.old_price_minor, r.currency),
                Money(r.new_price_minor, r.currency),
            )
            for r in rows
        )
        return ShelfReprints(changes, self.printer_of(LabelKind.SHELF))

    def print_shelf_reprints(self: PrintHost, staff: StaffSession) -> ShelfReprintsPrinted:
        """Print every queued shelf label at today's price as one job on the shelf label
        printer; the items printed leave the list (see the module doc)."""
        if self._db is None:
            raise NotFound("This station has no catalog, so no shelf labels to reprint.")
        with self._db.reading() as session:
            conn = raw_connection(session)
            items = [catalog.by_id(conn, r.item_id) for r in shelf_reprints.due(conn)]
        found = [i for i in items if i is not None]
        labels = {i.id: _label(i) for i in found}
        skipped = tuple(i.sku for i in found if labels[i.id] is None)
        ready = [(i, lbl) for i in found if (lbl := labels[i.id]) is not None]
        if not ready:
            raise BadInput("No shelf label is waiting to be reprinted.")
        profile = self.printer_of(LabelKind.SHELF).profile
        job = lay_out_job(LabelKind.SHELF, [lbl for _, lbl in ready], profile)
        sent, _ = self._send_job(
            LabelKind.SHELF, job, {i.sku: True for i, _ in ready}, profile, staff.code
        )
        with self._db.writing() as session:
            conn = raw_connection(session)
            if sent.delivery.state not in _NOT_DONE:
                shelf_reprints.printed(conn, {i.id: i.price_minor for i, _ in ready})
            left = shelf_reprints.count(conn)
        logger.info("%d price-change shelf labels %s by %s", len(ready), sent.delivery.state,
                    staff.code)  # fmt: skip
        return ShelfReprintsPrinted(
            tuple(i.sku for i, _ in ready), profile.name, sent.delivery, left, skipped
        )


def _label(item: catalog.ItemRow) -> ShelfLabel | None:
    if len(item.gtin) not in (12, 13):
        return None
    return ShelfLabel(item.name, Money(item.price_minor, item.currency), item.gtin, item.sku)
