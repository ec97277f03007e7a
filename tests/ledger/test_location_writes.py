"""Writes of different stores run side by side on PostgreSQL, and a pull never skips a
change that commits late (app.ledger.sequencer); each location keeps its own audit chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from app.ledger import feed
from app.ledger.audit import verify_chain
from app.ledger.db import make_engine
from app.ledger.devices import DeviceRef, create_enrol_code, enrol
from app.ledger.migrate import upgrade
from app.ledger.seed import seed
from app.ledger.writes import WriteBatch
from app.sync.protocol import EnrolRequest, Scope
from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import ROOT, RunningLedger, fresh_pg_database, pg_server_url

needs_pg = pytest.mark.skipif(
    not pg_server_url(),
    reason="PostgreSQL variant: set COUNTERBENCH_TEST_PG (as .ci/run does) to run it",
)


def _engine(url: str) -> Engine:
    engine = make_engine(url, pool_size=4)
    upgrade(engine)
    seed(engine, "tiny")
    return engine


@pytest.fixture
def pg() -> Iterator[Engine]:
    with fresh_pg_database() as url:
        engine = _engine(url)
        yield engine
        engine.dispose()


def _station(engine: Engine, location: str) -> DeviceRef:
    code = create_enrol_code(engine, location)
    got = enrol(engine, EnrolRequest(code=code, station_name="t"))
    with engine.connect() as conn:
        location_id = conn.execute(
            text("SELECT id FROM locations WHERE code = :c"), {"c": location}
        ).scalar_one()
    return DeviceRef(got.device_id, int(location_id), location, "counter")


def _write(
    conn: Connection, location_id: int | None, note: str, scope: Scope = Scope.EXCEPTIONS
) -> int:
    """One change (of the location's exceptions, unless told) and an audit entry; its seq."""
    batch = WriteBatch(conn, locations=[] if location_id is None else [location_id])
    seq = batch.change(scope, location_id, note, {"note": note})
    batch.audit(actor="test", approver=None, action="test.write", subject={"note": note})
    batch.flush()
    return seq


def _pull(engine: Engine, device: DeviceRef, cursor: int = 0) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(feed.pull(engine, device, cursor, 1000))
    return answer


def _timeout(conn: Connection) -> None:
    conn.execute(text("SET LOCAL lock_timeout = '200ms'"))


@needs_pg
def test_a_change_committed_late_is_never_skipped_by_a_pull(pg: Engine) -> None:
    blr, mum = _station(pg, "BLR-01"), _station(pg, "MUM-01")
    start = _pull(pg, blr)["cursor"]
    with pg.connect() as slow:
        slow_tx = slow.begin()
        late = _write(slow, blr.location_id, "late")  # in flight: allocated, not committed
        with pg.begin() as conn:  # another store writes what BLR-01 sees, and commits
            early = _write(conn, mum.location_id, "early", Scope.NETWORK_STOCK)
        assert late < early
        seen = _pull(pg, blr)
        assert start <= seen["cursor"] < late
        assert all(c["seq"] < late for c in seen["changes"])
        assert seen["checksums"] == {}  # its rows run ahead of the cursor: nothing to check
        slow_tx.commit()
    after = _pull(pg, blr, seen["cursor"])
    assert [c["key"] for c in after["changes"]] == ["late", "early"]
    assert after["cursor"] >= early and after["checksums"]


@needs_pg
def test_a_rolled_back_write_does_not_hold_pulls_back(pg: Engine) -> None:
    blr = _station(pg, "BLR-01")
    with pg.connect() as conn:
        tx = conn.begin()
        lost = _write(conn, blr.location_id, "lost")
        tx.rollback()
    with pg.begin() as conn:
        kept = _write(conn, blr.location_id, "kept")
    seen = _pull(pg, blr)
    assert seen["cursor"] >= kept > lost
    assert "lost" not in [c["key"] for c in seen["changes"]]


@needs_pg
def test_one_store_writes_one_at_a_time_and_network_writes_alone(pg: Engine) -> None:
    blr, mum = _station(pg, "BLR-01"), _station(pg, "MUM-01")
    with pg.connect() as holder:
        tx = holder.begin()
        _write(holder, blr.location_id, "held")
        for location_id in (blr.location_id, None):  # the same store; a network write
            with (
                pg.connect() as waiting,
                pytest.raises(OperationalError, match="lock timeout"),
                waiting.begin(),
            ):
                _timeout(waiting)
                _write(waiting, location_id, "waits")
        with pg.begin() as other_store:
            _timeout(other_store)
            _write(other_store, mum.location_id, "goes ahead")
        tx.commit()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("pg", marks=needs_pg)])
