"""A4 sheets printed at the station: the batch pick list, the carrier's end-of-day
manifest, a return's credit note, the return receipt of a return without an order
and an exchange's slip, on the station's sheet printer.

The sheet printer is the one packing slips print on (Printers, the "Packing slip" row),
when it prints sheets (A4 or Letter, PDF). Where that profile only saves files, as the
built-in ``a4-laser`` does until a lead sets where it sends, the sheet is saved as a PDF
named after what it is, in the station's ``printed`` folder. Every job is recorded.

``PrintService`` prints them (it is a ``SheetPrinting``), through its one shared send.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app import log
from app.domain.labels import LabelKind
from app.domain.pick_walk import PickWalk
from app.domain.returns.exchange import ExchangeSlip
from app.domain.returns.receipt import ReturnReceipt
from app.domain.returns.store_credit import StoreCreditReceipt
from app.domain.shipping.scan_out import OutParcel
from app.errors import PrintFailed
from app.labels.manifest import KIND as MANIFEST
from app.labels.manifest import ManifestHeader, lay_out_manifest
from app.labels.pick_list import KIND as PICK_LIST
from app.labels.pick_list import PickListHeader, lay_out_pick_list
from app.labels.profiles import BUILT_IN, Language, PrinterProfile, Transport
from app.labels.templates.credit_note import KIND as CREDIT_NOTE
from app.labels.templates.credit_note import lay_out_credit_note
from app.labels.templates.exchange_slip import KIND as EXCHANGE_SLIP
from app.labels.templates.exchange_slip import lay_out_exchange_slip
from app.labels.templates.store_credit import KIND as STORE_CREDIT
from app.labels.templates.store_credit import lay_out_store_credit
from app.labels.transports import Delivered, Delivery
from app.services.printing_host import PrintHost

logger = log.get("print")

SHEET_KIND = LabelKind.PACKING_SLIP  # the label kind whose printer prints sheets
_SHORTEST_SHEET_MM = (200.0, 270.0)  # Letter is 215.9 x 279.4 mm, A4 210 x 297 mm


@dataclass(frozen=True)
class SheetPrinted:
    """A sheet sent as one job: where it went, and whether a printer took it."""

    reference: str
    profile: str
    delivery: Delivery
    pages: int

    @property
    def saved_only(self) -> bool:
        """Written to a file: no printer is set up to print it."""
        return self.delivery.state is Delivered.SAVED

    @property
    def said(self) -> str:
        """What happened to the job, in plain words ("printed" only when confirmed)."""
        return self.delivery.told(self.profile)


class _SheetHost(PrintHost, Protocol):
    _spool_dir: Path

    def _printed_count(self, kind: str, reference: str) -> int: ...


def is_sheet_printer(profile: PrinterProfile) -> bool:
    """Whether ``profile`` prints A4 or Letter pages (a PDF sheet printer)."""
    width, height = _SHORTEST_SHEET_MM
    big_enough = profile.width_mm >= width and profile.height_mm >= height
    return profile.language is Language.PDF and big_enough


class SheetPrinting:
    """A4 sheets, printed by the print service."""

    def sheet_printer(self: _SheetHost) -> PrinterProfile:
        """The station's sheet printer: the packing slips' when it prints sheets, else the
        built-in A4 profile (which saves files)."""
        profile = self.printer_of(SHEET_KIND).profile
        return profile if is_sheet_printer(profile) else BUILT_IN["a4-laser"]

    def print_pick_list(
        self: _SheetHost, walk: PickWalk, header: PickListHeader, *, staff_code: str
    ) -> SheetPrinted:
        """Print the pick list of ``walk`` on the sheet printer (see the module docstring);
        raises ``PrintFailed`` after recording the failed job."""
        profile = SheetPrinting.sheet_printer(self)
        if profile.transport is Transport.FILE and not profile.target:
            profile = _named_file(profile, self._spool_dir, f"pick-list-{walk.batch_id}.pdf")
        sheets = lay_out_pick_list(walk, header, profile)
        reprint = self._printed_count(PICK_LIST, walk.batch_id) > 0
        sent, _ = self._send_job(PICK_LIST, sheets, {walk.batch_id: reprint}, profile, staff_code)
        logger.info(
            "pick list %s (%d pages) %s on %s by %s",
            walk.batch_id, sent.pages, sent.delivery.state, profile.name, staff_code,
        )  # fmt: skip
        return SheetPrinted(walk.batch_id, profile.name, sent.delivery, sent.pages)

    def print_manifest(
        self: _SheetHost,
        parcels: Sequence[OutParcel],
        header: ManifestHeader,
        *,
        staff_code: str,
    ) -> SheetPrinted:
        """Print the carrier's manifest of ``parcels`` on the sheet printer (saved as
        ``manifest-<carrier>-<date-time>.pdf`` where it only saves files); its reference
        is the carrier and the minute, so printing it again that minute is a reprint.
        Raises ``PrintFailed`` after recording the failed job."""
        profile = SheetPrinting.sheet_printer(self)
        reference = f"{header.carrier}-{header.printed_at:%Y%m%d-%H%M}"
        if profile.transport is Transport.FILE and not profile.target:
            profile = _named_file(profile, self._spool_dir, f"manifest-{reference}.pdf")
        sheets = lay_out_manifest(parcels, header, profile)
        reprint = self._printed_count(MANIFEST, reference) > 0
        sent, _ = self._send_job(MANIFEST, sheets, {reference: reprint}, profile, staff_code)
        logger.info(
            "manifest %s (%d parcels, %d pages) %s on %s by %s",
            reference, len(parcels), sent.pages, sent.delivery.state, profile.name, staff_code,
        )  # fmt: skip
        return SheetPrinted(reference, profile.name, sent.delivery, sent.pages)

    def print_credit_note(
        self: _SheetHost, receipt: ReturnReceipt, *, staff_code: str
    ) -> SheetPrinted:
        """Print a return's credit note (the customer's receipt) on the sheet printer, saved
        as ``credit-note-<number>.pdf`` where the printer only saves files; raises
        ``PrintFailed`` after recording the failed job."""
        number = receipt.note.number
        profile = SheetPrinting.sheet_printer(self)
        if profile.transport is Transport.FILE and not profile.target:
            name = f"credit-note-{number.replace('/', '-')}.pdf"
            profile = _named_file(profile, self._spool_dir, name)
        sheets = lay_out_credit_note(receipt, profile)
        reprint = self._printed_count(CREDIT_NOTE, number) > 0
        sent, _ = self._send_job(CREDIT_NOTE, sheets, {number: reprint}, profile, staff_code)
        logger.info(
            "credit note %s (%d pages) %s on %s by %s",
            number, sent.pages, sent.delivery.state, profile.name, staff_code,
        )  # fmt: skip
        return SheetPrinted(number, profile.name, sent.delivery, sent.pages)

    def print_store_credit(
        self: _SheetHost, receipt: StoreCreditReceipt, *, staff_code: str
    ) -> SheetPrinted:
        """Print the return receipt of a return without an order (store credit) on the
        sheet printer, saved as ``return-receipt-<number>.pdf`` where the printer only
        saves files; raises ``PrintFailed`` after recording the failed job."""
        number = receipt.number
        profile = SheetPrinting.sheet_printer(self)
        if profile.transport is Transport.FILE and not profile.target:
            name = f"return-receipt-{number.replace('/', '-')}.pdf"
            profile = _named_file(profile, self._spool_dir, name)
        sheets = lay_out_store_credit(receipt, profile)
        reprint = self._printed_count(STORE_CREDIT, number) > 0
        sent, _ = self._send_job(STORE_CREDIT, sheets, {number: reprint}, profile, staff_code)
        logger.info(
            "return receipt %s (%d pages) %s on %s by %s",
            number, sent.pages, sent.delivery.state, profile.name, staff_code,
        )  # fmt: skip
        return SheetPrinted(number, profile.name, sent.delivery, sent.pages)

    def print_exchange_slip(
        self: _SheetHost, slip: ExchangeSlip, *, staff_code: str
    ) -> SheetPrinted:
        """Print an exchange's slip (the replacement order's pickup code) on the sheet
        printer, saved as ``exchange-<order>.pdf`` where the printer only saves files;
        raises ``PrintFailed`` after recording the failed job."""
        number = slip.order_number
        profile = SheetPrinting.sheet_printer(self)
        if profile.transport is Transport.FILE and not profile.target:
            profile = _named_file(profile, self._spool_dir, f"exchange-{number}.pdf")
        sheets = lay_out_exchange_slip(slip, profile)
        reprint = self._printed_count(EXCHANGE_SLIP, number) > 0
        sent, _ = self._send_job(EXCHANGE_SLIP, sheets, {number: reprint}, profile, staff_code)
        logger.info(
            "exchange slip %s %s on %s by %s", number, sent.delivery.state, profile.name,
            staff_code,
        )  # fmt: skip
        return SheetPrinted(number, profile.name, sent.delivery, sent.pages)


def _named_file(profile: PrinterProfile, folder: Path, name: str) -> PrinterProfile:
    """``profile`` saving to ``folder/name`` (the folder made when missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PrintFailed(
            f"The folder {folder} could not be made: {exc.strerror or exc}.",
            next_step="Check the disk has space and the station's folder is writable.",
        ) from None
    return dataclasses.replace(profile, target=str(folder / name))
