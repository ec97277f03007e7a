"""Stock buckets, movement kinds and the arithmetic of availability."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Bucket(StrEnum):
    """Where a unit of stock stands at a location."""

    SELLABLE = "sellable"
    QUARANTINE = "quarantine"
    DAMAGED = "damaged"
    OPEN_BOX = "open_box"  # returned opened (grade B): sold again as open box
    RTV = "rtv"  # returned defective, waiting to go back to the vendor
    IN_TRANSIT = "in_transit"


class MovementKind(StrEnum):
    """Why stock moved. Stock is the sum of movements; corrections reverse them."""

    RECEIPT = "receipt"
    PICK = "pick"
    HANDOVER = "handover"
    SHIP = "ship"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    TRANSFER = "transfer"
    RELEASE = "release"
    WRITE_OFF = "write_off"  # scrapped: out of stock for good (a defective return not sent back)


@dataclass(frozen=True)
class StockLevel:
    """On hand and reserved quantities of one item in one bucket at one location."""

    bucket: Bucket
    on_hand: int
    reserved: int = 0


def available_to_promise(
    on_hand: int, reserved: int, safety_stock: int = 0, *, count_due: bool = False
) -> int:
    """Sellable on hand minus active reservations minus safety stock, never below zero;
    nothing while the item waits for a count after it was not found on the shelf."""
    if count_due:
        return 0
    return max(0, on_hand - reserved - safety_stock)


def count_difference(observed: int, book_at_observation: int) -> int:
    """Movement to post for a count: observed minus the book the counter saw.

    Conflict rule 3: a count is "observed N at base_ledger_seq", never "set to N", so
    sales posted after the observation survive (which book: app/domain/counting.py).
    """
    return observed - book_at_observation
