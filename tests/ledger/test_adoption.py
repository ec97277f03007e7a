"""The ledger's side of re-enrolment adopting an outbox, on SQLite and PostgreSQL: the
new device pushes the old device's operations in its name, once, and no further."""

from __future__ import annotations

import requests

from tests.ledger.conftest import DeviceClient, on_hand, tiny_skus
from tests.support.ledger import RunningLedger


def _enrol(ledger: RunningLedger, previous: dict[str, object]) -> requests.Response:
    body = {
        "code": ledger.enrol_code("BLR-01"),
        "station_name": "again",
        "station_kind": "counter",
        "previous": previous,
    }
    return requests.post(f"{ledger.url}/v1/enrol", json=body, timeout=30)


def test_the_new_device_pushes_the_old_ones_operations_once_and_no_further(
    shared_ledger: RunningLedger,
) -> None:
    old = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = old.head()
    ops = [old.count_op(sku[n], n, base=base) for n in (30, 31, 32)]
    old.push(ops[:1])  # applied; the station never heard back

    answer = _enrol(
        shared_ledger,
        {"device_id": old.device_id, "token": old.token, "through_seq": 3, "pending": 3},
    )
    assert answer.status_code == 200, answer.text
    new = answer.json()
    assert new["adopted_device_id"] == old.device_id
    adopter = requests.Session()
    adopter.headers["Authorization"] = f"Bearer {new['token']}"
    url = f"{shared_ledger.url}/v1/sync/push"

    pushed = adopter.post(url, json={"device_id": old.device_id, "ops": ops}, timeout=30)
    beyond = old.count_op(sku[33], 33, base=base, seq=4)
    too_far = adopter.post(url, json={"device_id": old.device_id, "ops": [beyond]}, timeout=30)
    own = old.count_op(sku[34], 34, base=base, seq=4)  # the new device numbers on from 3
    mine = adopter.post(url, json={"device_id": new["device_id"], "ops": [own]}, timeout=30)

    assert pushed.status_code == 200, pushed.text
    assert [r["replayed"] for r in pushed.json()["results"]] == [True, False, False]
    assert [on_hand(shared_ledger, "BLR-01", sku[n]) for n in (30, 31, 32, 34)] == [30, 31, 32, 34]
    assert too_far.status_code >= 400 and "newer than the operations" in too_far.text
    never = shared_ledger.sql("SELECT 1 FROM ops_received WHERE op_id = :o", {"o": beyond["op_id"]})
    assert never == []
    assert mine.status_code == 200, mine.text
    assert old.push_raw([]).status_code == 401  # the old token is revoked
    again = _enrol(  # and its outbox cannot be handed over twice
        shared_ledger,
        {"device_id": old.device_id, "token": old.token, "through_seq": 3, "pending": 3},
    )
    assert again.status_code >= 400 and "already handed" in again.text


def test_an_unknown_previous_enrolment_is_refused_and_the_code_stays_usable(
    shared_ledger: RunningLedger,
) -> None:
    code = shared_ledger.enrol_code("BLR-01")
    previous = {"device_id": "dev-nobody", "token": "not-a-token", "through_seq": 5, "pending": 2}
    body = {"code": code, "station_name": "x", "station_kind": "counter", "previous": previous}

    refused = requests.post(f"{shared_ledger.url}/v1/enrol", json=body, timeout=30)
    dropped = requests.post(
        f"{shared_ledger.url}/v1/enrol",
        json={**body, "previous": {**previous, "discard": True}},
        timeout=30,
    )

    assert refused.status_code >= 400 and "--discard-pending" in refused.text
    assert dropped.status_code == 200, dropped.text  # the same code: nothing was used up
    audit = shared_ledger.sql(
        "SELECT body FROM audit_log WHERE action = 'device.discard_pending' AND body LIKE :d",
        {"d": "%dev-nobody%"},
    )
    assert len(audit) == 1 and '"previous_known":false' in audit[0][0]
