"""Templates: one definition per label kind, laid out in dots for a printer profile."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

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
from app.errors import BadInput
from app.labels.layout import Label, OffMedia, Sheet
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.samples import SAMPLES
from app.labels.templates.packing_slip import lay_out_packing_slip
from app.labels.templates.shipping import lay_out_shipping
from app.labels.templates.tags import (
    lay_out_bin_label,
    lay_out_pickup_tag,
    lay_out_return_label,
    lay_out_shelf_label,
)
from app.labels.templates.tax_invoice import lay_out_tax_invoice

DATA_TYPES: dict[LabelKind, type] = {
    LabelKind.SHIPPING: ShippingLabel,
    LabelKind.PACKING_SLIP: PackingSlip,
    LabelKind.PICKUP_TAG: PickupTag,
    LabelKind.RETURN: ReturnLabel,
    LabelKind.SHELF: ShelfLabel,
    LabelKind.BIN: BinLabel,
}


def lay_out(kind: LabelKind, data: LabelData, profile: PrinterProfile) -> Label:
    """Lay ``data`` out as a ``kind`` label on ``profile``'s media, in its dots.

    A template that does not fit the media across and down is refused, naming the
    template, the media and the built-in profiles whose media it fits.
    """
    if not isinstance(data, DATA_TYPES[kind]):
        raise BadInput(f"A {kind} label cannot be made from {type(data).__name__}.")
    try:
        return _lay_out(kind, data, profile)
    except OffMedia as exc:
        fitting = ", ".join(media_for(kind)) or "larger media"
        raise BadInput(
            f"The {kind} label does not fit {profile.name} ({profile.media} media): {exc.message}.",
            next_step=f"Choose a profile it fits: {fitting}.",
        ) from None


def lay_out_job(kind: LabelKind, labels: Sequence[LabelData], profile: PrinterProfile) -> Label:
    """Lay many ``kind`` labels out as one job on ``profile``: their pages, in order."""
    pages = tuple(page for data in labels for page in lay_out(kind, data, profile).pages)
    return Label(str(kind), profile.name, profile.dpi, pages)


@cache
def media_for(kind: LabelKind) -> tuple[str, ...]:
    """Built-in profiles whose media a ``kind`` label (with sample data) fits."""
    fitting = []
    for profile in BUILT_IN.values():
        try:
            _lay_out(kind, SAMPLES[kind], profile)
        except BadInput:
            continue
        fitting.append(profile.name)
    return tuple(fitting)


def _lay_out(kind: LabelKind, data: LabelData, profile: PrinterProfile) -> Label:

    def new_sheet() -> Sheet:
        return Sheet(profile.width, profile.height, profile.dpi, profile.media)

    if isinstance(data, PackingSlip):
        lay_out_slip = lay_out_tax_invoice if data.invoice else lay_out_packing_slip
        sheets = lay_out_slip(new_sheet, data)
    else:
        sheet = new_sheet()
        if isinstance(data, ShippingLabel):
            lay_out_shipping(sheet, data)
        elif isinstance(data, PickupTag):
            lay_out_pickup_tag(sheet, data)
        elif isinstance(data, ReturnLabel):
            lay_out_return_label(sheet, data)
        elif isinstance(data, ShelfLabel):
            lay_out_shelf_label(sheet, data)
        else:
            lay_out_bin_label(sheet, data)
        sheets = [sheet]
    return Label(str(kind), profile.name, profile.dpi, tuple(s.page() for s in sheets))
