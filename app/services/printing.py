"""Printing labels at the station: preview, print, reprint, save as PDF; every job recorded.

The station's printer setup (``printers.json`` in its data directory) chooses the profile
for each kind of label. A failed print (printer offline, refused connection, timeout)
raises ``PrintFailed`` with plain words, and is recorded as failed so the screen can offer
retry or save as PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import log
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
from app.errors import PrintFailed
from app.labels.layout import Label
from app.labels.printing import Format, render, send_label
from app.labels.profiles import PrinterProfile, PrinterSetup
from app.labels.templates import lay_out
from app.labels.transports import SystemPrinter
from app.storage import print_jobs
from app.storage.engine import Database

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
    printed_before: int  # successful prints of this label already recorded


@dataclass(frozen=True)
class PrintOutcome:
    kind: LabelKind
    reference: str
    profile: str
    where: str
    format: str
    reprint: bool
    record_id: int


class PrintService:
    """Renders a label for the station's printer, sends it and records the job."""

    def __init__(
        self,
        *,
        db: Database,
        setup: PrinterSetup,
        spool_dir: Path,
        system_printer: SystemPrinter | None = None,
    ) -> None:
        self._db = db
        self._setup = setup
        self._spool_dir = spool_dir
        self._system_printer = system_printer

    def profile_for(self, kind: LabelKind) -> PrinterProfile:
        return self._setup.for_kind(kind)

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
            self._printed_count(kind, reference),
        )

    def print_label(
        self,
        kind: LabelKind,
        data: LabelData,
        *,
        staff_code: str | None = None,
        reprint: bool | None = None,
    ) -> PrintOutcome:
        """Print on the station's printer; ``reprint`` defaults to "printed before"."""
        profile = self.profile_for(kind)
        label = lay_out(kind, data, profile)
        reference = reference_of(data)
        if reprint is None:
            reprint = self._printed_count(kind, reference) > 0
        fmt = "zpl" if profile.language == "zpl" else "pdf"
        try:
            sent = send_label(
                label, profile, system_printer=self._system_printer, spool_dir=self._spool_dir
            )
        except PrintFailed as exc:
            print_jobs.record_print(
                self._db,
                kind=str(kind),
                reference=reference,
                profile=profile.name,
                format=fmt,
                reprint=reprint,
                staff_code=staff_code,
                status="failed",
                error=str(exc),
            )
            logger.warning("print of %s %s failed: %s", kind, reference, exc)
            raise
        record = print_jobs.record_print(
            self._db,
            kind=str(kind),
            reference=reference,
            profile=profile.name,
            format=sent.format.value,
            reprint=reprint,
            staff_code=staff_code,
        )
        return PrintOutcome(
            kind, reference, profile.name, sent.where, sent.format.value, reprint, record.id
        )

    def save_pdf(self, kind: LabelKind, data: LabelData, path: Path) -> Path:
        """Write the label as PDF (on the printer's dot grid) to ``path``."""
        profile = self.profile_for(kind)
        label: Label = lay_out(kind, data, profile)
        try:
            path.write_bytes(render(label, profile, Format.PDF)[0])
        except OSError as exc:
            raise PrintFailed(
                f"The PDF could not be saved to {path}: {exc.strerror}.",
                next_step="Choose another folder.",
            ) from None
        return path

    def history(self, reference: str) -> list[print_jobs.PrintRecord]:
        """Every recorded print job for ``reference``, oldest first."""
        return print_jobs.prints_for(self._db, reference)

    def _printed_count(self, kind: LabelKind, reference: str) -> int:
        return sum(
            1
            for job in print_jobs.prints_for(self._db, reference)
            if job.kind == str(kind) and job.status == "printed"
        )
