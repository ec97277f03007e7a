"""The shared ``ledger`` fixture survives a power cut: applied ops stay applied, exactly once."""

from __future__ import annotations

from tests.ledger.conftest import DeviceClient, on_hand, tiny_skus
from tests.support.ledger import RunningLedger


def test_pushed_ops_survive_a_kill_and_replay_after_restart(ledger: RunningLedger) -> None:
    sku = tiny_skus(ledger)[33]
    station = DeviceClient(ledger, "BLR-01")
    ops = [station.count_op(sku, 6, base=station.head())]
    first = station.push(ops)["results"][0]

    ledger.kill()
    ledger.start()

    again = station.push(ops)["results"][0]
    assert again["replayed"] is True and again["ledger_seq"] == first["ledger_seq"]
    assert on_hand(ledger, "BLR-01", sku) == 6
    later = station.push([station.count_op(sku, 5, base=station.head())])
    assert later["last_applied_seq"] == 2
    assert station.pull(0, limit=1)["last_applied_seq"] == 2
