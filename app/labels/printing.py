"""Lay out, render and send a label through a printer profile: the one path to paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import Image

from app.domain.labels import BinLabel, LabelData, LabelKind
from app.errors import BadInput
from app.labels.layout import Label
from app.labels.profiles import Language, PrinterProfile, PrinterSetup, Transport
from app.labels.render_pdf import render_pdf
from app.labels.render_png import page_image, render_png
from app.labels.render_zpl import render_zpl
from app.labels.samples import SAMPLES
from app.labels.templates import lay_out
from app.labels.transports import Delivery, SystemPrinter, deliver


class Format(StrEnum):
    PDF = "pdf"
    ZPL = "zpl"
    PNG = "png"


@dataclass(frozen=True)
class Sent:
    """Where a label went, how far it got, and what was sent."""

    kind: str
    profile: str
    delivery: Delivery
    format: Format
    size: int
    pages: int

    @property
    def where(self) -> str:
        return self.delivery.where


def render(label: Label, profile: PrinterProfile, fmt: Format) -> list[bytes]:
    """The label in ``fmt``: one payload for PDF and ZPL, one PNG per page."""
    offset = (profile.offset_x, profile.offset_y)
    if fmt is Format.PDF:
        return [render_pdf(label, offset=offset, bar_reduction=profile.bar_reduction)]
    if fmt is Format.ZPL:
        if profile.language is not Language.ZPL:
            raise BadInput(
                f"{profile.name} ({profile.media}) is a {profile.language.upper()} printer: "
                "ZPL is only for label printers.",
                next_step="Render it as PDF, or choose a ZPL label printer profile.",
            )
        return [render_zpl(label, offset=offset, font_source=profile.fonts)]
    return render_png(label, offset=offset)


def page_images(label: Label, profile: PrinterProfile) -> list[Image.Image]:
    """Each page at the printer's resolution, for the system printer and the preview."""
    offset = (profile.offset_x, profile.offset_y)
    return [page_image(page, offset=offset) for page in label.pages]


def print_label(
    kind: LabelKind,
    data: LabelData,
    profile: PrinterProfile,
    *,
    system_printer: SystemPrinter | None = None,
    spool_dir: Path | None = None,
) -> Sent:
    """Lay out ``data`` for ``profile``, render in its language and send it."""
    label = lay_out(kind, data, profile)
    return send_label(label, profile, system_printer=system_printer, spool_dir=spool_dir)


def send_label(
    label: Label,
    profile: PrinterProfile,
    *,
    system_printer: SystemPrinter | None = None,
    spool_dir: Path | None = None,
) -> Sent:
    """Render an already laid-out label in the profile's language and send it."""
    fmt = Format.ZPL if profile.language is Language.ZPL else Format.PDF
    pages: Sequence[Image.Image] = ()
    if profile.transport is Transport.SYSTEM:
        pages = page_images(label, profile)
    payload = render(label, profile, fmt)[0]
    delivery = deliver(
        payload,
        profile,
        suffix=fmt.value,
        pages=pages,
        system_printer=system_printer,
        spool_dir=spool_dir,
    )
    return Sent(label.kind, profile.name, delivery, fmt, len(payload), len(label.pages))


def sample_for_test_print(
    setup: PrinterSetup, profile: PrinterProfile
) -> tuple[LabelKind, LabelData]:
    """What a test print on ``profile`` shows: a label kind it serves, with sample data."""
    for kind, name in setup.by_kind.items():
        if name == profile.name:
            return kind, SAMPLES[kind]
    if profile.height_mm >= 140:
        return LabelKind.SHIPPING, SAMPLES[LabelKind.SHIPPING]
    if profile.height_mm >= 45:
        return LabelKind.BIN, BinLabel(f"TEST-{profile.dpi}", f"Test print: {profile.name}")
    return LabelKind.SHELF, SAMPLES[LabelKind.SHELF]
