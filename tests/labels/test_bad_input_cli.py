"""Each bad input of ``counterbench label`` gives one clear line and exit 2, never a
traceback: short media, a missing output folder, a misshapen printers.json, an unknown
currency, a blank address line, ZPL for a sheet printer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.labels.listener import refused_port
from tests.labels.test_validation import SHIPPING_JSON

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "station"
    root.mkdir()
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(root))
    return root


def _refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """Run the CLI, expect exit 2 and exactly one line on stderr; return that line."""
    assert main(args) == 2
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith("counterbench: ") and "Traceback" not in out.err
    return lines[0]


def _render(kind: str, out: Path, *more: str) -> list[str]:
    return ["label", "render", kind, "--format", out.suffix[1:], "-o", str(out), *more]


def _json(tmp_path: Path, raw: Any) -> str:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("profile", ["zebra-4x3-203", "zebra-4x2-203", "zebra-4x3-300"])
@pytest.mark.parametrize("fmt", ["pdf", "zpl", "png"])
def test_a_shipping_label_on_short_media_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: str, fmt: str
) -> None:
    out = tmp_path / f"label.{fmt}"
    line = _refused(capsys, _render("shipping", out, "--sample", "--profile", profile))
    assert f"The shipping label does not fit {profile}" in line
    assert "runs off the bottom" in line and "Choose a profile it fits: zebra-4x6-203" in line
    assert not out.exists()


def test_a_pickup_tag_whose_barcode_would_cover_its_text_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tag.png"
    line = _refused(capsys, _render("pickup-tag", out, "--sample", "--profile", "zebra-4x2-203"))
    assert "does not fit zebra-4x2-203" in line and "no room under the text" in line


def test_an_output_path_in_a_missing_folder(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-folder" / "label.pdf"
    line = _refused(capsys, _render("shelf", out, "--sample"))
    assert f"The folder {out.parent} does not exist" in line and "Create the folder" in line


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ([{"name": "x"}], "holds a list, not an object"),
        ({"profiles": {"name": "x"}}, "'profiles' must be a list of objects"),
        ({"profiles": ["zebra"]}, "'profiles' must be a list of objects"),
        ({"by_kind": ["shipping"]}, "'by_kind' must map label kinds"),
        ({"profiles": [{"name": "x", "base": "zebra-4x6-203", "dpi": "fast"}]}, "'dpi' must"),
        ({"profiles": [{"name": "x", "language": "zpl"}]}, "not usable"),
        ("zebra", "holds a str"),
    ],
)
def test_a_printers_json_of_the_wrong_shape(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: Any, says: str
) -> None:
    (data_dir / "printers.json").write_text(json.dumps(raw), encoding="utf-8")
    line = _refused(capsys, _render("shelf", tmp_path / "x.pdf", "--sample"))
    assert "printers.json" in line and says in line


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("timeout_s", "5", "'timeout_s' must be a number, not \"5\""),
        ("status_timeout_s", True, "'status_timeout_s' must be a number, not true"),
        ("target", 5, "'target' must be text, not 5"),
        ("offset_x", "a", "'offset_x' must be a whole number, not \"a\""),
        ("offset_y", 1.5, "'offset_y' must be a whole number, not 1.5"),
        ("dpi", 203.0, "'dpi' must be a whole number, not 203.0"),
        ("width_mm", None, "'width_mm' must be a number, not null"),
        ("description", ["x"], "'description' must be text"),
    ],
)
def test_a_printers_json_field_of_the_wrong_type(
    data_dir: Path, capsys: pytest.CaptureFixture[str], field: str, value: Any, says: str
) -> None:
    entry = {"name": "bench", "base": "zebra-4x6-203", "transport": "file", field: value}
    setup = {"profiles": [entry], "by_kind": {"shipping": "bench"}}
    (data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    line = _refused(capsys, ["label", "print", "shipping", "--sample"])
    assert "printers.json: printer profile 'bench': " + says in line
    assert not (data_dir / "printed").exists()


def test_an_unknown_currency_code(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shelf = {"item_name": "Tea", "price_minor": 100, "currency": "XYZ", "gtin": "8901234567890"}
    line = _refused(capsys, _render("shelf", tmp_path / "x.pdf", "--data", _json(tmp_path, shelf)))
    assert "currency code 'XYZ'" in line and "Use one of EUR, GBP, INR" in line


def test_a_blank_address_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = {**SHIPPING_JSON, "ship_to": {**SHIPPING_JSON["ship_to"], "lines": ["Flat 2", "  "]}}
    line = _refused(capsys, _render("shipping", tmp_path / "x.pdf", "--data", _json(tmp_path, raw)))
    assert "Address line 2 of प्रिया is blank" in line


def test_zpl_for_an_a4_profile(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slip.zpl"
    line = _refused(capsys, _render("packing-slip", out, "--sample", "--profile", "a4-laser"))
    assert "a4-laser (210 x 297 mm) is a PDF printer: ZPL is only for label printers" in line
    assert not out.exists()

    setup = {"profiles": [{"name": "a4-zebra", "base": "a4-laser", "language": "zpl"}]}
    (data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    line = _refused(capsys, _render("packing-slip", out, "--sample", "--profile", "a4-zebra"))
    assert "a4-zebra: ZPL is for label printers" in line and "210 x 297 mm" in line


def test_a_zpl_field_that_would_overflow_its_box(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(tmp_path, {"bin_code": "H-01", "caption": "Zone A " + "-=" * 24})
    out = tmp_path / "bin.zpl"
    line = _refused(capsys, _render("bin", out, "--data", data))
    assert "is too wide for its box in the printer's own font" in line
    assert "it would print over other text" in line and not out.exists()


@pytest.mark.parametrize(
    ("profile", "says"),
    [
        ({"target": "127.0.0.1:{port}"}, "refused the connection"),
        ({"target": "127.0.0.1:{port}", "timeout_s": "5"}, "'timeout_s' must be a number"),
    ],
)
def test_the_real_command_says_a_failed_print_in_one_line_on_stderr(
    tmp_path: Path, profile: dict[str, str], says: str
) -> None:
    """Run as a process, so nothing else (a log line) can reach stderr unseen."""
    root = tmp_path / "station"
    root.mkdir()
    entry = {"name": "bench", "base": "zebra-4x6-203", "transport": "tcp", **profile}
    entry["target"] = entry["target"].format(port=refused_port())
    setup = {"profiles": [entry], "by_kind": {"shipping": "bench"}}
    (root / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "label", "print", "shipping", "--sample"],
        cwd=REPO,
        env={**os.environ, "COUNTERBENCH_DATA_DIR": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("counterbench: ") and says in line
