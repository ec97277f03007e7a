"""Pushes that arrive together share a transaction (app.ledger.push_queue): under many
stations pushing at once every operation is applied exactly once and in each station's
order, every thread is answered, and what is not a store's own counts goes straight
through. On SQLite the queue hands every push straight to app.ledger.push."""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine

from app.ledger.db import make_engine
from app.ledger.devices import revoke_device
from app.ledger.push import DeviceRevoked, PushGap
from app.ledger.push_queue import PushQueue
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpStatus, PushOp, PushRequest, PushResponse
from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.test_push_together import (
    Station,
    chains_verify,
    enrol_station,
    last_applied,
    ledger_head,
    moved,
    new_stores,
    received,
)
from tests.support.ledger import RunningLedger

PER_STATION = 5  # SKUs each station counts, its own at its store


@pytest.fixture(scope="module")
def engine(shared_ledger: RunningLedger) -> Iterator[Engine]:
    """An engine of its own with room for every pushing thread, as the server has."""
    made = make_engine(shared_ledger.db_url, pool_size=8)
    yield made
    made.dispose()


def on_pg(ledger: RunningLedger) -> bool:
    return not ledger.db_url.startswith("sqlite")


@dataclass
class Load:
    """Stations each pushing single counts in order through one queue, started at once."""

    queue: PushQueue
    stations: list[Station]
    pushes: int
    skus: list[str]
    base: int
    answers: dict[str, list[PushResponse]] = field(default_factory=lambda: defaultdict(list))
    errors: list[BaseException] = field(default_factory=list)

    def counted(self, index: int, n: int) -> tuple[str, int]:
        """The SKU and quantity of push ``n`` of station ``index``: each of a store's
        stations counts its own SKUs (the same ones at every store), each several times."""
        own = self.skus[(index % 2) * PER_STATION : (index % 2 + 1) * PER_STATION]
        return own[n % PER_STATION], (3 * n + 5 * index) % 11

    def run(self, *others: Callable[[], None]) -> None:
        """Run every station's pushes (and ``others``) from one start; every thread
        must finish, none may raise."""
        jobs = [*(partial(self._station, i) for i in range(len(self.stations))), *others]
        start = threading.Barrier(len(jobs))
        threads = [
            threading.Thread(target=self._started, args=(job, start), daemon=True) for job in jobs
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        assert not [t for t in threads if t.is_alive()], "a pushing thread was never answered"
        assert not self.errors, self.errors

    def _started(self, job: Callable[[], None], start: threading.Barrier) -> None:
        try:
            start.wait(timeout=30)
            job()
        except BaseException as exc:  # reported by run()
            self.errors.append(exc)

    def _station(self, index: int) -> None:
        station = self.stations[index]
        for n in range(self.pushes):
            sku, observed = self.counted(index, n)
            op = station.count(sku, observed, base=self.base)
            request = PushRequest(device_id=station.device.device_id, ops=[op])
            self.answers[station.device.device_id].append(self.queue.push(station.device, request))


def loaded(
    ledger: RunningLedger, engine: Engine, queue: PushQueue, stores: int, pushes: int
) -> Load:
    """Two stations at each of ``stores`` new stores, ready to push through ``queue``."""
    codes = new_stores(ledger, stores)
    stations = [enrol_station(engine, code) for code in codes for _ in range(2)]
    skus = tiny_skus(ledger)[20 : 20 + 2 * PER_STATION]
    return Load(queue, stations, pushes, skus, ledger_head(engine))


def assert_each_applied_once_in_order(ledger: RunningLedger, load: Load) -> None:
    """Every op applied once at its own store, answered in order; stock as counted."""
    seqs: list[int] = []
    for index, station in enumerate(load.stations):
        answers = load.answers[station.device.device_id]
        assert [a.last_applied_seq for a in answers] == list(range(1, load.pushes + 1))
        for n, answer in enumerate(answers):
            (result,) = answer.results
            assert result.device_seq == n + 1 and result.status is OpStatus.APPLIED, result
            assert not result.replayed and not result.exceptions, result
            assert result.ledger_seq is not None
            seqs.append(result.ledger_seq)
        assert received(ledger, station) == load.pushes == moved(ledger, station)
        assert last_applied(ledger, station) == load.pushes
        last: dict[str, int] = {}  # a station's own counts: the last one stands
        for n in range(load.pushes):
            sku, observed = load.counted(index, n)
            last[sku] = observed
        for sku, observed in last.items():
            assert on_hand(ledger, station.store, sku) == observed, (station.store, sku)
    assert len(seqs) == len(set(seqs)) == len(load.stations) * load.pushes
    assert not ledger.sql(
        "SELECT ledger_seq FROM change_log GROUP BY ledger_seq HAVING count(*) > 1"
    )
    store_of = {s.device.device_id: s.device.location_id for s in load.stations}
    placed = ledger.sql(
        "SELECT c.ledger_seq, c.location_id, r.device_id FROM change_log c "
        "JOIN stock_movements m ON m.ledger_seq = c.ledger_seq "
        f"JOIN ops_received r ON r.op_id = m.op_id WHERE r.device_id IN ({_listed(load)})"
    )
    assert sorted(seq for seq, _, _ in placed) == sorted(seqs)
    assert [(seq, at) for seq, at, device_id in placed if at != store_of[device_id]] == []
    stores = sorted(set(store_of.values()))
    chains = ledger.sql(
        "SELECT chain, count(*) FROM audit_log "
        f"WHERE chain IN ({', '.join(map(str, stores))}) GROUP BY chain ORDER BY chain"
    )
    assert chains == [(location_id, 2 * load.pushes) for location_id in stores]
    chains_verify(ledger)


def _listed(load: Load) -> str:
    """The load's device ids, as an SQL list (they are the ledger's own, no quotes)."""
    return ", ".join(f"'{s.device.device_id}'" for s in load.stations)


def groups_of(ledger: RunningLedger, load: Load) -> list[list[str]]:
    """The pushes (by device) that were applied in one transaction: one write's receipts
    share its time."""
    together: dict[object, list[str]] = defaultdict(list)
    for at, device_id in ledger.sql(
        f"SELECT received_at, device_id FROM ops_received WHERE device_id IN ({_listed(load)})"
    ):
        together[at].append(device_id)
    return list(together.values())


def assert_groups_one_per_store(ledger: RunningLedger, load: Load, most: int) -> None:
    """On PostgreSQL pushes were grouped, never two of one store or station in a group."""
    store_of = {s.device.device_id: s.device.location_id for s in load.stations}
    groups = groups_of(ledger, load)
    assert any(len(group) > 1 for group in groups), "no two pushes ever shared a transaction"
    for group in groups:
        assert len(group) <= most, group
        assert len(set(group)) == len(group), group
        assert len({store_of[d] for d in group}) == len(group), group


def test_many_stations_pushing_at_once_apply_each_op_once(
    shared_ledger: RunningLedger, engine: Engine
) -> None:
    load = loaded(shared_ledger, engine, PushQueue(engine), stores=6, pushes=15)

    load.run()

    assert_each_applied_once_in_order(shared_ledger, load)
    if on_pg(shared_ledger):
        assert_groups_one_per_store(shared_ledger, load, most=32)


def test_one_runner_and_groups_of_two_still_answer_everyone(
    shared_ledger: RunningLedger, engine: Engine
) -> None:
    load = loaded(shared_ledger, engine, PushQueue(engine, runners=1, most=2), stores=4, pushes=10)

    load.run()

    assert_each_applied_once_in_order(shared_ledger, load)
    if on_pg(shared_ledger):
        assert_groups_one_per_store(shared_ledger, load, most=2)


def _op(station: Station, op_type: str, payload: dict[str, object], actor: str) -> PushOp:
    seq = station.next_seq
    station.next_seq += 1
    return PushOp(
        op_id=uuid.uuid4().hex,
        device_seq=seq,
        type=op_type,
        payload={"location": station.store, **payload},
        actor=actor,
        device_time=datetime.now(UTC),
        base_ledger_seq=0,
    )


def test_a_push_that_is_not_only_counts_goes_straight_through(
    shared_ledger: RunningLedger, engine: Engine
) -> None:
    """A lead closes an exception while stations push counts through the same queue; a
    push of a count with it, and one of a type the ledger does not know, are answered
    too. Each went alone, as a network-wide write: its audit is chain 0's."""
    queue = PushQueue(engine)
    load = loaded(shared_ledger, engine, queue, stores=3, pushes=8)
    lead = enrol_station(engine, new_stores(shared_ledger, 1)[0])
    sku = tiny_skus(shared_ledger)[30]
    beyond = lead.count(sku, 4, base=ledger_head(engine) + 10_000)  # a base never seen
    opened = queue.push(lead.device, PushRequest(device_id=lead.device.device_id, ops=[beyond]))
    assert opened.results[0].exceptions == ["count_needs_check"]
    ((exception_id,),) = shared_ledger.sql(
        "SELECT id FROM exceptions WHERE op_id = :o", {"o": beyond.op_id}
    )
    resolve = _op(lead, "exception.resolve", {"exception_id": exception_id, "note": "ok"}, "L200")
    again = {"exception_id": exception_id, "note": "again"}
    mixed = [
        lead.count(sku, 6, base=ledger_head(engine)),
        _op(lead, "exception.resolve", again, "L200"),
    ]
    unknown = _op(lead, "shelf.future_thing", {"shelf": "A1"}, "A100")
    answers: list[PushResponse] = []

    def lead_pushes() -> None:
        for ops in ([resolve], mixed, [unknown]):
            request = PushRequest(device_id=lead.device.device_id, ops=ops)
            answers.append(queue.push(lead.device, request))

    load.run(lead_pushes)

    assert_each_applied_once_in_order(shared_ledger, load)
    assert [a.last_applied_seq for a in answers] == [2, 4, 5]
    statuses = [[r.status for r in a.results] for a in answers]
    assert statuses == [[OpStatus.APPLIED], [OpStatus.APPLIED] * 2, [OpStatus.APPLIED]]
    assert answers[2].results[0].exceptions == ["held_at_ledger"]
    assert shared_ledger.sql(
        "SELECT status FROM exceptions WHERE id = :i", {"i": exception_id}
    ) == [("resolved",)]
    assert on_hand(shared_ledger, lead.store, sku) == 6
    for op in (resolve, *mixed):
        assert shared_ledger.sql(
            "SELECT chain FROM audit_log WHERE body LIKE :p", {"p": f"%{op.op_id}%"}
        ) == [(0,)], op.type
    assert shared_ledger.sql(
        "SELECT cause FROM quarantined_ops WHERE op_id = :o", {"o": unknown.op_id}
    ) == [("unknown_type",)]
    assert received(shared_ledger, lead) == 5 == last_applied(shared_ledger, lead)
    assert shared_ledger.sql(
        "SELECT DISTINCT status FROM ops_received WHERE device_id = :d",
        {"d": lead.device.device_id},
    ) == [("applied",)]


def test_a_refused_push_raises_in_its_own_thread_only(
    shared_ledger: RunningLedger, engine: Engine
) -> None:
    queue = PushQueue(engine)
    load = loaded(shared_ledger, engine, queue, stores=3, pushes=6)
    gapped, revoked = (enrol_station(engine, s) for s in new_stores(shared_ledger, 2))
    revoke_device(engine, revoked.device.device_id)
    sku = tiny_skus(shared_ledger)[31]

    def refused(station: Station, op: PushOp, refusal: type[Exception]) -> Callable[[], None]:
        def push_it() -> None:
            with pytest.raises(refusal):
                queue.push(
                    station.device, PushRequest(device_id=station.device.device_id, ops=[op])
                )

        return push_it

    load.run(
        refused(gapped, gapped.count(sku, 3, base=load.base, seq=2), PushGap),
        refused(revoked, revoked.count(sku, 3, base=load.base), DeviceRevoked),
    )

    assert_each_applied_once_in_order(shared_ledger, load)
    for station in (gapped, revoked):
        assert (received(shared_ledger, station), last_applied(shared_ledger, station)) == (0, 0)
        assert on_hand(shared_ledger, station.store, sku) == 0


class WatchedQueue(PushQueue):
    """A PushQueue that counts the times it looked for a group and found none to take."""

    idle_takes = 0

    def _take(self) -> list[Any]:
        group = super()._take()
        if not group:
            self.idle_takes += 1
        return group


def wait_until_a_write_waits(ledger: RunningLedger) -> None:
    """Return once a PostgreSQL session waits for a store's (advisory) write lock."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
    )
    deadline = time.monotonic() + 60
    while ledger.sql(query)[0][0] == 0:
        assert time.monotonic() < deadline, "no write waited for the store"
        time.sleep(0.01)


def test_a_push_behind_its_busy_store_waits_without_spinning(
    shared_ledger: RunningLedger, engine: Engine
) -> None:
    if not on_pg(shared_ledger):
        pytest.skip("on SQLite the queue passes every push straight through")
    queue = WatchedQueue(engine, runners=2)
    store = new_stores(shared_ledger, 1)[0]
    first, second = enrol_station(engine, store), enrol_station(engine, store)
    sku = tiny_skus(shared_ledger)[32]
    base = ledger_head(engine)
    answers: list[PushResponse] = []

    def push_one(station: Station) -> None:
        op = station.count(sku, 2, base=base)
        answers.append(
            queue.push(station.device, PushRequest(device_id=station.device.device_id, ops=[op]))
        )

    with engine.connect() as holder:
        in_flight = holder.begin()
        WriteBatch(holder, locations=[first.device.location_id])  # the store is writing
        pushing = [
            threading.Thread(target=push_one, args=(s,), daemon=True) for s in (first, second)
        ]
        pushing[0].start()
        wait_until_a_write_waits(shared_ledger)  # the first push's group waits for the store
        pushing[1].start()
        for _ in range(50):  # while the ledger answers 50 queries, the second push waits
            shared_ledger.sql("SELECT 1")
        idle = queue.idle_takes
        in_flight.rollback()
    for thread in pushing:
        thread.join(timeout=60)

    assert [a.last_applied_seq for a in answers] == [1, 1]
    assert idle < 50, f"{idle} looks for a group while one store's write was in flight"
