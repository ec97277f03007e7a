"""The carrier's end-of-day manifest: printed on the station's A4 printer through the
print service (:mod:`app.services.printing_sheets`), or saved as a PDF, with words that
say where it went, that the driver signs it, and how to set a printer up."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.domain.shipping.scan_out import OutParcel
from app.labels.manifest import ManifestHeader, render_manifest
from app.services.printing import PrintService
from app.services.shipping.pick_list import SET_UP

SIGNED = "the driver signs it"


def print_manifest(
    printing: PrintService | None,
    parcels: Sequence[OutParcel],
    header: ManifestHeader,
    *,
    staff_code: str,
    fallback_dir: Path,
) -> str:
    """Print the manifest of ``parcels``; what happened, in words. Without a print
    service (the station's printers.json cannot be used) it is saved in
    ``fallback_dir``."""
    carrier = header.carrier
    if printing is None:
        fallback_dir.mkdir(parents=True, exist_ok=True)
        path = fallback_dir / f"manifest-{carrier}-{header.printed_at:%Y%m%d-%H%M}.pdf"
        path.write_bytes(render_manifest(parcels, header))
        return (
            f"Printing is off at this station (its printer settings cannot be used), so the "
            f"{carrier} manifest was saved as a PDF: {path}. Print that file from a computer "
            f"({SIGNED}), and ask IT to fix printers.json in the station's folder."
        )
    done = printing.print_manifest(parcels, header, staff_code=staff_code)
    pages = f"{done.pages} page{'s' if done.pages != 1 else ''}"
    if done.saved_only:
        return (
            f"No A4 printer is set up at this bench, so the {carrier} manifest ({pages}) was "
            f"saved as a PDF: {done.delivery.where}. Print that file from a computer "
            f"({SIGNED}), or " + SET_UP.format(profile=done.profile)
        )
    return f"{carrier} manifest ({pages}): {done.said} Hand it to the driver: {SIGNED}."
