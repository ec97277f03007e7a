"""``counterbench station enrol | count | status | sync`` against a real ledger."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import log
from app.commands import station as station_commands
from tests.support.ledger import RunningLedger
from tests.sync.stations import ledger_on_hand


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI configures logging once per process; undo it after the test."""
    root = logging.getLogger(log.ROOT)
    handlers, configured = list(root.handlers), getattr(root, "_counterbench_configured", False)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root._counterbench_configured = configured  # type: ignore[attr-defined]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    parser = argparse.ArgumentParser(prog="counterbench")
    station_commands.register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(["station", *argv])
    assert args.run(args) == 0
    return capsys.readouterr().out


def test_enrol_count_status_sync(
    sqlite_ledger: RunningLedger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "station")
    code = sqlite_ledger.enrol_code("BLR-01", "bench")
    out = _run(capsys, "enrol", "--data-dir", data, "--ledger", sqlite_ledger.url,
               "--code", code, "--name", "Bench 2", "--kind", "bench")  # fmt: skip
    assert "Bench 2 (bench) at BLR-01" in out and "online" in out

    sku = sqlite_ledger.sql("SELECT sku FROM items WHERE id = 3")[0][0]
    out = _run(capsys, "count", "--data-dir", data, sku, "17", "--staff", "A100")
    op_id = out.strip().splitlines()[-1]
    assert len(op_id) == 36 and f"counted 17 of {sku}" in out

    status = json.loads(_run(capsys, "status", "--data-dir", data, "--json"))
    assert status["pending_ops"] == 1 and status["location_code"] == "BLR-01"
    assert status["oldest_pending_age_s"] >= 0

    out = _run(capsys, "sync", "--data-dir", data)
    assert "pushed 1 (applied 1, rejected 0)" in out
    assert ledger_on_hand(sqlite_ledger, sku) == 17
    actor = sqlite_ledger.sql("SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": op_id})
    assert actor == [(1,)]
    text = _run(capsys, "status", "--data-dir", data)
    assert "Pending   0 operation(s)" in text and "Exceptions 0 open" in text
