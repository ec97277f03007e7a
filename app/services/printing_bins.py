"""The store's hold-shelf bin labels: its bins from the station cache, printed many in one
job on the bin label printer, each label recorded.

``PrintService`` prints them (it is a ``BinLabelPrinting``), through its one shared send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app import log
from app.domain.labels import BinLabel, LabelKind
from app.errors import BadInput, NotFound, RuleRefused
from app.labels.templates import lay_out_job
from app.labels.transports import Delivery
from app.services.printing_host import PrintHost
from app.services.results import StaffSession
from app.storage import pickups
from app.storage.engine import raw_connection

if TYPE_CHECKING:
    from app.services.printing import KindPrinter

logger = log.get("print")


@dataclass(frozen=True)
class StoreBins:
    """This store's hold-shelf bins as bin labels, in the store's order, and their printer."""

    store_code: str
    store_name: str
    labels: tuple[BinLabel, ...]
    printer: KindPrinter


@dataclass(frozen=True)
class BinLabelsPrinted:
    """Bin labels sent as one job; ``reprinted`` were printed here before."""

    bins: tuple[str, ...]
    profile: str
    delivery: Delivery
    format: str
    reprinted: tuple[str, ...]

    @property
    def where(self) -> str:
        return self.delivery.where

    @property
    def said(self) -> str:
        """What happened to the job, in plain words ("printed" only when confirmed)."""
        return self.delivery.told(self.profile)


class _PrintHost(PrintHost, Protocol):
    """What bin label printing needs of the print service besides its send."""

    def may_choose_printers(self, staff: StaffSession) -> bool: ...

    def bin_labels(self) -> StoreBins: ...

    def _printed_count(self, kind: LabelKind, reference: str) -> int: ...


class BinLabelPrinting:
    """Hold-shelf bin labels, printed by the print service."""

    def bin_labels(self: _PrintHost) -> StoreBins:
        """This store's hold-shelf bins (synced from the ledger) as bin labels."""
        if self._db is None:
            raise NotFound("This station has no store cache to find its hold-shelf bins in.")
        with self._db.reading() as session:
            store = pickups.store_rules(raw_connection(session))
        if store is None:
            raise NotFound(
                "This station is not enrolled at a store, so it has no hold-shelf bins.",
                next_step="Enrol the station at its store first.",
            )
        caption = f"Pickup hold shelf · {store.code}"
        return StoreBins(
            store.code,
            store.name,
            tuple(BinLabel(code, caption) for code in store.bins),
            self.printer_of(LabelKind.BIN),
        )

    def print_bin_labels(
        self: _PrintHost, staff: StaffSession, bin_codes: Sequence[str]
    ) -> BinLabelsPrinted:
        """Print the labels of ``bin_codes`` (this store's bins) in the store's order, as
        one job on the bin label printer; each label is recorded. Leads and managers only."""
        if not self.may_choose_printers(staff):
            raise RuleRefused(
                "Only a lead or a manager can print hold-shelf bin labels.",
                next_step="Ask a lead to log in and print them.",
            )
        store = self.bin_labels()
        wanted = {code.strip().upper() for code in bin_codes}
        unknown = sorted(wanted - {b.bin_code.upper() for b in store.labels})
        if unknown:
            raise NotFound(
                f"{', '.join(unknown)}: not a hold-shelf bin of {store.store_code}.",
                next_step="Choose bins from the list; new bins are set up at head office.",
            )
        chosen = [b for b in store.labels if b.bin_code.upper() in wanted]
        if not chosen:
            raise BadInput("No bin is chosen.", next_step="Scan or type a bin code, then print.")
        profile = store.printer.profile
        job = lay_out_job(LabelKind.BIN, chosen, profile)
        reprints = {b.bin_code: self._printed_count(LabelKind.BIN, b.bin_code) > 0 for b in chosen}
        sent, _ = self._send_job(LabelKind.BIN, job, reprints, profile, staff.code)
        logger.info(
            "%d bin labels %s on %s by %s",
            len(chosen),
            sent.delivery.state,
            profile.name,
            staff.code,
        )
        return BinLabelsPrinted(
            tuple(reprints),
            profile.name,
            sent.delivery,
            sent.format.value,
            tuple(code for code, again in reprints.items() if again),
        )
