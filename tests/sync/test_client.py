"""The ledger client maps every failure to what the station should do about it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.config import SyncSettings
from app.errors import KnownError, Offline
from app.ledger.devices import revoke_device
from app.sync import protocol
from app.sync.client import GapError, LedgerClient, ReEnrolNeeded, ReusedOp, UpgradeNeeded
from tests.support.ledger import RunningLedger, free_port

QUICK = SyncSettings(connect_timeout_s=0.5, read_timeout_s=0.5)


def _op(seq: int, observed: int = 5, op_id: str = "", base: int = 0) -> protocol.PushOp:
    return protocol.PushOp(
        op_id=op_id or f"op-test-{seq:04d}",
        device_seq=seq,
        type="stock.count",
        payload={
            "location": "BLR-01",
            "sku": "GRO-00001",
            "bucket": "sellable",
            "observed": observed,
        },
        actor="A100",
        device_time=datetime.now(UTC),
        base_ledger_seq=base,
    )


def test_a_closed_port_is_offline() -> None:
    client = LedgerClient(f"http://127.0.0.1:{free_port()}", settings=QUICK)
    with pytest.raises(Offline, match="cannot be reached"):
        client.health()
    with pytest.raises(Offline):
        client.pull(0)
    with pytest.raises(Offline):
        client.push("dev", [_op(1)])


def test_enrol_health_push_pull_snapshot(ledger: RunningLedger) -> None:
    client = LedgerClient(ledger.url)
    health = client.health()
    assert health.status == "ok" and health.protocol == protocol.PROTOCOL_VERSION
    answer = client.enrol(ledger.enrol_code("BLR-01"), "Counter 9", "counter")
    assert answer.location_code == "BLR-01"
    with pytest.raises(KnownError):  # a code works once
        client.enrol(ledger.enrol_code("BLR-01")[:-1] + "0", "Counter 9", "counter")
    device = LedgerClient(ledger.url, token=answer.token)
    first = _op(1)
    pushed = device.push(answer.device_id, [first])
    assert [r.status for r in pushed.results] == [protocol.OpStatus.APPLIED]
    assert pushed.last_applied_seq == 1
    replay = device.push(answer.device_id, [first])
    assert (
        replay.results[0].replayed and replay.results[0].ledger_seq == pushed.results[0].ledger_seq
    )
    page = device.snapshot(protocol.Scope.CATALOG, 0, 10)
    assert len(page.rows) == 10 and page.next_after is not None
    pulled = device.pull(page.as_of_seq - 1, 10)
    assert pulled.cursor >= page.as_of_seq - 1


def test_unknown_or_revoked_token_asks_for_re_enrolment(shared_ledger: RunningLedger) -> None:
    with pytest.raises(ReEnrolNeeded, match="no longer accepts"):
        LedgerClient(shared_ledger.url, token="not-a-token").pull(0)
    answer = shared_ledger.enrol("BLR-01")
    revoke_device(shared_ledger.engine, answer["device_id"])
    with pytest.raises(ReEnrolNeeded) as caught:
        LedgerClient(shared_ledger.url, token=answer["token"]).pull(0)
    assert "IT" in caught.value.next_step


def test_a_gap_carries_the_expected_seq_and_a_reuse_is_refused(
    shared_ledger: RunningLedger,
) -> None:
    answer = shared_ledger.enrol("BLR-01")
    client = LedgerClient(shared_ledger.url, token=answer["token"])
    with pytest.raises(GapError) as gap:
        client.push(answer["device_id"], [_op(3)])
    assert gap.value.expected_seq == 1
    # a true base, as a station sends: a count at base 0 on a shelf with history opens a
    # "count needs checking" exception every other test at BLR-01 would see
    base = client.health().ledger_seq
    client.push(answer["device_id"], [_op(1, observed=5, base=base)])
    # the same device_seq saying something else
    with pytest.raises(ReusedOp) as reused:
        client.push(answer["device_id"], [_op(1, observed=6, base=base)])
    assert reused.value.device_seq == 1 and "IT" in reused.value.next_step


class _Broken(BaseHTTPRequestHandler):
    """A stand-in for a broken proxy or an old ledger in front of the real one."""

    def do_GET(self) -> None:
        if self.path.startswith("/v1/slow"):
            self.server.release.wait(5)  # type: ignore[attr-defined]
        code = {"/v1/health": 503, "/v1/sync/pull": 426}.get(self.path.split("?")[0], 500)
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"broken")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def broken_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    server.release = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.release.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def test_5xx_and_timeouts_are_offline_426_is_upgrade(broken_server: str) -> None:
    client = LedgerClient(broken_server, settings=QUICK)
    with pytest.raises(Offline, match="HTTP 503"):
        client.health()
    with pytest.raises(UpgradeNeeded, match="too old for the ledger — update this terminal"):
        client.pull(0)
    with pytest.raises(Offline, match="HTTP 500"):
        client.snapshot(protocol.Scope.CATALOG)
    with pytest.raises(Offline, match="cannot be reached"):
        client._request("GET", "/slow")
