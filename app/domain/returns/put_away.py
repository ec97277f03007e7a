"""Putting a returned unit away by scan: its RMA label, then a bin. Pure.

A returned unit waits at the counter or bench in the bucket it was graded into. The
associate scans its RMA label, then the bin it goes into, and that is recorded: a
physical fact (the unit is in the bin). Into a quarantine bin (``Q-…``) or a
vendor-returns bin (``RTV-…``) the unit keeps its bucket. Back onto a shelf bin the
planogram gives its SKU it becomes sellable again: an opened, quarantined or damaged
unit only after a lead has inspected it (a lead or manager does the put-away), so the
bucket move is a lead's decision. A unit back on the shelf is done: its label comes off.
The ``return.put_away`` payload carries what was decided, so the ledger moves the same.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from app.domain.op_fields import text
from app.domain.returns.grades import Disposition
from app.domain.stock import Bucket
from app.errors import BadInput, RuleRefused

RETURN_PUT_AWAY = "return.put_away"
QUARANTINE_BINS = "Q-"  # a quarantine bin's code starts so, at every store and warehouse
VENDOR_BINS = "RTV-"  # a vendor-returns bin's code
MAX_RMA = 60
MAX_BIN = 20
INSPECTORS = frozenset({"lead", "manager"})  # who may send an inspected unit back to sale

# The bucket a returned unit waits in, by how it was graded (scrap is written off).
BUCKET_OF: dict[Disposition, Bucket] = {
    Disposition.SELLABLE: Bucket.SELLABLE,
    Disposition.OPEN_BOX: Bucket.OPEN_BOX,
    Disposition.DAMAGED: Bucket.DAMAGED,
    Disposition.RTV: Bucket.RTV,
}
RETURNED_BUCKETS = frozenset(
    {Bucket.SELLABLE, Bucket.QUARANTINE, Bucket.DAMAGED, Bucket.OPEN_BOX, Bucket.RTV}
)
TO_SHELF_AFTER_INSPECTION = frozenset({Bucket.OPEN_BOX, Bucket.QUARANTINE, Bucket.DAMAGED})


class BinKind(StrEnum):
    SHELF = "shelf"  # a shelf bin the planogram gives this SKU here
    OTHER_SHELF = "other shelf"  # a shelf bin here, of other items
    QUARANTINE = "quarantine"
    VENDOR = "vendor returns"
    UNKNOWN = "unknown"  # not a bin of this location


def bin_code(scan: str) -> str:
    """The bin code a scanned or typed bin label names, as bins are stored (upper case)."""
    return scan.strip().upper()


def bin_kind(code: str, bins_of_sku: Collection[str], bins_here: Collection[str]) -> BinKind:
    """What ``code`` is at this location: ``bins_of_sku`` are the shelf bins of the unit's
    SKU here, ``bins_here`` every shelf bin here (codes as stored, upper case)."""
    if code.startswith(QUARANTINE_BINS) and len(code) > len(QUARANTINE_BINS):
        return BinKind.QUARANTINE
    if code.startswith(VENDOR_BINS) and len(code) > len(VENDOR_BINS):
        return BinKind.VENDOR
    if code in bins_of_sku:
        return BinKind.SHELF
    if code in bins_here:
        return BinKind.OTHER_SHELF
    return BinKind.UNKNOWN


@dataclass(frozen=True)
class WaitingUnit:
    """A returned unit as this location knows it: its bucket now, its bin ("" until it
    is put away) and whether it is back on its shelf (done)."""

    rma_id: str
    sku: str
    bucket: Bucket
    bin: str = ""
    shelved: bool = False


@dataclass(frozen=True)
class ReturnPutAway:
    """One unit put into one bin: the ``return.put_away`` payload."""

    TYPE: ClassVar[str] = RETURN_PUT_AWAY

    location: str
    rma_id: str
    sku: str
    bin: str
    from_bucket: Bucket
    to_bucket: Bucket

    def __post_init__(self) -> None:
        if not self.location:
            raise BadInput("A put-away needs the location code of the station.")
        for value, what, limit in ((self.rma_id, "RMA id", MAX_RMA), (self.sku, "SKU", 40),
                                   (self.bin, "bin code", MAX_BIN)):  # fmt: skip
            if not value or len(value) > limit:
                raise BadInput(f"A put-away needs the unit's {what} (at most {limit} characters).")
        for bucket in (self.from_bucket, self.to_bucket):
            if bucket not in RETURNED_BUCKETS:
                raise BadInput(f"A returned unit does not wait in the {bucket.value} bucket.")
        if self.to_bucket not in (self.from_bucket, Bucket.SELLABLE):
            raise BadInput("A put-away keeps the unit's bucket or makes it sellable again.")

    @property
    def moves(self) -> bool:
        return self.from_bucket is not self.to_bucket

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ReturnPutAway:
        if not isinstance(payload, dict):
            raise BadInput("The put-away operation has no payload.")
        return cls(
            location=text(payload, "location", ""),
            rma_id=text(payload, "rma_id", ""),
            sku=text(payload, "sku", ""),
            bin=bin_code(text(payload, "bin", "")),
            from_bucket=_bucket(payload.get("from_bucket")),
            to_bucket=_bucket(payload.get("to_bucket")),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "rma_id": self.rma_id,
            "sku": self.sku,
            "bin": self.bin,
            "from_bucket": self.from_bucket.value,
            "to_bucket": self.to_bucket.value,
        }


def parse_put_away(payload: dict[str, Any]) -> ReturnPutAway:
    """The validated payload of a ``return.put_away``; ``BadInput`` with words when bad."""
    try:
        return ReturnPutAway.from_payload(payload)
    except (TypeError, ValueError) as exc:
        raise BadInput(f"The put-away is incomplete or malformed ({exc}).") from exc


def put_away(
    unit: WaitingUnit, code: str, kind: BinKind, *, location: str, inspector: bool
) -> ReturnPutAway:
    """Where ``unit`` goes when put into bin ``code`` (of ``kind``) by someone who may
    (``inspector``) or may not send an inspected unit back to sale; ``RuleRefused`` with
    the associate's words when it cannot go there."""
    _check_not_done(unit, code)
    if kind is BinKind.UNKNOWN:
        raise RuleRefused(
            f"{code} is not a bin of this store.",
            next_step=f"Scan a shelf bin of {unit.sku}, a quarantine bin ({QUARANTINE_BINS}…) "
            f"or a vendor-returns bin ({VENDOR_BINS}…).",
        )
    if kind is BinKind.OTHER_SHELF:
        raise RuleRefused(
            f"{code} is not a shelf bin of {unit.sku}.",
            next_step=f"Scan a shelf bin of {unit.sku}, or a quarantine bin ({QUARANTINE_BINS}…).",
        )
    to = unit.bucket if kind is not BinKind.SHELF else _to_shelf(unit, inspector)
    return ReturnPutAway(location, unit.rma_id, unit.sku, code, unit.bucket, to)


