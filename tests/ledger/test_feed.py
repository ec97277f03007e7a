"""Pull and snapshot: scoped to the device's location, paged, and checked by checksums."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

import requests

from app.sync.protocol import CHECKSUM_AGGREGATES, SCOPE_COLUMNS, Scope, checksum
from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import RunningLedger


def local_checksums(rows_by_scope: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """What a station computes over its copy: the protocol aggregates in SQLite."""
    db = sqlite3.connect(":memory:")
    sums = {}
    for scope in Scope:
        columns = SCOPE_COLUMNS[scope]
        db.execute(f"CREATE TABLE {scope.value} ({', '.join(columns)})")
        rows = [
            [json.dumps(v) if isinstance(v, list | dict) else v for v in (r[c] for c in columns)]
            for r in rows_by_scope.get(scope.value, {}).values()
        ]
        marks = ", ".join("?" for _ in columns)
        db.executemany(f"INSERT INTO {scope.value} VALUES ({marks})", rows)
        values = db.execute(f"SELECT {CHECKSUM_AGGREGATES[scope]} FROM {scope.value}").fetchone()
        sums[scope.value] = checksum(values)
    db.close()
    return sums


def apply_changes(changes: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for change in changes:
        rows = state.setdefault(change["scope"], {})
        if change["data"] is None:
            rows.pop(change["key"], None)
        else:
            rows[change["key"]] = change["data"]
    return state


def location_ids(ledger: RunningLedger) -> dict[str, int]:
    return {str(code): int(i) for code, i in ledger.sql("SELECT code, id FROM locations")}


def test_pull_from_zero_in_pages_rebuilds_the_scope_and_matches_checksums(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)[30]
    station.push([station.count_op(sku, 4, base=station.head())])

    first = station.pull(0, limit=50)
    assert first["has_more"] is True and first["checksums"] == {}
    assert len(first["changes"]) == 50
    changes, last = station.pull_all(0, limit=50)

    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert last["cursor"] >= seqs[-1]
    assert last["last_applied_seq"] == 1
    assert set(last["checksums"]) == {s.value for s in Scope}
    assert local_checksums(apply_changes(changes)) == last["checksums"]
    again = station.pull(last["cursor"])
    assert again["changes"] == [] and again["has_more"] is False


def test_snapshot_pages_in_id_order_and_agrees_with_the_checksums(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "MUM-01")
    _, pulled = station.pull_all(0)
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for scope in Scope:
        after, pages = 0, 0
        while True:
            page = station.snapshot(scope.value, after=after, limit=7)
            pages += 1
            assert page["columns"] == list(SCOPE_COLUMNS[scope])
            assert page["as_of_seq"] >= 0
            ids = [row[0] for row in page["rows"]]
            assert ids == sorted(ids) and all(i > after for i in ids)
            for row in page["rows"]:
                state.setdefault(scope.value, {})[str(row[0])] = dict(
                    zip(page["columns"], row, strict=True)
                )
            if page["next_after"] is None:
                break
            assert len(page["rows"]) == 7
            after = page["next_after"]
        if len(state.get(scope.value, {})) > 7:
            assert pages > 1
    assert local_checksums(state) == pulled["checksums"]
    # As many catalog rows as items: the catalog is shared by every location.
    assert len(state["catalog"]) == len(tiny_skus(shared_ledger))


def test_a_store_never_receives_another_stores_stock_orders_or_exceptions(
    shared_ledger: RunningLedger,
) -> None:
    ids = location_ids(shared_ledger)
    blr = DeviceClient(shared_ledger, "BLR-01")
    mum = DeviceClient(shared_ledger, "MUM-01")
    sku = tiny_skus(shared_ledger)[3]  # reserved at MUM-01 by order T-1003
    mum.push([mum.count_op(sku, 0, base=mum.head())])  # opens an oversell at MUM-01
    balances = {
        str(bid): int(loc)
        for bid, loc in shared_ledger.sql("SELECT id, location_id FROM stock_balances")
    }
    fulfilment_locs = {
        str(fid): int(loc)
        for fid, loc in shared_ledger.sql("SELECT id, location_id FROM fulfilment_orders")
    }
    exception_locs = {
        str(eid): int(loc)
        for eid, loc in shared_ledger.sql("SELECT id, location_id FROM exceptions")
    }

    changes, _ = blr.pull_all(0)

    by_scope = apply_changes(changes)
    assert by_scope["stock"] and all(balances[k] == ids["BLR-01"] for k in by_scope["stock"])
    assert all(balances[k] != ids["BLR-01"] for k in by_scope["network_stock"])
    assert {balances[k] for k in by_scope["network_stock"]} == {ids["MUM-01"], ids["WH-BHW"]}
    assert by_scope["fulfilment"]
    assert all(fulfilment_locs[k] == ids["BLR-01"] for k in by_scope["fulfilment"])
    assert all(exception_locs[k] == ids["BLR-01"] for k in by_scope.get("exceptions", {}))
    for scope in ("stock", "fulfilment", "exceptions"):
        rows = blr.snapshot(scope)["rows"]
        owners = {"stock": balances, "fulfilment": fulfilment_locs, "exceptions": exception_locs}
        assert all(owners[scope][str(r[0])] == ids["BLR-01"] for r in rows)
    mumbai_exceptions = mum.snapshot("exceptions")["rows"]
    assert [r[1] for r in mumbai_exceptions] == ["oversell"]


def test_staff_scope_holds_only_who_may_work_at_the_location(
    shared_ledger: RunningLedger,
) -> None:
    """Home staff and the regional manager assigned to the store; a place M300 is not
    assigned to (the warehouse) gets no hash of hers, by snapshot or by pull."""
    blr = DeviceClient(shared_ledger, "BLR-01")
    mum = DeviceClient(shared_ledger, "MUM-01")
    wh = DeviceClient(shared_ledger, "WH-BHW")
    blr_codes = sorted(r[1] for r in blr.snapshot("staff")["rows"])
    mum_codes = sorted(r[1] for r in mum.snapshot("staff")["rows"])
    assert blr_codes == ["A100", "L200", "M300"]
    assert mum_codes == ["M300"]
    assert wh.snapshot("staff")["rows"] == []
    changes, _ = wh.pull_all(0)
    assert not [c for c in changes if c["scope"] == "staff"]
    pulled, _ = mum.pull_all(0)
    assert sorted(c["data"]["code"] for c in pulled if c["scope"] == "staff") == ["M300"]
    row = dict(zip(SCOPE_COLUMNS[Scope.STAFF], blr.snapshot("staff")["rows"][0], strict=True))
    assert row["pin_hash"].startswith("$argon2id$") and row["active"] == 1


def test_snapshot_and_pull_refuse_bad_parameters_and_skip_unknown_scopes(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    url = f"{shared_ledger.url}/v1/sync/snapshot"
    # a scope this ledger does not know (a newer station's) is one empty last page
    unknown = station.http.get(url, params={"scope": "nope"}, timeout=10)
    assert unknown.status_code == 200
    assert unknown.json()["rows"] == [] and unknown.json()["next_after"] is None
    assert (
        station.http.get(url, params={"scope": "stock", "limit": "50001"}, timeout=10).status_code
        == 422
    )
    pull = f"{shared_ledger.url}/v1/sync/pull"
    assert station.http.get(pull, params={"cursor": -1}, timeout=10).status_code == 422
    assert requests.get(pull, timeout=10).status_code == 401


def test_pulling_while_others_push_never_skips_a_change(shared_ledger: RunningLedger) -> None:
    skus = tiny_skus(shared_ledger)[10:40]
    writers = [DeviceClient(shared_ledger, "BLR-01") for _ in range(3)]
    reader = DeviceClient(shared_ledger, "BLR-01")
    errors: list[BaseException] = []

    def push_batches(station: DeviceClient, offset: int) -> None:
        try:
            for round_ in range(8):
                base = station.head()
                ops = [
                    station.count_op(sku, (offset + round_ + n) % 13, base=base)
                    for n, sku in enumerate(skus[offset : offset + 10])
                ]
                station.push(ops)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=push_batches, args=(w, 10 * i)) for i, w in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    changes: list[dict[str, Any]] = []
    cursor = 0
    while any(t.is_alive() for t in threads):
        page = reader.pull(cursor, limit=7)
        changes.extend(page["changes"])
        cursor = page["cursor"]
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    rest, last = reader.pull_all(cursor, limit=7)

    state = apply_changes(changes + rest)
    assert local_checksums(state) == last["checksums"]
    ledger_rows = {
        str(bid): int(q)
        for bid, q in shared_ledger.sql(
            "SELECT b.id, b.on_hand FROM stock_balances b JOIN locations l "
            "ON l.id = b.location_id WHERE l.code = 'BLR-01'"
        )
    }
    assert {k: r["on_hand"] for k, r in state["stock"].items()} == ledger_rows
