"""Each carrier's tracking token is kept like the ledger's other tokens: from a named file,
else the environment, else a kept file in the data directory that gives every partner
carrier a random token on first use (mode 0600) and keeps it."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

import pytest

from app.commands.ledger_carrier_tokens import (
    CARRIER_TOKENS_ENV,
    CARRIER_TOKENS_FILE,
    carrier_tokens,
)
from app.errors import KnownError

TOKEN = "a-carrier-token-of-enough-length"


def args(named: Path | None = None) -> argparse.Namespace:
    return argparse.Namespace(carrier_tokens_file=str(named) if named else None)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(CARRIER_TOKENS_ENV, raising=False)
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def test_a_kept_file_gives_each_partner_a_token_once(data_dir: Path) -> None:
    first = carrier_tokens(args(), ["SWIFT", "INDPOST"])
    again = carrier_tokens(args(), ["SWIFT", "INDPOST", "NEWCO"])

    kept = data_dir / CARRIER_TOKENS_FILE
    assert sorted(first) == ["INDPOST", "SWIFT"] and first["SWIFT"] != first["INDPOST"]
    assert {k: again[k] for k in first} == first and len(again["NEWCO"]) >= 16
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_named_file_and_the_environment_come_first(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "tokens"
    named.write_text(f"# ours\nSWIFT {TOKEN}\n")
    monkeypatch.setenv(CARRIER_TOKENS_ENV, f"INDPOST={TOKEN}")

    assert carrier_tokens(args(named), ["SWIFT"]) == {"SWIFT": TOKEN}
    assert carrier_tokens(args(), ["SWIFT"]) == {"INDPOST": TOKEN}
    assert not (data_dir / CARRIER_TOKENS_FILE).exists()


def test_a_short_token_or_a_bad_line_is_refused(data_dir: Path, tmp_path: Path) -> None:
    short, odd = tmp_path / "short", tmp_path / "odd"
    short.write_text("SWIFT abc\n")
    odd.write_text(f"SWIFT {TOKEN} extra\n")

    with pytest.raises(KnownError, match="too short"):
        carrier_tokens(args(short), [])
    with pytest.raises(KnownError, match="not 'CODE TOKEN'"):
        carrier_tokens(args(odd), [])
