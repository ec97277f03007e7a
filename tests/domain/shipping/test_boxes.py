"""Box suggestion: the smallest box that takes everything, turned items, the fill factor,
the weight limit, a split over parcels when no box takes all, and items left to the packer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.shipping.boxes import (
    BoxType,
    Packed,
    PackItem,
    suggest_boxes,
)
from app.errors import BadInput

SMALL = BoxType("S", "Small 20×15×10", 200, 150, 100, tare_g=120, max_weight_g=5_000)
MEDIUM = BoxType("M", "Medium 30×25×20", 300, 250, 200, tare_g=250, max_weight_g=10_000)
LARGE = BoxType("L", "Large 50×40×30", 500, 400, 300, tare_g=500, max_weight_g=20_000)
CATALOGUE = (LARGE, SMALL, MEDIUM)  # any order: the suggestion sorts by size


def _item(sku: str, qty: int, dims: tuple[int, int, int], grams: int) -> PackItem:
    return PackItem(sku, f"Item {sku}", qty, *dims, weight_g=grams)


def test_the_smallest_box_that_takes_everything_is_suggested() -> None:
    tea = _item("TEA", 2, (100, 60, 40), 250)
    result = suggest_boxes([tea], CATALOGUE)
    assert [(p.box.code, p.items) for p in result.parcels] == [("S", (Packed("TEA", 2),))]
    assert result.parcels[0].weight_g == 120 + 2 * 250
    assert result.unboxed == ()


def test_an_item_is_turned_to_fit_its_sorted_dimensions() -> None:
    # 90 tall, 190 long, 140 wide: fits the small box (100 × 150 × 200) on its side
    lamp = _item("LAMP", 1, (90, 190, 140), 400)
    assert suggest_boxes([lamp], CATALOGUE).parcels[0].box.code == "S"
    # one side longer than any side of the small box: the medium box
    rod = _item("ROD", 1, (210, 20, 20), 100)
    assert suggest_boxes([rod], CATALOGUE).parcels[0].box.code == "M"


def test_the_fill_factor_leaves_room_for_packing_material() -> None:
    # small box volume 3,000,000 mm³; 80 % is 2,400,000
    cubes = _item("CUBE", 1, (100, 100, 100), 10)  # 1,000,000 mm³ each
    assert suggest_boxes([cubes], CATALOGUE).parcels[0].box.code == "S"
    two = _item("CUBE", 2, (100, 100, 100), 10)
    assert suggest_boxes([two], CATALOGUE).parcels[0].box.code == "S"
    three = _item("CUBE", 3, (100, 100, 100), 10)  # 3,000,000 > 2,400,000
    assert suggest_boxes([three], CATALOGUE).parcels[0].box.code == "M"
    assert suggest_boxes([three], CATALOGUE, fill_percent=100).parcels[0].box.code == "S"


def test_the_weight_limit_counts_the_empty_box() -> None:
    # 4,880 g of items + 120 g small box = 5,000 g: exactly the limit
    at_limit = _item("RICE", 1, (150, 100, 80), 4_880)
    assert suggest_boxes([at_limit], CATALOGUE).parcels[0].box.code == "S"
    over = _item("RICE", 1, (150, 100, 80), 4_881)
    assert suggest_boxes([over], CATALOGUE).parcels[0].box.code == "M"


def test_when_no_box_takes_everything_the_items_split_biggest_first() -> None:
    # each kettle nearly fills a large box by weight: three parcels, each the right size
    kettle = _item("KETTLE", 3, (250, 200, 200), 12_000)
    mug = _item("MUG", 2, (100, 100, 90), 300)
    result = suggest_boxes([mug, kettle], CATALOGUE)
    assert [(p.box.code, p.items) for p in result.parcels] == [
        ("L", (Packed("MUG", 2), Packed("KETTLE", 1))),
        ("L", (Packed("KETTLE", 1),)),
        ("L", (Packed("KETTLE", 1),)),
    ]
    assert sum(p.units for p in result.parcels) == 5


def test_each_split_parcel_moves_to_the_smallest_box_for_what_it_holds() -> None:
    heavy = _item("ANVIL", 1, (200, 200, 150), 18_000)
    light = _item("SOCKS", 1, (150, 100, 50), 100)
    catalogue = (SMALL, MEDIUM, BoxType("L", "Large", 500, 400, 300, 500, 18_500))
    result = suggest_boxes([heavy, light], catalogue)
    assert [(p.box.code, p.items) for p in result.parcels] == [
        ("L", (Packed("ANVIL", 1),)),
        ("S", (Packed("SOCKS", 1),)),
    ]


def test_items_with_no_size_or_too_big_are_named_for_the_packer() -> None:
    unknown = PackItem("GIFT", "Gift card pack", 1, 0, 0, 0, 20)
    sofa = PackItem("SOFA", "Sofa cushion", 1, 800, 600, 200, 2_000)
    tea = _item("TEA", 1, (100, 60, 40), 250)
    result = suggest_boxes([unknown, tea, sofa], CATALOGUE)
    assert [(p.box.code, p.items) for p in result.parcels] == [("S", (Packed("TEA", 1),))]
    words = {u.sku: (u.quantity, u.words) for u in result.unboxed}
    assert words["GIFT"] == (1, "Item Gift card pack has no size on record: choose a box yourself.")
    assert words["SOFA"][1].startswith("Item Sofa cushion (800×600×200 mm, 2000 g) is too big")
    assert "pack it on its own or choose a box yourself" in words["SOFA"][1]


def test_no_catalogue_leaves_every_item_to_the_packer() -> None:
    result = suggest_boxes([_item("TEA", 1, (100, 60, 40), 250)], [])
    assert result.parcels == ()
    assert result.unboxed[0].words.startswith("No boxes are on record here")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _item("TEA", 0, (1, 1, 1), 1), "The quantity of TEA must be a whole number"),
        (lambda: _item("TEA", 1, (-1, 1, 1), 1), "The length of TEA"),
        (lambda: _item("", 1, (1, 1, 1), 1), "Each item to pack needs a SKU."),
        (lambda: BoxType("B", "Box", 0, 1, 1, 1, 1), "The inner length of box B"),
        (lambda: BoxType("B", "Box", 1, 1, 1, -5, 1), "The empty weight of box B"),
    ],
)
def test_bad_items_and_boxes_are_refused_by_name(make: object, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        make()  # type: ignore[operator]


def test_a_fill_factor_outside_one_to_a_hundred_is_refused() -> None:
    with pytest.raises(BadInput, match="1 to 100 percent"):
        suggest_boxes([], CATALOGUE, fill_percent=0)


_items = st.lists(
    st.builds(
        PackItem,
        sku=st.sampled_from(["A", "B", "C", "D", "E"]),
        name=st.just("thing"),
        quantity=st.integers(1, 6),
        length_mm=st.integers(0, 600),
        width_mm=st.integers(1, 300),
        height_mm=st.integers(1, 300),
        weight_g=st.integers(0, 15_000),
    ),
    max_size=5,
    unique_by=lambda i: i.sku,
)


@settings(max_examples=50, deadline=None)
@given(_items)
def test_every_unit_is_boxed_or_named_and_every_parcel_holds_its_load(
    items: list[PackItem],
) -> None:
    result = suggest_boxes(items, CATALOGUE)
    again = suggest_boxes(items, CATALOGUE)
    assert result == again  # deterministic
    boxed: dict[str, int] = {}
    by_sku = {i.sku: i for i in items}
    for parcel in result.parcels:
        volume = weight = 0
        for packed in parcel.items:
            item = by_sku[packed.sku]
            boxed[packed.sku] = boxed.get(packed.sku, 0) + packed.quantity
            assert all(d <= b for d, b in zip(item.dims, parcel.box.dims, strict=True))
            volume += item.volume * packed.quantity
            weight += item.weight_g * packed.quantity
        assert volume * 100 <= parcel.box.volume * 80
        assert weight + parcel.box.tare_g == parcel.weight_g <= parcel.box.max_weight_g
    for left in result.unboxed:
        boxed[left.sku] = boxed.get(left.sku, 0) + left.quantity
    assert boxed == {i.sku: i.quantity for i in items}
    if len(result.parcels) > 1:  # a split only when no single box takes the boxed items
        assert not any(
            all(_fits_all(by_sku[p.sku], box) for parcel in result.parcels for p in parcel.items)
            and _total_ok(result.parcels, by_sku, box)
            for box in CATALOGUE
        )


def _fits_all(item: PackItem, box: BoxType) -> bool:
    return all(d <= b for d, b in zip(item.dims, box.dims, strict=True))


def _total_ok(parcels: object, by_sku: dict[str, PackItem], box: BoxType) -> bool:
    units = [p for parcel in parcels for p in parcel.items]  # type: ignore[attr-defined]
    volume = sum(by_sku[p.sku].volume * p.quantity for p in units)
    weight = sum(by_sku[p.sku].weight_g * p.quantity for p in units)
    return volume * 100 <= box.volume * 80 and weight + box.tare_g <= box.max_weight_g
