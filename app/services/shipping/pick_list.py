"""The open batch's pick list, for staff without a scanner: printed on the station's A4
printer through the print service (:mod:`app.services.printing_sheets`), or saved as a
PDF, with words that say where it went and how to set a printer up."""

from __future__ import annotations

from pathlib import Path

from app.domain.pick_walk import PickWalk
from app.labels.pick_list import PickListHeader, render_pick_list
from app.services.printing import PrintService

SET_UP = (
    "ask a lead to set up the A4 printer: Printers (F5), the Packing slip row, "
    "then where {profile} sends (a network printer's address or a print queue)."
)


def print_pick_list(
    printing: PrintService | None,
    walk: PickWalk,
    header: PickListHeader,
    *,
    staff_code: str,
    fallback_dir: Path,
) -> str:
    """Print the pick list of ``walk``; what happened, in words. Without a print service
    (the station's printers.json cannot be used) it is saved in ``fallback_dir``."""
    if printing is None:
        fallback_dir.mkdir(parents=True, exist_ok=True)
        path = fallback_dir / f"pick-list-{walk.batch_id}.pdf"
        path.write_bytes(render_pick_list(walk, header))
        return (
            f"Printing is off at this station (its printer settings cannot be used), so "
            f"pick list {walk.batch_id} was saved as a PDF: {path}. Print that file from a "
            "computer, and ask IT to fix printers.json in the station's folder."
        )
    done = printing.print_pick_list(walk, header, staff_code=staff_code)
    pages = f"{done.pages} page{'s' if done.pages != 1 else ''}"
    if done.saved_only:
        return (
            f"No A4 printer is set up at this bench, so pick list {walk.batch_id} ({pages}) "
            f"was saved as a PDF: {done.delivery.where}. Print that file from a computer, or "
            + SET_UP.format(profile=done.profile)
        )
    return f"Pick list {walk.batch_id} ({pages}): {done.said}"
