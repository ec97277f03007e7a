"""A "poison" operation: it passes the rules, but applying it raises.

Without the fallback such an operation fails its whole batch every time (HTTP 500) and every
later operation of the station waits behind it. Now it is held at the ledger (quarantined):
its device_seq is consumed, the station is answered ``applied`` with ``held_at_ledger``,
the operations around it apply, and IT can replay it. The poison ops here are real ones,
found per database: SQLite holds integers up to 64 bits and the domain does not cap an
order id; PostgreSQL text cannot hold NUL, and no driver encodes a lone surrogate, while a
count's SKU reaches the catalog lookup unchanged and a cancel's reason the timeline. (The
ledger's gate refuses such text outside the operations' payloads with 422 before a push
is read, so the payloads carry them here.)
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.errors import KnownError
from app.ledger.quarantine import HELD, list_held, replay
from app.ledger.quarantine import is_transient as is_transient_failure
from tests.ledger.conftest import DeviceClient, on_hand, tiny_skus
from tests.ledger.pickup_support import Counter, place_pickup, timeline
from tests.support.ledger import RunningLedger

HELD_START = "Held at the ledger (quarantine "


def _on_sqlite(ledger: RunningLedger) -> bool:
    return ledger.db_url.startswith("sqlite")


def _poison(ledger: RunningLedger, counter: Counter, sku: str) -> tuple[dict[str, Any], str]:
    """A real operation this ledger's database refuses, and the error class it meets."""
    if _on_sqlite(ledger):
        return counter.op("pickup.accept", 2**64), "OverflowError"
    return counter.count_op(sku + "\x00", 4, base=counter.head()), "DataError"


def _count(ledger: RunningLedger, table: str, column: str, value: str) -> int:
    rows = ledger.sql(f"SELECT count(*) FROM {table} WHERE {column} = :v", {"v": value})
    return int(rows[0][0])


def _last_applied(ledger: RunningLedger, device_id: str) -> int:
    rows = ledger.sql("SELECT last_applied_seq FROM devices WHERE device_id = :d", {"d": device_id})
    return int(rows[0][0])


def test_poison_op_is_held_and_the_ops_around_it_apply(shared_ledger: RunningLedger) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    before = counter.count_op(sku[20], 6, base=base)
    poison, error = _poison(shared_ledger, counter, sku[21])
    after = counter.count_op(sku[22], 8, base=base)

    answer = counter.push([before, poison, after])

    kept = answer["results"][1]
    assert [r["status"] for r in answer["results"]] == ["applied"] * 3
    assert kept["reason"].startswith(HELD_START) and "do not record it again" in kept["next_step"]
    assert kept["ledger_seq"] is None and kept["exceptions"] == ["held_at_ledger"]
    assert answer["last_applied_seq"] == 3 == _last_applied(shared_ledger, counter.device_id)
    assert on_hand(shared_ledger, "BLR-01", sku[20]) == 6
    assert on_hand(shared_ledger, "BLR-01", sku[22]) == 8
    # Nothing of the poison op was applied; it is stored as held, listed and flagged.
    op_id = poison["op_id"]
    assert _count(shared_ledger, "stock_movements", "op_id", op_id) == 0
    assert _count(shared_ledger, "fulfilment_events", "op_id", op_id) == 0
    assert shared_ledger.sql(
        "SELECT count(*) FROM audit_log WHERE body LIKE :p", {"p": f"%{op_id}%"}
    ) == [(0,)]
    assert shared_ledger.sql(
        "SELECT status, ledger_seq FROM ops_received WHERE op_id = :o", {"o": op_id}
    ) == [("applied", None)]
    listed = [h for h in list_held(shared_ledger.engine) if h.op_id == op_id]
    assert len(listed) == 1 and listed[0].cause == "failed" and error in listed[0].error
    assert listed[0].device_seq == 2 and listed[0].status == HELD
    flags = shared_ledger.sql("SELECT kind, message FROM exceptions WHERE op_id = :o", {"o": op_id})
    assert len(flags) == 1 and flags[0][0] == "held_at_ledger"
    assert f"quarantine {listed[0].id}" in flags[0][1]
    changes, _ = counter.pull_all(base)
    flagged = [c["data"] for c in changes if c["scope"] == "exceptions"]
    assert [(f["kind"], f["op_id"]) for f in flagged] == [("held_at_ledger", op_id)]
    # IT finds the whole error in the ledger's log, under the operation's id.
    logged = [line for line in shared_ledger.log_tail(20_000).splitlines() if op_id in line]
    assert len(logged) == 1 and error in logged[0] and "held in quarantine" in logged[0]


