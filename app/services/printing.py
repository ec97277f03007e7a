"""Printing labels at the station: preview, print, reprint, save as PDF; every job recorded.

The station's printer setup (``printers.json`` in its data directory) chooses the profile
for each kind of label. A failed print (printer offline, refused connection, timeout)
raises ``PrintFailed`` with plain words, and is recorded as failed so the screen can offer
retry or save as PDF. The terminal and ``counterbench label print`` both print through
``PrintService``; without a station cache (a bare CLI data dir) nothing is recorded.
The store's hold-shelf bin labels (:mod:`.printing_bins`) print many in one job.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import log
from app.config import StationPaths
from app.domain.labels import (
    BinLabel,
    LabelData,
    LabelKind,
    PackingSlip,
    PickupTag,
    ReturnLabel,
    ShelfLabel,
    ShippingLabel,
)
from app.domain.money import Money
from app.errors import BadInput, KnownError, NotFound, PrintFailed, RuleRefused
from app.labels.layout import Label
from app.labels.printing import Format, Sent, render, sample_for_test_print, send_label
from app.labels.profiles import PrinterProfile, PrinterSetup, default_setup, load_setup
from app.labels.samples import SAMPLES
from app.labels.templates import lay_out
from app.labels.transports import Delivered, Delivery, SystemPrinter, write_output
from app.services.printing_bins import BinLabelPrinting
from app.services.printing_destinations import PrinterDestinations, edit_printers_file
from app.services.printing_sheets import SheetPrinting
from app.services.printing_shelf import ShelfReprinting
from app.services.results import StaffSession
from app.storage import catalog, print_jobs
from app.storage.engine import Database, raw_connection

PRINTERS_FILE = "printers.json"
SPOOL_FOLDER = "printed"
UNCONFIRMED_STATES = frozenset(
    {Delivered.SENT, Delivered.HELD, Delivered.WAITING, Delivered.QUEUED}
)
CHOOSING_ROLES = frozenset({"lead", "manager"})  # who may change printers, print bin labels

logger = log.get("print")


def reference_of(data: LabelData) -> str:
    """What a label is printed for, as recorded: SSCC, order, RMA, GTIN or bin."""
    if isinstance(data, ShippingLabel):
        return data.sscc
    if isinstance(data, PackingSlip | PickupTag):
        return data.order_number
    if isinstance(data, ReturnLabel):
        return data.rma_id
    if isinstance(data, ShelfLabel):
        return data.gtin
    assert isinstance(data, BinLabel)
    return data.bin_code


@dataclass(frozen=True)
class LabelPreview:
    """A label laid out for its printer, with PNG pages at the printer's dpi."""

    kind: LabelKind
    reference: str
    profile: str
    media: str
    dpi: int
    pages_png: tuple[bytes, ...]
    printed_before: int  # earlier prints of this label the printer confirmed, recorded here
    saved_before: int = 0  # earlier saves of it to a file (made, not printed)
    sent_before: int = 0  # earlier sends the printer did not confirm (silent, held, queued)

    @property
    def history_note(self) -> str:
        """What was done with this label before, or "" the first time."""
        done = [
            said.format(_times(count))
            for count, said in (
                (self.printed_before, "printed {} before"),
                (self.sent_before, "sent {} before, not confirmed"),
                (self.saved_before, "saved to a file {} before"),
            )
            if count
        ]
        if not done:
            return ""
        note = "; ".join(done)
        return f"{note[0].upper()}{note[1:]}; printing it again counts as a reprint."


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


@dataclass(frozen=True)
class PrintOutcome:
    kind: LabelKind
    reference: str
    profile: str
    delivery: Delivery
    format: str
    reprint: bool
    record_id: int

    @property
    def where(self) -> str:
        return self.delivery.where

    @property
    def printed(self) -> bool:
        """Whether the printer confirmed it (a file, a queue or silence is not printed)."""
        return self.delivery.printed

    @property
    def said(self) -> str:
        """What happened to the label, in plain words."""
        return self.delivery.told(self.profile)


@dataclass(frozen=True)
class KindPrinter:
    """The profile that prints one kind of label at this station."""

    kind: LabelKind
    profile: PrinterProfile


