"""Where ``ledger serve`` takes its tokens from (never the command line), and the token
bucket behind the rate limits."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from app.commands import ledger_tokens
from app.commands.ledger_tokens import ADMIN, INTAKE, token_of
from app.errors import KnownError
from app.ledger.api.limits import Rate, TokenBucket
from tests.support.ledger import ROOT


def args(**options: str | None) -> argparse.Namespace:
    return argparse.Namespace(**{"admin_token_file": None, "intake_token_file": None, **options})


def test_the_admin_token_on_the_command_line_is_refused(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.commands.ledger",
            "serve",
            "--admin-token",
            "s3cret-s3cret-s3cret",
        ],
        cwd=ROOT,
        env={"COUNTERBENCH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "does not go on the command line" in run.stderr and "--admin-token-file" in run.stderr


def test_a_token_file_comes_first_then_the_environment_then_the_kept_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COUNTERBENCH_ADMIN_TOKEN", "from-the-environment-1")
    monkeypatch.delenv("COUNTERBENCH_INTAKE_TOKEN", raising=False)
    named = tmp_path / "admin.token"
    named.write_text("from-the-named-file-1\n")
    named.chmod(0o600)

    assert token_of(ADMIN, args(admin_token_file=str(named))) == "from-the-named-file-1"
    assert token_of(ADMIN, args()) == "from-the-environment-1"
    kept = token_of(INTAKE, args())
    assert kept == token_of(INTAKE, args())  # made once, then read back
    kept_file = tmp_path / ledger_tokens.INTAKE_TOKEN_FILE
    assert len(kept) >= 32 and kept_file.stat().st_mode & 0o777 == 0o600


def test_a_short_or_unreadable_token_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTERBENCH_ADMIN_TOKEN", "short")
    with pytest.raises(KnownError, match="too short"):
        token_of(ADMIN, args())
    with pytest.raises(KnownError, match="cannot be read"):
        token_of(ADMIN, args(admin_token_file=str(tmp_path / "missing")))


def test_a_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(Rate(burst=2, per_minute=6), clock=lambda: now[0])

    taken = [bucket.take("10.0.0.9"), bucket.take("10.0.0.9"), bucket.take("10.0.0.9")]
    other = bucket.take("10.0.0.8")
    now[0] = 10.0  # 6 a minute: one more after 10 s
    refilled = [bucket.take("10.0.0.9"), bucket.take("10.0.0.9")]

    assert taken[:2] == [0.0, 0.0] and taken[2] == pytest.approx(10.0)
    assert other == 0.0
    assert refilled[0] == 0.0 and refilled[1] == pytest.approx(10.0)


def test_a_rate_reads_as_burst_and_per_minute() -> None:
    assert Rate.parse("10/6") == Rate(10, 6.0) and str(Rate(10, 6.0)) == "10/6"
    for bad in ("ten", "0/5", "5/0", "5/x"):
        with pytest.raises(ValueError):
            Rate.parse(bad)