def _check_not_done(unit: WaitingUnit, code: str) -> None:
    if unit.shelved:
        raise RuleRefused(
            f"{unit.rma_id} was put back on the shelf already, in {unit.bin}.",
            next_step="Take its RMA label off; scan the next unit's label.",
        )
    if unit.bin == code:
        raise RuleRefused(
            f"{unit.rma_id} is in {code} already.",
            next_step="Scan the bin it goes to next, or the next unit's label.",
        )


def _to_shelf(unit: WaitingUnit, inspector: bool) -> Bucket:
    if unit.bucket is Bucket.SELLABLE:
        return Bucket.SELLABLE
    if unit.bucket is Bucket.RTV:
        raise RuleRefused(
            f"{unit.rma_id} goes back to the vendor, not to the shelf.",
            next_step=f"Put it in a vendor-returns bin ({VENDOR_BINS}…).",
        )
    if not inspector:
        raise RuleRefused(
            f"{unit.rma_id} is {unit.bucket.value.replace('_', '-')} stock: a lead inspects "
            "it before it goes back on the shelf.",
            next_step=f"Put it in a quarantine bin ({QUARANTINE_BINS}…), or ask a lead to "
            "inspect it and scan it back to the shelf.",
        )
    return Bucket.SELLABLE


def _bucket(value: Any) -> Bucket:
    try:
        return Bucket(value)
    except ValueError:
        raise BadInput(f"'{value}' is not a stock bucket.") from None
