"""``counterbench station scanner``: IT sets how a station reads its scanner, through the
real entry point; bad values and a broken scanner.json each give one clear line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.cli import main
from app.services.scan_settings import ScanSettings, load_scan_settings, station_scan_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "station"
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(root))
    return root


def test_show_set_and_reset(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["station", "scanner"]) == 0
    assert "Gap        40 ms" in capsys.readouterr().out
    assert not (data_dir / "scanner.json").exists(), "showing writes nothing"

    argv = ["--gap-ms", "60", "--min-length", "6", "--prefix", "F13", "--suffix", "Tab"]
    assert main(["station", "scanner", *argv, "--gs-char", "~"]) == 0
    out = capsys.readouterr().out
    assert "Saved in" in out and "Prefix     F13" in out and "Ctrl+] or ~" in out
    assert load_scan_settings(data_dir) == ScanSettings(60, 6, "F13", "Tab", "~")

    assert main(["station", "scanner", "--prefix", "none"]) == 0
    assert load_scan_settings(data_dir) == ScanSettings(60, 6, "", "Tab", "~")
    assert main(["station", "scanner", "--reset"]) == 0
    assert load_scan_settings(data_dir) == ScanSettings()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--gap-ms", "2"], "The scanner gap is 5 to 500 ms, not 2."),
        (["--min-length", "0"], "The shortest scan is 1 to 64 characters, not 0."),
        (["--prefix", "F99"], "The scanner prefix 'F99' is not a key or a character."),
        (["--suffix", "Tab Tab"], "The scanner suffix 'Tab Tab' is not a key or a character."),
        (["--gs-char", "~~"], "The group separator stand-in '~~' is not one character."),
        (["--gs-char", "]", "--prefix", "]"], "cannot also be the prefix or suffix"),
        (["--prefix", "0"], "The scanner prefix '0' is a letter, digit or '-'"),
        (["--prefix", "A"], "The scanner prefix 'A' is a letter, digit or '-'"),
        (["--prefix", "-"], "The scanner prefix '-' is a letter, digit or '-'"),
        (["--suffix", "9"], "The scanner suffix '9' is a letter, digit or '-'"),
    ],
)
def test_bad_values_are_refused_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert main(["station", "scanner", *argv]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1
    assert not (data_dir / "scanner.json").exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{", "cannot be read"),
        ("[1]", "not of the right shape"),
        ('{"gap": 40}', "not of the right shape"),
        ('{"max_gap_ms": "40"}', "'max_gap_ms' in"),
        ('{"prefix": "F99"}', "is not a key or a character"),
    ],
)
def test_a_broken_scanner_json_is_named_and_the_terminal_scans_with_the_defaults(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    text: str,
    said: str,
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "scanner.json").write_text(text, encoding="utf-8")
    assert main(["station", "scanner"]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1
    with caplog.at_level(logging.WARNING, logger="counterbench.scanner"):
        assert station_scan_settings(data_dir) == ScanSettings()
    assert said in caplog.text
    assert main(["station", "scanner", "--reset"]) == 0, "reset mends a broken file"
    assert json.loads((data_dir / "scanner.json").read_text())["max_gap_ms"] == 40