class PrintService(BinLabelPrinting, ShelfReprinting, SheetPrinting, PrinterDestinations):
    """Renders a label for the station's printer, sends it and records the job; prints the
    store's hold-shelf bin labels (:mod:`.printing_bins`), the shelf labels of price
    changes (:mod:`.printing_shelf`) and A4 sheets such as the batch pick list
    (:mod:`.printing_sheets`); sets and asks where each profile sends
    (:mod:`.printing_destinations`)."""

    def __init__(
        self,
        *,
        db: Database | None,
        setup: PrinterSetup,
        spool_dir: Path,
        system_printer: SystemPrinter | None = None,
        setup_file: Path | None = None,
        setup_problem: KnownError | None = None,
    ) -> None:
        self._db = db
        self._setup = setup
        self.setup_problem = setup_problem  # why printers.json is not in use, if it is not
        self._spool_dir = spool_dir
        self._system_printer = system_printer
        self._setup_file = setup_file
        self._choosing = threading.Lock()

    def _replace_setup(self, setup: PrinterSetup) -> None:
        with self._choosing:
            self._setup = setup

    @property
    def setup(self) -> PrinterSetup:
        """The station's printer profiles and which one prints each kind of label."""
        return self._setup

    def profile_for(self, kind: LabelKind, profile: str | None = None) -> PrinterProfile:
        """The named profile, else the station's profile for ``kind``."""
        return self._setup.profile(profile) if profile else self._setup.for_kind(kind)

    def printer_of(self, kind: LabelKind) -> KindPrinter:
        """The kind of label with the profile that prints it at this station."""
        return KindPrinter(kind, self._setup.for_kind(kind))

    def printers(self) -> list[KindPrinter]:
        """Each kind of label with the profile that prints it, in the order of LabelKind."""
        return [self.printer_of(kind) for kind in LabelKind]

    def may_choose_printers(self, staff: StaffSession) -> bool:
        """Whether ``staff`` may change the station's printers and print bin labels."""
        return staff.role in CHOOSING_ROLES

    def profiles(self) -> list[PrinterProfile]:
        """Every profile the station knows (built in and from printers.json), by name."""
        return [self._setup.profiles[name] for name in sorted(self._setup.profiles)]

    def choose_profile(self, staff: StaffSession, kind: LabelKind, profile: str) -> KindPrinter:
        """Make ``profile`` print ``kind`` at this station, kept in printers.json.

        Only a lead or manager may; a profile whose media cannot carry the label is refused.
        """
        if not self.may_choose_printers(staff):
            raise RuleRefused(
                "Only a lead or a manager can change the station's printers.",
                next_step="Ask a lead to log in and choose the printer.",
            )
        chosen = self._setup.profile(profile)
        try:
            lay_out(kind, SAMPLES[kind], chosen)
        except KnownError as exc:
            raise BadInput(
                f"{chosen.name} ({chosen.media}) cannot print a {kind} label: {exc.message}",
                next_step="Choose a profile with larger media.",
            ) from None
        if self._setup_file is None:
            raise RuleRefused("This station keeps no printer settings file.")
        with self._choosing:

            def use_chosen(raw: dict[str, Any]) -> None:
                raw.setdefault("by_kind", {})[str(kind)] = chosen.name

            edit_printers_file(self._setup_file, use_chosen)
            by_kind = {**self._setup.by_kind, kind: chosen.name}
            self._setup = PrinterSetup(self._setup.profiles, by_kind)
        logger.info("%s now prints %s labels (chosen by %s)", chosen.name, kind, staff.code)
        return KindPrinter(kind, chosen)

    def shelf_label(self, item_id: int) -> ShelfLabel:
        """The shelf label of a catalog item: name, price, GTIN-13/UPC-A and SKU."""
        if self._db is None:
            raise NotFound("This station has no catalog to make a shelf label from.")
        with self._db.reading() as session:
            row = catalog.by_id(raw_connection(session), item_id)
        if row is None:
            raise NotFound(f"Item {item_id} is not in this station's catalog.")
        return ShelfLabel(row.name, Money(row.price_minor, row.currency), row.gtin, row.sku)

    def preview(self, kind: LabelKind, data: LabelData) -> LabelPreview:
        """Lay the label out for its printer and draw it as PNG pages."""
        profile = self.profile_for(kind)
        label = lay_out(kind, data, profile)
        reference = reference_of(data)
        return LabelPreview(
            kind,
            reference,
            profile.name,
            profile.media,
            profile.dpi,
            tuple(render(label, profile, Format.PNG)),
            *self._outputs(kind, reference),
        )

    def print_label(
        self,
        kind: LabelKind,
        data: LabelData,
        *,
        staff_code: str | None = None,
        reprint: bool | None = None,
        profile: str | None = None,
    ) -> PrintOutcome:
        """Print on the station's printer (or ``profile``); ``reprint`` defaults to
        "printed before". Raises ``PrintFailed`` after recording the failed job."""
        chosen = self.profile_for(kind, profile)
        label = lay_out(kind, data, chosen)
        return self._send(kind, label, reference_of(data), chosen, staff_code, reprint)

    def test_print(self, profile: str, *, staff_code: str | None = None) -> PrintOutcome:
        """Print a sample label on ``profile`` (a kind it serves, else one that fits)."""
        chosen = self._setup.profile(profile)
        kind, data = sample_for_test_print(self._setup, chosen)
        label = lay_out(kind, data, chosen)
        return self._send(kind, label, f"TEST-{chosen.name}", chosen, staff_code, False)

    def _send(
        self,
        kind: LabelKind,
        label: Label,
        reference: str,
        profile: PrinterProfile,
        staff_code: str | None,
        reprint: bool | None,
    ) -> PrintOutcome:
        if reprint is None:
            reprint = self._printed_count(kind, reference) > 0
        sent, (record_id,) = self._send_job(kind, label, {reference: reprint}, profile, staff_code)
        return PrintOutcome(
            kind, reference, profile.name, sent.delivery, sent.format.value, reprint, record_id
        )

    def _send_job(
        self,
        kind: str,  # a LabelKind, or a sheet such as the pick list
        label: Label,
        reprints: dict[str, bool],
        profile: PrinterProfile,
        staff_code: str | None,
    ) -> tuple[Sent, tuple[int, ...]]:
        """Send ``label`` as one job; record it once per reference (printed or failed)."""
        fmt = "zpl" if profile.language == "zpl" else "pdf"
        try:
            sent = send_label(
                label, profile, system_printer=self._system_printer, spool_dir=self._spool_dir
            )
        except PrintFailed as exc:
            for reference, reprint in reprints.items():
                self._record(kind, reference, profile, fmt, reprint, staff_code, "failed", str(exc))
            logger.warning("print of %s %s failed: %s", kind, ", ".join(reprints), exc)
            raise
        state = str(sent.delivery.state)
        record_ids = tuple(
            self._record(kind, reference, profile, sent.format.value, reprint, staff_code, state)
            for reference, reprint in reprints.items()
        )
        return sent, record_ids

    def _record(
        self,
        kind: str,  # a LabelKind, or a sheet such as the pick list
        reference: str,
        profile: PrinterProfile,
        fmt: str,
        reprint: bool,
        staff_code: str | None,
        status: str,
        error: str = "",
    ) -> int:
        """Record the job in the station's print_jobs; 0 when there is no station cache."""
        if self._db is None:
            return 0
        record = print_jobs.record_print(
            self._db,
            kind=str(kind),
            reference=reference,
            profile=profile.name,
            format=fmt,
            reprint=reprint,
            staff_code=staff_code,
            status=status,
            error=error,
        )
        return record.id

    def save_pdf(self, kind: LabelKind, data: LabelData, path: Path) -> Path:
        """Write the label as PDF (on the printer's dot grid) to ``path``."""
        profile = self.profile_for(kind)
        label: Label = lay_out(kind, data, profile)
        return write_output(path, render(label, profile, Format.PDF)[0])

    def history(self, reference: str) -> list[print_jobs.PrintRecord]:
        """Every recorded print job for ``reference``, oldest first."""
        if self._db is None:
            return []
        return print_jobs.prints_for(self._db, reference)

    def _printed_count(self, kind: str, reference: str) -> int:
        """Earlier outputs of this label (printed, sent, queued or saved): the next is a
        reprint."""
        return sum(self._outputs(kind, reference))

    def _outputs(self, kind: str, reference: str) -> tuple[int, int, int]:
        """(prints the printer confirmed, saves to a file, sends it did not confirm) of this
        label recorded here."""
        states = [job.status for job in self.history(reference) if job.kind == str(kind)]
        printed, saved = states.count(Delivered.PRINTED), states.count(Delivered.SAVED)
        return printed, saved, sum(state in UNCONFIRMED_STATES for state in states)


def station_printing(
    data_dir: Path, db: Database | None, *, system_printer: SystemPrinter | None = None
) -> PrintService:
    """The print service of the station in ``data_dir``: its ``printers.json`` (or the
    built-in defaults), spooling file prints into ``printed/``, recording into ``db``.

    A printers.json that cannot be used leaves the built-in profiles (which save files)
    in use and its error in ``setup_problem``, for the Printers screen to say plainly.
    """
    problem: KnownError | None = None
    try:
        setup = load_setup(data_dir / PRINTERS_FILE)
    except KnownError as exc:
        setup, problem = default_setup(), exc
        logger.error("printers.json is not used: %s", exc)
    return PrintService(
        db=db,
        setup=setup,
        spool_dir=data_dir / SPOOL_FOLDER,
        system_printer=system_printer,
        setup_file=data_dir / PRINTERS_FILE,
        setup_problem=problem,
    )


def has_station_cache(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds a station cache (where print jobs are recorded)."""
    return StationPaths(data_dir).cache_db.exists()
