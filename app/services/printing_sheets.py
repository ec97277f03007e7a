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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
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
from app.labels.layout import Label
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
        return _print_sheet(
            self, PICK_LIST, walk.batch_id, f"pick-list-{walk.batch_id}.pdf",
            partial(lay_out_pick_list, walk, header), staff_code,
        )  # fmt: skip

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
        reference = f"{header.carrier}-{header.printed_at:%Y%m%d-%H%M}"
        return _print_sheet(
            self, MANIFEST, reference, f"manifest-{reference}.pdf",
            partial(lay_out_manifest, parcels, header), staff_code,
            f"{len(parcels)} parcels",
        )  # fmt: skip

    def print_credit_note(
        self: _SheetHost, receipt: ReturnReceipt, *, staff_code: str
    ) -> SheetPrinted:
        """Print a return's credit note (the customer's receipt) on the sheet printer, saved
        as ``credit-note-<number>.pdf`` where the printer only saves files; raises
        ``PrintFailed`` after recording the failed job."""
        number = receipt.note.number
        return _print_sheet(
            self, CREDIT_NOTE, number, f"credit-note-{number.replace('/', '-')}.pdf",
            partial(lay_out_credit_note, receipt), staff_code,
        )  # fmt: skip

    def print_store_credit(
        self: _SheetHost, receipt: StoreCreditReceipt, *, staff_code: str
    ) -> SheetPrinted:
        """Print the return receipt of a return without an order (store credit) on the
        sheet printer, saved as ``return-receipt-<number>.pdf`` where the printer only
        saves files; raises ``PrintFailed`` after recording the failed job."""
        number = receipt.number
        return _print_sheet(
            self, STORE_CREDIT, number, f"return-receipt-{number.replace('/', '-')}.pdf",
            partial(lay_out_store_credit, receipt), staff_code,
        )  # fmt: skip

    def print_exchange_slip(
        self: _SheetHost, slip: ExchangeSlip, *, staff_code: str
    ) -> SheetPrinted:
        """Print an exchange's slip (the replacement order's pickup code) on the sheet
        printer, saved as ``exchange-<order>.pdf`` where the printer only saves files;
        raises ``PrintFailed`` after recording the failed job."""
        number = slip.order_number
        return _print_sheet(
            self, EXCHANGE_SLIP, number, f"exchange-{number}.pdf",
            partial(lay_out_exchange_slip, slip), staff_code,
        )  # fmt: skip


def _print_sheet(
    host: _SheetHost,
    kind: str,
    reference: str,
    file_name: str,
    lay_out: Callable[[PrinterProfile], Label],
    staff_code: str,
    more: str = "",
) -> SheetPrinted:
    """Lay out and send one sheet job of ``kind`` on the sheet printer (saved as
    ``file_name`` where it only saves files), a reprint when ``reference`` printed before;
    raises ``PrintFailed`` after recording the failed job. ``more``: for the log."""
    profile = SheetPrinting.sheet_printer(host)
    if profile.transport is Transport.FILE and not profile.target:
        profile = _named_file(profile, host._spool_dir, file_name)
    sheets = lay_out(profile)
    reprint = host._printed_count(kind, reference) > 0
    sent, _ = host._send_job(kind, sheets, {reference: reprint}, profile, staff_code)
    logger.info(
        "%s %s (%s%d pages) %s on %s by %s",
        kind, reference, f"{more}, " if more else "", sent.pages, sent.delivery.state,
        profile.name, staff_code,
    )  # fmt: skip
    return SheetPrinted(reference, profile.name, sent.delivery, sent.pages)


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