def test_each_location_keeps_its_own_verifiable_audit_chain(backend: str, tmp_path: Any) -> None:
    sqlite = nullcontext(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    with sqlite if backend == "sqlite" else fresh_pg_database() as url:
        engine = _engine(url)
        _chains_verify(engine)
        engine.dispose()


def _chains_verify(engine: Engine) -> None:
    for n in range(3):
        for location_id in (1, 2, None):
            with engine.begin() as conn:
                _write(conn, location_id, f"w{n}")
    with engine.connect() as conn:
        report = verify_chain(conn)
        assert report.ok and report.chains == 3
        chains = conn.execute(
            text("SELECT chain, count(*) FROM audit_log GROUP BY chain ORDER BY chain")
        ).all()
        assert [c for c, _ in chains] == [0, 1, 2] and all(n >= 3 for _, n in chains)
        victim = conn.execute(text("SELECT max(id) FROM audit_log WHERE chain = 1")).scalar()
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET body = replace(body, 'w2', 'w9') WHERE id = :i"),
            {"i": victim},
        )
    with engine.connect() as conn:
        report = verify_chain(conn)
    assert not report.ok and report.broken_at == victim


def test_verify_audit_command_checks_every_chain(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    engine = _engine(url)
    for location_id in (1, 2, None):
        with engine.begin() as conn:
            _write(conn, location_id, "w1")
    command = [sys.executable, "-m", "app.commands.ledger", "verify-audit", "--db", url]
    env = dict(os.environ, COUNTERBENCH_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Audit log verified:" in done.stdout and "in 3 chain(s)" in done.stdout
    with engine.begin() as conn:
        victim = conn.execute(text("SELECT max(id) FROM audit_log WHERE chain = 2")).scalar()
        conn.execute(text("UPDATE audit_log SET body = body || ' ' WHERE id = :i"), {"i": victim})
    engine.dispose()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and f"BROKEN at entry {victim}" in done.stdout


@needs_pg
def test_a_station_pulling_while_stores_push_at_once_misses_nothing(tmp_path: Any) -> None:
    """Four stations of two stores push counts at once through two server processes while
    a fifth pulls by cursor: what it collected equals a pull of everything from 0."""
    with fresh_pg_database() as url:
        ledger = RunningLedger(url, tmp_path, serve_args=("--workers", "2"))
        try:
            ledger.seed("tiny")
            ledger.start()
            pushers = [DeviceClient(ledger, store) for store in ("BLR-01", "MUM-01") * 2]
            reader_ = DeviceClient(ledger, "BLR-01")
            skus = tiny_skus(ledger)[10:30]
            stop = threading.Event()

            def push(station: DeviceClient) -> None:
                for n in range(40):
                    station.push([station.count_op(skus[n % len(skus)], n % 9, base=0)])
                stop.set()

            threads = [threading.Thread(target=push, args=(s,)) for s in pushers]
            for thread in threads:
                thread.start()
            collected: list[int] = []
            cursor = 0
            while not stop.is_set() or any(t.is_alive() for t in threads):
                page = reader_.pull(cursor)
                collected += [c["seq"] for c in page["changes"]]
                assert page["cursor"] >= cursor  # never back while nothing is restored
                cursor = page["cursor"]
            for thread in threads:
                thread.join()
            rest, _ = reader_.pull_all(cursor)
            collected += [c["seq"] for c in rest]
            everything, _ = reader_.pull_all(0)
            assert collected == [c["seq"] for c in everything]
            assert len(everything) >= 4 * 40  # the pushes' stock or network rows
        finally:
            ledger.close()
