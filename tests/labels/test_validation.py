"""Bad label data is refused with a clear error, never printed silently wrong."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.labels import LabelKind, ShippingLabel
from app.domain.money import Money
from app.errors import BadInput
from app.labels.data import label_data, load_label_data
from app.labels.profiles import BUILT_IN
from app.labels.samples import SAMPLES, SHELF, SHIPPING
from app.labels.templates import lay_out

SHIPPING_JSON: dict[str, Any] = {
    "ship_from": {"name": "Store", "lines": ["1 MG Road"], "city": "Pune", "postcode": "411001"},
    "ship_to": {"name": "प्रिया", "lines": ["Flat 2"], "city": "Mumbai", "postcode": "400001"},
    "carrier": "Delhivery",
    "service": "Surface",
    "weight_grams": 900,
    "order_number": "WEB-1",
    "parcel_number": 1,
    "parcel_count": 1,
    "sscc": "106141412345678908",
    "tracking_number": "DLV123456789",
    "payment": "prepaid",
    "ship_date": "2026-12-06",
}


def test_json_data_builds_a_valid_label() -> None:
    data = label_data(LabelKind.SHIPPING, SHIPPING_JSON)
    assert isinstance(data, ShippingLabel)
    assert data.qr_content == "DLV123456789"
    assert lay_out(LabelKind.SHIPPING, data, BUILT_IN["zebra-4x6-203"]).pages
    assert (data.routing_code, data.sort_code) == ("", "")  # none: no routing box
    routed = label_data(LabelKind.SHIPPING, {**SHIPPING_JSON, "routing_code": "BOM/400",
                                             "sort_code": "S00"})  # fmt: skip
    assert isinstance(routed, ShippingLabel)
    assert (routed.routing_code, routed.sort_code) == ("BOM/400", "S00")


def test_missing_field_names_the_field() -> None:
    broken = {**SHIPPING_JSON, "ship_to": {**SHIPPING_JSON["ship_to"]}}
    del broken["ship_to"]["postcode"]
    with pytest.raises(BadInput, match="'ship_to' has no 'postcode'"):
        label_data(LabelKind.SHIPPING, broken)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sscc", "(00)106141412345678908", "parentheses"),
        ("sscc", "106141412345678907", "wrong check digit"),
        ("weight_grams", "heavy", "whole number"),
        ("parcel_number", 3, "Parcel 3 of 1"),
        ("tracking_number", "DLV^123", "cannot carry"),
        ("tracking_number", "ट्रैक", "cannot carry"),
    ],
)
def test_wrong_values_are_refused(field: str, value: object, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        label_data(LabelKind.SHIPPING, {**SHIPPING_JSON, field: value})


def test_shelf_label_refuses_a_wrong_check_digit_and_gtin14() -> None:
    with pytest.raises(BadInput, match="wrong check digit"):
        dataclasses.replace(SHELF, gtin="8901234567891")
    with pytest.raises(BadInput, match="EAN-13 or UPC-A"):
        dataclasses.replace(SHELF, gtin="10614141000415")
    with pytest.raises(BadInput, match="negative"):
        dataclasses.replace(SHELF, price=Money(-1))


def test_unknown_disposition_is_refused() -> None:
    raw = {"rma_id": "RMA-1", "grade": "A", "disposition": "sell-anyway"}
    with pytest.raises(BadInput, match="not one of sellable, open_box, damaged, rtv, scrap"):
        label_data(LabelKind.RETURN, raw)


def test_text_too_long_for_its_box_is_refused() -> None:
    long_name = "Extremely " * 12 + "long customer name"
    data = dataclasses.replace(
        SHIPPING,
        ship_to=dataclasses.replace(SHIPPING.ship_to, name=long_name, lines=("x " * 60,) * 3),
    )
    with pytest.raises(BadInput, match="too long for its box"):
        lay_out(LabelKind.SHIPPING, data, BUILT_IN["zebra-4x6-203"])


def test_barcode_too_long_for_the_media_is_refused() -> None:
    wide = dataclasses.replace(SHIPPING, tracking_number="TRK" + "AB" * 18 + "X")
    with pytest.raises(BadInput, match=r"tracking number .* too long to print as a barcode"):
        lay_out(LabelKind.SHIPPING, wide, BUILT_IN["zebra-4x6-203"])


def test_data_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(BadInput, match="cannot be made from"):
        lay_out(LabelKind.SHELF, SAMPLES[LabelKind.BIN], BUILT_IN["shelf-50x30-203"])


def test_unreadable_json_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "label.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInput, match="not valid JSON"):
        load_label_data(LabelKind.BIN, path)
    path.write_text(json.dumps({"bin_code": "A-1"}), encoding="utf-8")
    assert load_label_data(LabelKind.BIN, path).bin_code == "A-1"  # type: ignore[union-attr]
