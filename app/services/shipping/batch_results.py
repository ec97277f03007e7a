"""What the batch pick services return: frozen dataclasses the bench's pick screen shows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StopView:
    """A stop of the walk: take ``quantity`` of an item from a bin into a tote."""

    bin_code: str
    sku: str
    name: str
    tote: str
    quantity: int  # units for this tote (the current stop) or for the whole stop (next ones)
    counted: int = 0  # units in hand (the current stop)
    bin_verified: bool = False


@dataclass(frozen=True)
class ToteView:
    tote: str  # T01
    code: str  # its barcode: <batch>-T01
    order_number: str
    fulfilment_id: int


@dataclass(frozen=True)
class ShortView:
    """Units a tote should have had that no bin here holds: they need a reason."""

    sku: str
    name: str
    tote: str
    quantity: int


@dataclass(frozen=True)
class BatchView:
    """The batch being picked, after the last action: what it said and what is next."""

    batch_id: str
    said: str  # what the last action did, ending with what to do next
    refused: bool  # a wrong scan or key: double-beep and show ``said``
    prompt: str  # what to do next, alone
    current: StopView | None  # None when the walk is done
    next_stops: tuple[StopView, ...]  # the walk's next stops after this one
    picked_units: int
    total_units: int
    totes: tuple[ToteView, ...]
    to_reject: tuple[ShortView, ...]  # short units waiting for a reason
    done: bool  # every stop picked or short
    ops: int = 0  # outbox operations this action recorded

    @property
    def progress(self) -> str:
        return f"{self.picked_units}/{self.total_units}"


@dataclass(frozen=True)
class UnpickTask:
    """A picked order whose loose units go back to the shelf, and where they live."""

    fulfilment_id: int
    order_number: str
    state: str
    lines: tuple[tuple[str, str, int, tuple[str, ...]], ...]  # (sku, name, units, bins)


@dataclass(frozen=True)
class UnpickDone:
    said: str
    task: UnpickTask | None  # what is still due back; None when nothing is
