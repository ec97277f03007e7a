"""build_station owns the station's printing: its printers.json, the system printer, and
printing off (logged) when printers.json is broken."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from app.services.printing import PrintService
from app.services.station import build_station


def test_printing_uses_printers_json_and_the_system_printer(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    data_dir.mkdir()
    profile = {"name": "desk", "base": "a4-laser", "transport": "system", "target": "Desk"}
    (data_dir / "printers.json").write_text(json.dumps({"profiles": [profile]}))
    printed: list[tuple[str, int]] = []

    def system_printer(name: str, pages: Sequence[Image.Image]) -> None:
        printed.append((name, len(pages)))

    station = build_station(data_dir, system_printer=system_printer)
    try:
        assert isinstance(station.printing, PrintService)
        assert "desk" in {p.name for p in station.printing.profiles()}
        station.printing.test_print("desk")
        assert printed == [("Desk", 1)]
    finally:
        station.close()


def test_a_broken_printers_json_leaves_the_built_in_printers_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "station"
    data_dir.mkdir()
    (data_dir / "printers.json").write_text("{not json")
    with caplog.at_level(logging.ERROR, logger="counterbench.print"):
        station = build_station(data_dir)
    try:
        assert station.printing is not None  # built-in profiles: labels are saved as files
        assert station.printing.setup_problem is not None
        assert "printers.json cannot be read" in station.printing.setup_problem.message
        assert station.status.status().enrolled is False  # the rest of the station works
        assert any("printers.json is not used" in r.getMessage() for r in caplog.records)
    finally:
        station.close()
