"""What a scan names on a batch pick walk: one of its bins, items or totes. Pure.

Items are known by SKU (any case) or GTIN (any padding: a UPC-A read as EAN-13, a
GTIN-14), the caller having taken the GTIN out of a GS1 element string
(:func:`app.domain.gs1.item_code`); totes by their barcode (``PB-7-T03``) or label
(``T03``); bins by code in any case. Every look-up is one dictionary access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.gtin import GTIN_LENGTHS
from app.domain.pick_walk import BinStock, PickWalk


@dataclass(frozen=True)
class ItemCodes:
    """How an item of the walk is recognised and named."""

    sku: str
    gtin: str
    name: str


def _gtin_key(code: str) -> str:
    return code.zfill(14) if code.isdigit() and len(code) in GTIN_LENGTHS else ""


class WalkCodes:
    """The bins, items and totes of one walk, by every code they are scanned by."""

    def __init__(
        self, walk: PickWalk, items: Iterable[ItemCodes], stock: Iterable[BinStock]
    ) -> None:
        self._totes = {t.code.casefold(): t.label for t in walk.totes}
        self._totes |= {t.label.casefold(): t.label for t in walk.totes}
        self._names: dict[str, str] = {s.sku: s.name for s in walk.stops}
        self._skus: dict[str, str] = {}
        for item in items:
            self._names.setdefault(item.sku, item.name)
            self._skus[item.sku.casefold()] = item.sku
            if key := _gtin_key(item.gtin.strip()):
                self._skus[key] = item.sku
        self._bins = {b.bin_code.strip().upper() for b in stock} | {s.bin_code for s in walk.stops}

    def sku_of(self, code: str) -> str | None:
        """The SKU an item code names, or None."""
        return self._skus.get(code.casefold()) or self._skus.get(_gtin_key(code))

    def tote_of(self, code: str) -> str | None:
        """The label of the tote a code names (T03), or None."""
        return self._totes.get(code.casefold())

    def is_bin(self, code: str) -> bool:
        return code.upper() in self._bins

    def what_is(self, code: str, *, bin_code: str, name: str) -> str:
        """Why ``code`` is not the item ``name`` from ``bin_code``, naming what it is."""
        if self.is_bin(code):
            return f"That is bin {code.upper()}; this pick is from bin {bin_code}."
        sku = self.sku_of(code)
        if sku is not None:
            return f"That is {self._names.get(sku, sku)}; this pick is {name}."
        tote = self.tote_of(code)
        if tote is not None:
            return f"That is tote {tote}; scan the item first."
        return f"'{code}' is not a bin, item or tote of this walk."
