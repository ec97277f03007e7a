"""What a scan names on a walk: items by SKU in any case or GTIN in any padding, totes by
barcode or label, bins in any case, and words naming what a wrong scan is."""

from __future__ import annotations

from app.domain.pick_walk import BatchOrder, BinStock, PickLine, plan_walk
from app.domain.shipping.walk_codes import ItemCodes, WalkCodes

STOCK = [BinStock("A-01-3", "SKU-RICE", 5), BinStock("Z-09-1", "SKU-OIL", 1)]
WALK = plan_walk("PB-7", [BatchOrder("W-1", (PickLine("SKU-RICE", "Rice 5 kg", 1),))], STOCK)
CODES = WalkCodes(
    WALK,
    [
        ItemCodes("SKU-RICE", "036000291452", "Rice 5 kg"),
        ItemCodes("SKU-OIL", "8901030865237", "Oil 1 l"),
        ItemCodes("SKU-PEN", "", "Pen"),
    ],
    STOCK,
)


def test_items_by_sku_in_any_case_or_gtin_in_any_padding() -> None:
    for code in ("SKU-RICE", "sku-rice", "036000291452", "0036000291452", "00036000291452"):
        assert CODES.sku_of(code) == "SKU-RICE", code
    assert CODES.sku_of("08901030865237") == "SKU-OIL"
    assert CODES.sku_of("SKU-PEN") == "SKU-PEN"
    assert CODES.sku_of("") is None and CODES.sku_of("36000291452") is None


def test_totes_by_barcode_or_label_bins_in_any_case() -> None:
    assert CODES.tote_of("PB-7-T01") == CODES.tote_of("t01") == "T01"
    assert CODES.tote_of("PB-6-T01") is None
    assert CODES.is_bin("z-09-1") and not CODES.is_bin("Z-09-2")


def test_what_a_wrong_scan_is_in_words() -> None:
    def said(code: str) -> str:
        return CODES.what_is(code, bin_code="A-01-3", name="Rice 5 kg")

    assert said("z-09-1") == "That is bin Z-09-1; this pick is from bin A-01-3."
    assert said("8901030865237") == "That is Oil 1 l; this pick is Rice 5 kg."
    assert said("PB-7-T01") == "That is tote T01; scan the item first."
    assert said("??") == "'??' is not a bin, item or tote of this walk."