def test_a_count_of_a_lone_surrogate_sku_moves_the_queue_on(
    shared_ledger: RunningLedger,
) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    poison = counter.count_op("\udcff", 3, base=base)  # JSON "\udcff": no driver encodes it

    answer = counter.push([poison, counter.count_op(sku[37], 4, base=base)])

    assert [r["exceptions"] for r in answer["results"]] == [["held_at_ledger"], []]
    assert answer["last_applied_seq"] == 2 and on_hand(shared_ledger, "BLR-01", sku[37]) == 4
    (held,) = [h for h in list_held(shared_ledger.engine) if h.op_id == poison["op_id"]]
    assert held.error.startswith("UnicodeEncodeError")
    # No fix makes that SKU storable: a replay fails again, and it stays held.
    again = replay(shared_ledger.engine, held.id)
    assert again.status == HELD and again.error.startswith("UnicodeEncodeError")
    (still,) = [h for h in list_held(shared_ledger.engine) if h.id == held.id]
    assert still.attempts == 2
    assert counter.push([counter.count_op(sku[38], 2, base=base)])["last_applied_seq"] == 3


def test_replaying_the_batch_returns_the_same_results(shared_ledger: RunningLedger) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    before = counter.count_op(sku[24], 3, base=base)
    poison, _ = _poison(shared_ledger, counter, sku[23])
    ops = [before, poison, counter.count_op(sku[25], 2, base=base)]
    first = counter.push(ops)

    again = counter.push(ops)

    assert [r["replayed"] for r in again["results"]] == [True, True, True]
    assert [dict(r, replayed=False) for r in again["results"]] == first["results"]
    assert again["last_applied_seq"] == 3
    assert _count(shared_ledger, "ops_received", "device_id", counter.device_id) == 3
    assert _count(shared_ledger, "exceptions", "op_id", poison["op_id"]) == 1
    assert on_hand(shared_ledger, "BLR-01", sku[24]) == 3
    # The station is not stuck: its next operation applies as usual.
    nxt = counter.push([counter.count_op(sku[26], 1, base=base)])
    assert nxt["results"][0]["status"] == "applied" and nxt["last_applied_seq"] == 4


def test_two_poison_ops_in_one_batch_one_failing_before_any_op(
    shared_ledger: RunningLedger,
) -> None:
    if _on_sqlite(shared_ledger):
        pytest.skip("SQLite stores NUL in text; its poison op is an order id (tests above)")
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    # A SKU with NUL fails the batch's catalog look-up, before any op is applied.
    bad_sku = counter.count_op(sku[27] + "\x00", 5, base=base)
    good = counter.count_op(sku[28], 7, base=base)
    # A cancel whose reason no driver encodes fails on the order's timeline, mid-way.
    fo = place_pickup(shared_ledger, "WEB-9102", [(sku[29], 1)])["fulfilment_orders"][0]["id"]
    bad_reason = counter.op("pickup.cancel", fo, reason="customer \udcff")
    stocked = on_hand(shared_ledger, "BLR-01", sku[29])

    answer = counter.push([bad_sku, good, bad_reason])

    assert [r["exceptions"] for r in answer["results"]] == [
        ["held_at_ledger"],
        [],
        ["held_at_ledger"],
    ]
    assert answer["last_applied_seq"] == 3
    assert on_hand(shared_ledger, "BLR-01", sku[28]) == 7
    assert on_hand(shared_ledger, "BLR-01", sku[29]) == stocked
    assert shared_ledger.sql("SELECT state FROM fulfilment_orders WHERE id = :f", {"f": fo}) == [
        ("routed",)
    ]


def test_a_control_character_in_free_text_is_dropped_not_fatal(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[30]
    fo = place_pickup(shared_ledger, "WEB-9101", [(a, 1)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")

    results = counter.send(counter.op("pickup.cancel", fo, reason="customer\x00 changed\x1d mind"))

    assert results[0]["status"] == "applied", results
    notes = [e["note"] for e in timeline(shared_ledger, "WEB-9101")["events"]]
    assert any(note.endswith(": customer changed mind") for note in notes), notes


def test_only_failures_not_of_the_op_are_retried_instead_of_held() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    failures: list[BaseException] = []
    for statement, params in [
        ("INSERT INTO t VALUES (1)", {}),  # IntegrityError: held (a second try first)
        ("SELECT * FROM t WHERE id = :i", {"i": 2**64}),  # OverflowError: held
        ("SELECT * FROM missing", {}),  # OperationalError: the ledger's, retried
    ]:
        with pytest.raises(Exception) as caught, engine.begin() as conn:
            conn.execute(text(statement), params)
        failures.append(caught.value)
    lost = DBAPIError("SELECT 1", {}, Exception("server closed"), connection_invalidated=True)
    assert [is_transient_failure(f) for f in failures] == [False, False, True]
    assert is_transient_failure(lost)
    assert not is_transient_failure(KeyError("a bug in our code is held, not retried"))
    assert not is_transient_failure(KnownError("nor is a rule's refusal"))


def test_a_batch_without_poison_applies_in_one_go(shared_ledger: RunningLedger) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    ops = [station.count_op(sku[n], n % 5, base=base) for n in range(31, 36)]

    answer = station.push(ops)

    assert [r["status"] for r in answer["results"]] == ["applied"] * 5
    assert station.device_id not in shared_ledger.log_tail(20_000)  # no fallback ran
