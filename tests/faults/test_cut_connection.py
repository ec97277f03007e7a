"""Connections cut mid-request: a push whose answer is lost is replayed, never doubled,
and a snapshot cut halfway is taken again from the start; with the ledger on SQLite and
on PostgreSQL (skipped with its reason when ``COUNTERBENCH_TEST_PG`` is not set)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from app.errors import Offline
from app.services.station import build_station
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger, backend_params, ledger_on
from tests.sync.stations import FAST, ledger_on_hand, sku


class CuttingProxy(ThreadingHTTPServer):
    """Forwards to the ledger; cuts the connection of chosen requests before forwarding
    them (``before``) or after the ledger answered (``after``)."""

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = upstream
        self.rules: list[tuple[str, str, int]] = []  # (path prefix, when, nth match)
        self.seen: dict[str, int] = {}
        self.cuts = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def cut(self, path: str, when: str, nth: int = 1) -> None:
        with self.lock:
            self.rules.append((path, when, nth))
            self.seen[path] = 0

    def decide(self, path: str) -> str:
        with self.lock:
            for rule in list(self.rules):
                prefix, when, nth = rule
                if path.startswith(prefix):
                    self.seen[prefix] += 1
                    if self.seen[prefix] == nth:
                        self.rules.remove(rule)
                        self.cuts += 1
                        return when
        return "pass"


class _Forward(BaseHTTPRequestHandler):
    server: CuttingProxy
    protocol_version = "HTTP/1.1"

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        decision = self.server.decide(self.path)
        if decision == "before":
            self.close_connection = True
            return
        headers = {
            k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")
        }
        answer = requests.request(
            self.command, self.server.upstream + self.path, data=body, headers=headers, timeout=30
        )
        if decision == "after":
            self.close_connection = True
            return
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = _forward
    do_POST = _forward

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module", params=backend_params())
def module_ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    workdir = tmp_path_factory.mktemp("cut-ledger")
    yield from ledger_on(request.param, workdir)


@pytest.fixture
def proxy(module_ledger: RunningLedger) -> Iterator[CuttingProxy]:
    server = CuttingProxy(module_ledger.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_push_whose_answer_is_lost_is_replayed_not_doubled(
    module_ledger: RunningLedger, proxy: CuttingProxy, tmp_path: Path
) -> None:
    station = build_station(tmp_path / "s", sync_settings=FAST)
    try:
        station.enrolment.enrol(proxy.url, module_ledger.enrol_code("BLR-01"), "Counter 7")
        item = sku(module_ledger, 20)
        recorded = [count_settled(station.stock, None, item, n) for n in (11, 12, 13)]
        proxy.cut("/v1/sync/push", "after")
        with pytest.raises(Offline):
            station.sync.sync_once()
        assert proxy.cuts == 1
        assert ledger_on_hand(module_ledger, item) == 13  # the ledger did apply them …
        assert station.status.status().pending_ops == 3  # … but the station never heard
        report = station.sync.sync_once()
        assert report.applied == 3 and station.status.status().pending_ops == 0
        for op in recorded:
            rows = module_ledger.sql(
                "SELECT count(*) FROM stock_movements WHERE op_id = :op", {"op": op.op_id}
            )
            assert rows == [(1,)]
        assert ledger_on_hand(module_ledger, item) == 13
        with station.db.reading() as session:
            replayed = session.execute(
                text("SELECT count(*) FROM outbox WHERE json_extract(result, '$.replayed') = 1")
            ).scalar_one()
        assert replayed == 3
    finally:
        station.close()


def test_a_snapshot_cut_halfway_is_taken_again(
    module_ledger: RunningLedger, proxy: CuttingProxy, tmp_path: Path
) -> None:
    station = build_station(tmp_path / "s", sync_settings=FAST)
    try:
        proxy.cut("/v1/sync/snapshot", "before", nth=3)  # catalog page 2 of 2
        status = station.enrolment.enrol(proxy.url, module_ledger.enrol_code("BLR-01"), "C8")
        assert status.enrolled and not status.online
        assert "cannot be reached" in status.last_error
        assert proxy.cuts == 1
        report = station.sync.sync_once()
        assert "catalog" in report.snapshots and report.snapshot_rows > 0
        with station.db.reading() as session:
            items = session.execute(text("SELECT count(*) FROM items")).scalar_one()
        assert items == module_ledger.sql("SELECT count(*) FROM items")[0][0]
        assert station.sync.sync_once().snapshots == []  # every checksum agrees
        assert station.status.status().online
    finally:
        station.close()
