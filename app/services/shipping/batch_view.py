"""An open batch as the pick screen shows it (:class:`.batch_results.BatchView`)."""

from __future__ import annotations

from collections import defaultdict

from app.domain.shipping.pick_scan import PickedUnits, ScanOutcome
from app.services.shipping.batch import OpenBatch
from app.services.shipping.batch_results import BatchView, ShortView, StopView, ToteView

NEXT_STOPS = 4  # stops shown after the current one


def _next_stops(batch: OpenBatch, picked: tuple[PickedUnits, ...]) -> tuple[StopView, ...]:
    """The walk's stops with units still to take, after the current one, in walk order."""
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for put in picked:
        taken[(put.bin_code, put.sku)] += put.quantity
    now = batch.progress.current
    here = (now.bin_code, now.sku) if now else None
    stops = []
    for stop in batch.walk.stops:
        left = stop.quantity - taken[(stop.bin_code, stop.sku)]
        if left > 0 and (stop.bin_code, stop.sku) != here:
            totes = ", ".join(t.tote for t in stop.totes)
            stops.append(StopView(stop.bin_code, stop.sku, stop.name, totes, left))
            if len(stops) == NEXT_STOPS:
                break
    return tuple(stops)


def _totes(batch: OpenBatch) -> tuple[ToteView, ...]:
    return tuple(
        ToteView(t.label, t.code, t.order_number, batch.order_of(t.label).fulfilment_id)
        for t in batch.walk.totes
    )


def _to_reject(batch: OpenBatch) -> tuple[ShortView, ...]:
    names = {s.sku: s.name for s in batch.walk.stops} | {s.sku: s.name for s in batch.walk.short}
    return tuple(
        ShortView(s.sku, names.get(s.sku, s.sku), s.tote, s.quantity)
        for s in batch.progress.shorts()[batch.rejected :]
    )


def view_of(
    batch: OpenBatch, outcome: ScanOutcome | None = None, *, said: str = "", ops: int = 0
) -> BatchView:
    """What the screen shows after an action (``outcome`` or ``said``)."""
    progress = batch.progress
    picked = progress.picked()
    now = progress.current
    current = (
        None
        if now is None
        else StopView(
            now.bin_code, now.sku, now.name, now.tote, now.needed, now.counted, now.bin_verified
        )
    )
    to_reject = _to_reject(batch)
    prompt = progress.prompt
    if progress.done and to_reject:
        prompt = "Reject the short items with a reason (F8), then finish (Ctrl+Enter)."
    words = outcome.words if outcome else f"{said} {prompt}".strip()
    return BatchView(
        batch_id=batch.row.batch_id,
        said=words,
        refused=bool(outcome and outcome.refused),
        prompt=prompt,
        current=current,
        next_stops=_next_stops(batch, picked),
        picked_units=sum(p.quantity for p in picked),
        total_units=batch.walk.units,
        totes=_totes(batch),
        to_reject=to_reject,
        done=progress.done,
        ops=ops,
    )
