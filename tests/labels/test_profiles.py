"""Printer profiles: built-ins, station overrides in printers.json, choice per label kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.errors import BadInput, NotFound
from app.labels.profiles import BUILT_IN, Language, Transport, load_setup


def test_built_in_media_in_dots() -> None:
    assert (BUILT_IN["zebra-4x6-203"].width, BUILT_IN["zebra-4x6-203"].height) == (812, 1218)
    assert (BUILT_IN["zebra-4x6-300"].width, BUILT_IN["zebra-4x6-300"].height) == (1200, 1800)
    assert BUILT_IN["shelf-50x30-203"].width == 400


def test_station_overrides_and_kind_choice(tmp_path: Path) -> None:
    path = tmp_path / "printers.json"
    path.write_text(
        json.dumps(
            {
                "profiles": [
                    {
                        "name": "counter-zebra",
                        "base": "zebra-4x3-300",
                        "transport": "tcp",
                        "target": "10.0.0.9:9100",
                        "offset_x": 8,
                    }
                ],
                "by_kind": {"pickup-tag": "counter-zebra"},
            }
        ),
        encoding="utf-8",
    )
    setup = load_setup(path)
    chosen = setup.for_kind(LabelKind.PICKUP_TAG)
    assert (chosen.name, chosen.dpi, chosen.transport, chosen.offset_x) == (
        "counter-zebra",
        300,
        Transport.TCP,
        8,
    )
    assert chosen.language is Language.ZPL
    assert setup.for_kind(LabelKind.SHIPPING).name == "zebra-4x6-203"


def test_missing_file_gives_the_built_ins(tmp_path: Path) -> None:
    assert load_setup(tmp_path / "none.json").for_kind(LabelKind.SHELF).dpi == 203


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ({"by_kind": {"shipping": "nope"}}, NotFound),
        ({"by_kind": {"poster": "a4-laser"}}, BadInput),
        ({"profiles": [{"name": "x", "base": "zebra-4x6-203", "dpi": 150}]}, BadInput),
        ({"profiles": [{"name": "x", "language": "pcl"}]}, BadInput),
    ],
)
def test_bad_station_setup_is_refused(tmp_path: Path, content: object, error: type) -> None:
    path = tmp_path / "printers.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(error):
        load_setup(path)


def test_offsets_move_everything_on_the_printer() -> None:
    import dataclasses

    from PIL import ImageOps

    from app.labels.printing import Format, page_images, render
    from app.labels.samples import BIN
    from app.labels.templates import lay_out

    plain = BUILT_IN["zebra-4x2-203"]
    shifted = dataclasses.replace(plain, offset_x=8, offset_y=4)
    label = lay_out(LabelKind.BIN, BIN, plain)
    assert b"^LH8,4" in render(label, shifted, Format.ZPL)[0]
    a, b = page_images(label, plain)[0], page_images(label, shifted)[0]
    box, moved = ImageOps.invert(a).getbbox(), ImageOps.invert(b).getbbox()
    assert box is not None and moved is not None
    assert (moved[0] - box[0], moved[1] - box[1]) == (8, 4)
