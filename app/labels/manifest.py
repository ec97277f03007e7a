"""The end-of-day manifest of one carrier (A4): every parcel handed over or waiting, with
its SSCC barcode, tracking number, order, weight, COD and e-way bill; the counts and the
total weight; lines for the driver's and the packer's signatures. Multi-page; each page
repeats the header and the column heads.

A parcel the carrier booked has the carrier's own tracking number too, as Code 128 over
its text when it fits the column at a width that scans (else as text alone), so the
driver scans whichever code the carrier's handheld knows. Our own riders' parcels track
by the SSCC: one barcode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.gs1 import Element
from app.domain.money import Money
from app.domain.shipping.scan_out import OutParcel
from app.errors import BadInput
from app.labels.layout import Label, Sheet, min_module
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.symbols import code128, gs1_128

KIND = "manifest"
# (heading, start, end) as fractions of the printable width
_COLUMNS = (
    ("SSCC", 0.0, 0.34),
    ("Tracking / order", 0.34, 0.64),
    ("Weight", 0.64, 0.73),
    ("COD", 0.73, 0.84),
    ("Handed over", 0.84, 1.0),
)
ROW_MM = 21
TRACKING_BARS_MM = 8  # the carrier's tracking bars: a handheld reads them, held close
NOT_SCANNED = "NOT SCANNED"


@dataclass(frozen=True)
class ManifestHeader:
    """Whose manifest: the carrier, the location and when it was printed (local time)."""

    carrier: str  # its code: SWIFT
    location: str
    printed_at: datetime
    printed_by: str
    carrier_name: str = ""  # its name where the caller knows it: Swift Express

    def carrier_words(self) -> str:
        """The carrier as the manifest names it: "Swift Express (SWIFT)", the code alone
        where no name is known."""
        if not self.carrier_name or self.carrier_name == self.carrier:
            return self.carrier
        return f"{self.carrier_name} ({self.carrier})"


def _kg(grams: int) -> str:
    return f"{grams / 1000:.2f} kg"


class _Pages:
    def __init__(self, profile: PrinterProfile, header: ManifestHeader) -> None:
        self.profile, self.header = profile, header
        self.sheets: list[Sheet] = []
        blank = self._blank()
        self.left, self.right = blank.mm(12), blank.width - blank.mm(12)
        self.bottom = blank.height - blank.mm(18)
        self.y = 0

    def _blank(self) -> Sheet:
        p = self.profile
        return Sheet(p.width, p.height, p.dpi, p.media)

    @property
    def sheet(self) -> Sheet:
        return self.sheets[-1]

    def x(self, fraction: float) -> int:
        return self.left + round(fraction * (self.right - self.left))

    def turn(self) -> None:
        self.sheets.append(self._blank())
        sheet, mm, h = self.sheet, self.sheet.mm, self.header
        top, wide = mm(12), self.right - self.left
        title = f"Manifest · {h.carrier_words()}"
        sheet.text(self.left, top, wide, mm(10), title, size=mm(6), bold=True)
        facts = (
            f"{h.location} · {h.printed_at.strftime('%d %b %Y %H:%M')} · printed by {h.printed_by}"
        )
        sheet.text(self.left, top + mm(10), wide, mm(6), facts, size=mm(3.6), min_size=mm(3))
        sheet.rect(self.left, top + mm(17), wide, max(3, mm(0.4)))
        heads = top + mm(19)
        for heading, start, end in _COLUMNS:
            width = self.x(end) - self.x(start) - mm(1)
            sheet.text(self.x(start), heads, width, mm(5), heading, size=mm(3.2), bold=True)
        sheet.rect(self.left, heads + mm(5.5), wide, max(2, mm(0.3)))
        self.y = heads + mm(7)

    def room(self, height: int) -> None:
        if not self.sheets or self.y + height > self.bottom:
            self.turn()


def _row(pages: _Pages, parcel: OutParcel) -> None:
    mm = pages.sheet.mm
    pages.room(mm(ROW_MM))
    sheet, top = pages.sheet, pages.y + mm(1.5)
    left, end = pages.x(0.0), pages.x(0.34) - mm(2)
    sheet.linear_centered(
        gs1_128((Element("00", parcel.sscc),)), left=left, right=end, y=top, height=mm(12),
        module=min_module(0.33, sheet.dpi), min_dots=min_module(0.25, sheet.dpi), field="SSCC",
    )  # fmt: skip
    sheet.text(left, top + mm(13), end - left, mm(4), f"(00) {parcel.sscc}", size=mm(3))
    bars = _tracking_bars(sheet, parcel, pages.x(0.34), pages.x(0.64) - mm(2), top)
    cells = (  # start, stop, text, and how far down: under the carrier's bars, if any
        (0.34, 0.64, f"{parcel.tracking}\n{parcel.order_number}", bars),
        (0.64, 0.73, _kg(parcel.weight_g), 0),
        (0.73, 0.84, Money(parcel.cod_minor).format() if parcel.cod_minor else "Prepaid", 0),
        (0.84, 1.0, _handed(parcel), 0),
    )
    for start, stop, text, down in cells:
        width = pages.x(stop) - pages.x(start) - mm(1.5)
        left_behind = text.startswith(NOT_SCANNED)  # the driver must not sign for it
        sheet.text(pages.x(start), top + down, width, mm(ROW_MM - 2.2) - down, text,
                   size=mm(3.2), min_size=mm(2.4), bold=left_behind)  # fmt: skip
    pages.y = top + mm(ROW_MM - 2)
    sheet.rect(pages.left, pages.y - 1, pages.right - pages.left, 2)


def _tracking_bars(sheet: Sheet, parcel: OutParcel, left: int, right: int, top: int) -> int:
    """The carrier's tracking number as Code 128 at the top of its cell; the height it
    took (0: our own riders' parcel, or a number too long to scan at the column's width)."""
    if not parcel.tracking or parcel.tracking == parcel.sscc:
        return 0
    mm = sheet.mm
    try:
        sheet.linear_centered(
            code128(parcel.tracking), left=left, right=right, y=top, height=mm(TRACKING_BARS_MM),
            module=min_module(0.33, sheet.dpi), min_dots=min_module(0.25, sheet.dpi),
            field="tracking number",
        )  # fmt: skip
    except (BadInput, ValueError):  # too long, or not printable ASCII: its text will do
        return 0
    return mm(TRACKING_BARS_MM + 1)


def _handed(parcel: OutParcel) -> str:
    state = f"at {parcel.handed_over}" if parcel.handed_over else f"{NOT_SCANNED}\nstays here"
    return f"{state}\ne-way bill {parcel.eway_bill}" if parcel.eway_bill else state


def _totals(pages: _Pages, parcels: Sequence[OutParcel]) -> None:
    mm = pages.sheet.mm
    pages.room(mm(48))
    sheet, wide = pages.sheet, pages.right - pages.left
    handed = [p for p in parcels if p.handed_over]
    cod = sum(p.cod_minor for p in handed)
    lines = (
        f"Parcels handed over: {len(handed)} of {len(parcels)} · their weight "
        f"{_kg(sum(p.weight_g for p in handed))} · COD to collect {Money(cod).format()}",
        f"Not scanned out (stay at the store): {len(parcels) - len(handed)}",
    )
    y = pages.y + mm(4)
    for text in lines:
        sheet.text(pages.left, y, wide, mm(6), text, size=mm(3.6), min_size=mm(3), bold=True)
        y += mm(7)
    y += mm(10)
    half = wide // 2
    for n, who in enumerate(("Driver: name and signature", "Packer: name and signature")):
        x = pages.left + n * half
        sheet.rect(x, y, half - mm(10), max(2, mm(0.3)))
        sheet.text(x, y + mm(1.5), half - mm(10), mm(5), who, size=mm(3.2))
    pages.y = y + mm(8)


def _number(pages: _Pages) -> None:
    for n, sheet in enumerate(pages.sheets, start=1):
        mm = sheet.mm
        text = f"{pages.header.carrier_words()} manifest · page {n} of {len(pages.sheets)}"
        sheet.text(
            mm(12), sheet.height - mm(15), sheet.width - mm(24), mm(5), text, size=mm(3),
            align="right",
        )  # fmt: skip


def lay_out_manifest(
    parcels: Sequence[OutParcel], header: ManifestHeader, profile: PrinterProfile | None = None
) -> Label:
    """The manifest on a sheet printer's pages (A4 unless told)."""
    chosen = profile or BUILT_IN["a4-laser"]
    pages = _Pages(chosen, header)
    pages.turn()
    for parcel in parcels:
        _row(pages, parcel)
    _totals(pages, parcels)
    _number(pages)
    return Label(KIND, chosen.name, chosen.dpi, tuple(s.page() for s in pages.sheets))


def render_manifest(
    parcels: Sequence[OutParcel], header: ManifestHeader, profile: PrinterProfile | None = None
) -> bytes:
    """The manifest as a PDF."""
    chosen = profile or BUILT_IN["a4-laser"]
    label = lay_out_manifest(parcels, header, chosen)
    return render_pdf(label, bar_reduction=chosen.bar_reduction, compress=True)
