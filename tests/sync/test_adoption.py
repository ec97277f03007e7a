"""Re-enrolment adopts the old outbox (issue 9 §3): pending operations land once, audited.

A real station and a real ledger: the station counts while offline from the ledger's
point of view, its device is revoked, and it is enrolled again with a new code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from app.errors import RuleRefused
from app.ledger.devices import revoke_device
from app.services.station import Station
from app.storage import device, outbox
from app.sync.client import LedgerClient
from app.sync.pushing import on_the_wire
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, ledger_on_hand, sku


def _device_id(station: Station) -> str:
    with station.db.reading() as session:
        return str(session.execute(text("SELECT device_id FROM device")).scalar_one())


def _applied(ledger: RunningLedger, op_ids: list[str]) -> dict[str, int]:
    """How many times the ledger applied each operation (movements and received rows)."""
    found: dict[str, int] = dict.fromkeys(op_ids, 0)
    for (op_id,) in ledger.sql("SELECT op_id FROM stock_movements"):
        if op_id in found:
            found[op_id] += 1
    return found


def _empty_push(ledger: RunningLedger, device_id: str, token: str | None) -> int:
    """The status of an empty push in ``device_id``'s name with ``token``."""
    answer = requests.post(
        f"{ledger.url}/v1/sync/push",
        json={"device_id": device_id, "ops": []},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return answer.status_code


def test_a_revoked_station_re_enrolled_sends_its_pending_operations_once(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(shared_ledger, tmp_path / "s")
    try:
        old_id, old_token = _device_id(station), device.read_token(station.data_dir)
        assert old_token
        counted = [count_settled(station.stock, None, sku(shared_ledger, n), n) for n in (41, 42)]
        # The ledger applied the first count but its answer never came back to the station.
        with station.db.reading() as session:
            first = outbox.pending_batch(session, 1)
        lost = LedgerClient(shared_ledger.url, token=old_token)
        lost.push(old_id, [on_the_wire(first[0])])
        lost.close()
        revoke_device(shared_ledger.engine, old_id)

        status = station.enrolment.enrol(
            shared_ledger.url, shared_ledger.enrol_code("BLR-01"), "Counter 1 again"
        )
        after = count_settled(station.stock, None, sku(shared_ledger, 43), 43)
        station.sync.sync_once()

        assert status.enrolled and _device_id(station) != old_id
        assert station.status.status().pending_ops == 0
        ops = [c.op_id for c in counted] + [after.op_id]
        assert _applied(shared_ledger, ops) == dict.fromkeys(ops, 1)
        assert [ledger_on_hand(shared_ledger, sku(shared_ledger, n)) for n in (41, 42, 43)] == [
            41,
            42,
            43,
        ]
        pushed_as = shared_ledger.sql(
            "SELECT device_id, device_seq FROM ops_received WHERE op_id IN (:a, :b, :c) "
            "ORDER BY device_seq",
            {"a": ops[0], "b": ops[1], "c": ops[2]},
        )
        new_id = _device_id(station)
        assert pushed_as == [(old_id, 1), (old_id, 2), (new_id, 3)]  # numbering goes on
        audit = shared_ledger.sql(
            "SELECT body FROM audit_log WHERE action = 'device.adopt_outbox' AND body LIKE :d",
            {"d": f"%{old_id}%"},
        )
        assert len(audit) == 1 and '"pending":2' in audit[0][0]
        # The old token is refused, and so is any replay of its request.
        assert _empty_push(shared_ledger, old_id, old_token) == 401
    finally:
        station.close()


def test_a_second_station_cannot_push_in_the_adopted_devices_name(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(shared_ledger, tmp_path / "a")
    other = enrolled_station(shared_ledger, tmp_path / "b")
    try:
        old_id = _device_id(station)
        count_settled(station.stock, None, sku(shared_ledger, 44), 44)
        station.enrolment.enrol(shared_ledger.url, shared_ledger.enrol_code("BLR-01"), "again")
        token = device.read_token(other.data_dir)
        assert _empty_push(shared_ledger, old_id, token) == 403
    finally:
        station.close()
        other.close()


def test_discard_pending_is_an_explicit_audited_choice(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(shared_ledger, tmp_path / "s")
    try:
        old_id = _device_id(station)
        counted = count_settled(station.stock, None, sku(shared_ledger, 45), 45)
        station.enrolment.enrol(
            shared_ledger.url,
            shared_ledger.enrol_code("BLR-01"),
            "again",
            discard_pending=True,
        )
        station.sync.sync_once()

        assert station.status.status().pending_ops == 0
        assert _applied(shared_ledger, [counted.op_id]) == {counted.op_id: 0}
        audit = shared_ledger.sql(
            "SELECT body FROM audit_log WHERE action = 'device.discard_pending' AND body LIKE :d",
            {"d": f"%{old_id}%"},
        )
        assert len(audit) == 1 and '"discarded":1' in audit[0][0]
        revoked = shared_ledger.sql(
            "SELECT revoked_at FROM devices WHERE device_id = :d", {"d": old_id}
        )
        assert revoked[0][0] is not None
    finally:
        station.close()


def test_without_its_old_token_a_station_refuses_to_drop_pending_work_silently(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(shared_ledger, tmp_path / "s")
    try:
        count_settled(station.stock, None, sku(shared_ledger, 46), 46)
        (Path(station.data_dir) / device.TOKEN_FILE).unlink()
        code = shared_ledger.enrol_code("BLR-01")
        with pytest.raises(RuleRefused, match="discard-pending"):
            station.enrolment.enrol(shared_ledger.url, code, "again")
        assert station.status.status().pending_ops == 1
    finally:
        station.close()
