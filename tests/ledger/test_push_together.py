"""Pushes of several stations, each at its own store, applied in one transaction
(app.ledger.push_together): every push gets the answer it would get alone, and the
ledger holds what pushing them one by one would leave. On SQLite the group goes one by
one from the start, with the same answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, select

from app.ledger.audit import verify_chain
from app.ledger.devices import DeviceRef, create_enrol_code, enrol, revoke_device
from app.ledger.models import Location, table_of
from app.ledger.push import DeviceRevoked, PushGap, PushReused, push
from app.ledger.push_together import Outcome, Pushed, push_together
from app.ledger.sequencer import safe_seq
from app.sync.protocol import EnrolRequest, OpResult, OpStatus, PushOp, PushRequest, PushResponse
from tests.ledger.conftest import movement_sum, on_hand, tiny_skus
from tests.support.ledger import RunningLedger

locations = table_of(Location)


# --- stations and stores, made straight in the ledger's database ---------------------


@dataclass(eq=False)  # one station is only ever equal to itself
class Station:
    """A station enrolled at a store, making its operations as a station does."""

    device: DeviceRef
    next_seq: int = 1

    @property
    def store(self) -> str:
        return self.device.location_code

    def count(
        self,
        sku: str,
        observed: int,
        *,
        base: int,
        seq: int | None = None,
        op_id: str | None = None,
    ) -> PushOp:
        """A stock.count of this station's store; takes the next device_seq unless given."""
        if seq is None:
            seq = self.next_seq
            self.next_seq += 1
        return PushOp(
            op_id=op_id or uuid.uuid4().hex,
            device_seq=seq,
            type="stock.count",
            payload={
                "location": self.store,
                "sku": sku,
                "bucket": "sellable",
                "observed": observed,
            },
            actor="A100",
            device_time=datetime.now(UTC),
            base_ledger_seq=base,
        )

    def pushed(self, *ops: PushOp) -> Pushed:
        return Pushed(self.device, PushRequest(device_id=self.device.device_id, ops=list(ops)))


def new_stores(ledger: RunningLedger, count: int) -> list[str]:
    """``count`` new stores, copies of BLR-01 with no stock of their own yet."""
    with ledger.engine.begin() as conn:
        model = conn.execute(select(locations).where(locations.c.code == "BLR-01")).one()
        row = {k: v for k, v in model._mapping.items() if k != "id"}
        codes = [f"PT-{uuid.uuid4().hex[:10]}" for _ in range(count)]
        conn.execute(insert(locations), [{**row, "code": c, "name": f"Store {c}"} for c in codes])
    return codes


def enrol_station(engine: Engine, store: str) -> Station:
    got = enrol(engine, EnrolRequest(code=create_enrol_code(engine, store), station_name="t"))
    with engine.connect() as conn:
        location_id = conn.execute(
            select(locations.c.id).where(locations.c.code == store)
        ).scalar_one()
    return Station(DeviceRef(got.device_id, int(location_id), store, "counter"))


def ledger_head(engine: Engine) -> int:
    """What a station that has just pulled everything holds as its base."""
    with engine.connect() as conn:
        return safe_seq(conn)


# --- what the database holds -----------------------------------------------------------


def scalar(ledger: RunningLedger, statement: str, **params: object) -> int:
    return int(ledger.sql(statement, params)[0][0])


def last_applied(ledger: RunningLedger, station: Station) -> int:
    return scalar(
        ledger,
        "SELECT last_applied_seq FROM devices WHERE device_id = :d",
        d=station.device.device_id,
    )


def received(ledger: RunningLedger, station: Station) -> int:
    return scalar(
        ledger, "SELECT count(*) FROM ops_received WHERE device_id = :d", d=station.device.device_id
    )


def moved(ledger: RunningLedger, station: Station) -> int:
    """Movements this station's operations made."""
    return scalar(
        ledger,
        "SELECT count(*) FROM stock_movements WHERE device_id = :d",
        d=station.device.device_id,
    )


def chains_verify(ledger: RunningLedger) -> None:
    with ledger.engine.connect() as conn:
        report = verify_chain(conn)
    assert report.ok, report


def assert_applied_once(ledger: RunningLedger, pushed: Pushed, outcome: Outcome) -> None:
    """``outcome`` applied every op of ``pushed`` (all new), and the ledger holds each once,
    at the ledger_seq answered, in the store's rows and the store's audit chain."""
    ops = pushed.request.ops
    assert isinstance(outcome, PushResponse), outcome
    assert outcome.last_applied_seq == ops[-1].device_seq
    assert [(r.op_id, r.device_seq) for r in outcome.results] == [
        (op.op_id, op.device_seq) for op in ops
    ]
    location_id = pushed.device.location_id
    for result in outcome.results:
        assert result.status is OpStatus.APPLIED and not result.replayed, result
        assert result.ledger_seq is not None, result
        stored = ledger.sql(
            "SELECT device_id, status, ledger_seq FROM ops_received WHERE op_id = :o",
            {"o": result.op_id},
        )
        assert stored == [(pushed.device.device_id, "applied", result.ledger_seq)]
        assert ledger.sql(
            "SELECT ledger_seq, location_id FROM stock_movements WHERE op_id = :o",
            {"o": result.op_id},
        ) == [(result.ledger_seq, location_id)]
        assert ledger.sql(
            "SELECT location_id FROM change_log WHERE ledger_seq = :s", {"s": result.ledger_seq}
        ) == [(location_id,)]
        chains = ledger.sql(
            "SELECT chain FROM audit_log WHERE body LIKE :p", {"p": f"%{result.op_id}%"}
        )
        assert chains and {c for (c,) in chains} == {location_id}, chains


def assert_replays_alone(engine: Engine, pushed: Pushed, outcome: Outcome) -> None:
    """Pushed again alone, ``pushed`` is answered with what ``outcome`` said (replayed)."""
    assert isinstance(outcome, PushResponse), outcome
    again = push(engine, pushed.device, pushed.request)
    assert again.last_applied_seq == outcome.last_applied_seq
    assert again.results == [r.model_copy(update={"replayed": True}) for r in outcome.results]


def on_pg(ledger: RunningLedger) -> bool:
    return not ledger.db_url.startswith("sqlite")


def results(outcome: Outcome) -> list[OpResult]:
    assert isinstance(outcome, PushResponse), outcome
    return outcome.results


def received_at(ledger: RunningLedger, op_ids: list[str]) -> set[object]:
    """When the ledger received ``op_ids``: a write's receipts share its time."""
    listed = ", ".join(f"'{op_id}'" for op_id in op_ids)  # our own hex ids
    return {
        at
        for (at,) in ledger.sql(f"SELECT received_at FROM ops_received WHERE op_id IN ({listed})")
    }


def shape(outcome: Outcome) -> object:
    """What an answer says, without the ids and seqs that differ between two stations."""
    if isinstance(outcome, Exception):
        return type(outcome).__name__
    return outcome.last_applied_seq, [
        (r.device_seq, r.status, r.reason, r.exceptions, r.replayed, r.ledger_seq is None)
        for r in outcome.results
    ]


# --- the tests -------------------------------------------------------------------------


def test_four_stores_pushed_together_answer_and_post_as_each_alone(
    shared_ledger: RunningLedger,
) -> None:
    """Each store has history (another station's counts since the group's base): the
    group's counts supersede them, and a count at base 0 of a shelf another station
    counted cannot be vouched for. Twin stores with the same history get the same
    pushes one by one: the answers and the stock must be the same."""
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    a, b, c = sku[10], sku[11], sku[12]
    stores = new_stores(shared_ledger, 8)
    grouped, alone = stores[:4], stores[4:]
    counting = {store: enrol_station(engine, store) for store in stores}
    base = ledger_head(engine)
    for store in stores:  # another station counts a (and c at some stores) after base
        other = enrol_station(engine, store)
        ops = [other.count(a, 10, base=base)]
        if store in (grouped[2], alone[2], grouped[3], alone[3]):
            ops.append(other.count(c, 2, base=base))
        assert push(engine, other.device, other.pushed(*ops).request).last_applied_seq == len(ops)

    counts = [  # (sku, observed, base) of each store's push
        [(a, 7, base)],
        [(a, 7, base), (b, 5, base), (c, 4, 0)],  # nobody else counted c here: vouched
        [(b, 5, base), (a, 7, base), (c, 1, 0)],
        [(c, 3, base), (b, 6, base)],
    ]

    def batches(station: Station, n: int) -> Pushed:
        return station.pushed(*(station.count(s, q, base=at) for s, q, at in counts[n]))

    pushes = [batches(counting[store], n) for n, store in enumerate(grouped)]
    singles = [batches(counting[store], n) for n, store in enumerate(alone)]

    outcomes = push_together(engine, pushes)
    one_by_one: list[Outcome] = [push(engine, p.device, p.request) for p in singles]

    assert [shape(o) for o in outcomes] == [shape(o) for o in one_by_one]
    exceptions = [[r.exceptions for r in results(o)] for o in outcomes]
    assert exceptions == [[[]], [[], [], []], [[], [], ["count_needs_check"]], [[], []]]
    for pushed, outcome in zip(pushes, outcomes, strict=True):
        assert_applied_once(shared_ledger, pushed, outcome)
        station = counting[pushed.device.location_code]
        assert last_applied(shared_ledger, station) == len(pushed.request.ops)
        assert received(shared_ledger, station) == moved(shared_ledger, station)
        assert received(shared_ledger, station) == len(pushed.request.ops)
    # What each store holds: the newest count of each shelf, as at its twin.
    expected = [{a: 7, b: 0, c: 0}, {a: 7, b: 5, c: 4}, {a: 7, b: 5, c: 1}, {a: 10, b: 6, c: 3}]
    for n, (mine, twin) in enumerate(zip(grouped, alone, strict=True)):
        for item, quantity in expected[n].items():
            assert on_hand(shared_ledger, mine, item) == quantity, (n, item)
            assert on_hand(shared_ledger, twin, item) == quantity, (n, item)
            assert movement_sum(shared_ledger, mine, item) == quantity, (n, item)
    flagged = shared_ledger.sql(
        "SELECT l.code FROM exceptions e JOIN locations l ON l.id = e.location_id "
        "WHERE e.kind = 'count_needs_check' AND l.code IN (:g1, :g2, :g3)",
        {"g1": grouped[1], "g2": grouped[2], "g3": grouped[3]},
    )
    assert flagged == [(grouped[2],)]
    chains_verify(shared_ledger)
    for pushed, outcome in zip(pushes, outcomes, strict=True):
        assert_replays_alone(engine, pushed, outcome)
    assert [received(shared_ledger, counting[s]) for s in grouped] == [1, 3, 3, 2]
    # On PostgreSQL the four were one transaction (one write time); on SQLite one by one.
    times = received_at(shared_ledger, [r.op_id for o in outcomes for r in results(o)])
    assert len(times) == (1 if on_pg(shared_ledger) else len(pushes))


def test_a_gap_a_revoked_station_and_a_replay_keep_their_own_answers(
    shared_ledger: RunningLedger,
) -> None:
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    stores = new_stores(shared_ledger, 5)
    fresh, gapped, revoked, replayed, partly = (enrol_station(engine, s) for s in stores)
    base = ledger_head(engine)
    earlier = replayed.pushed(replayed.count(sku[13], 4, base=base))
    first = push(engine, earlier.device, earlier.request)
    sent = [partly.count(sku[13], 2, base=base), partly.count(sku[14], 3, base=base)]
    push(engine, partly.device, partly.pushed(*sent).request)
    revoke_device(engine, revoked.device.device_id)
    pushes = [
        fresh.pushed(fresh.count(sku[13], 1, base=base), fresh.count(sku[14], 2, base=base)),
        gapped.pushed(gapped.count(sku[13], 9, base=base, seq=2)),
        revoked.pushed(revoked.count(sku[13], 9, base=base)),
        earlier,
        partly.pushed(*sent, partly.count(sku[15], 8, base=base)),
    ]

    outcomes = push_together(engine, pushes)

    assert_applied_once(shared_ledger, pushes[0], outcomes[0])
    gap = outcomes[1]
    assert isinstance(gap, PushGap) and gap.body.expected_seq == 1
    assert isinstance(outcomes[2], DeviceRevoked)
    for station in (gapped, revoked):
        assert (received(shared_ledger, station), last_applied(shared_ledger, station)) == (0, 0)
        assert on_hand(shared_ledger, station.store, sku[13]) == 0
    again = outcomes[3]
    assert isinstance(again, PushResponse)
    assert again.results == [r.model_copy(update={"replayed": True}) for r in first.results]
    assert again.last_applied_seq == 1
    mixed = outcomes[4]
    assert isinstance(mixed, PushResponse)
    assert [r.replayed for r in mixed.results] == [True, True, False]
    assert mixed.last_applied_seq == 3 == last_applied(shared_ledger, partly)
    assert mixed.results[2].status is OpStatus.APPLIED and mixed.results[2].ledger_seq
    # The refusals did not break the group up: the new ops were written together.
    new = [r.op_id for r in results(outcomes[0])] + [mixed.results[2].op_id]
    assert len(received_at(shared_ledger, new)) == (1 if on_pg(shared_ledger) else 2)
    for station, ops in ((replayed, 1), (partly, 3), (fresh, 2)):
        assert received(shared_ledger, station) == ops == moved(shared_ledger, station)
    wanted = {(replayed, sku[13]): 4, (partly, sku[13]): 2, (partly, sku[15]): 8}
    for (station, item), quantity in wanted.items():
        assert on_hand(shared_ledger, station.store, item) == quantity
        assert movement_sum(shared_ledger, station.store, item) == quantity
    chains_verify(shared_ledger)


@pytest.mark.parametrize("poison", ["nul", "surrogate"])
def test_a_poison_op_is_held_and_the_group_applies_each_once(
    shared_ledger: RunningLedger, poison: str
) -> None:
    """As in test_push_poison: a SKU PostgreSQL text cannot hold (NUL), or that no driver
    encodes (a lone surrogate); SQLite stores NUL, so that one is PostgreSQL's only."""
    if poison == "nul" and not on_pg(shared_ledger):
        pytest.skip("SQLite stores NUL in text: such a count is no poison there")
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    stores = new_stores(shared_ledger, 3)
    before, sick, after = (enrol_station(engine, s) for s in stores)
    base = ledger_head(engine)
    bad_sku = sku[16] + "\x00" if poison == "nul" else "\udcff"
    bad = sick.count(bad_sku, 4, base=base, seq=2)
    pushes = [
        before.pushed(before.count(sku[16], 3, base=base)),
        sick.pushed(
            sick.count(sku[16], 5, base=base, seq=1), bad, sick.count(sku[17], 6, base=base, seq=3)
        ),
        after.pushed(after.count(sku[16], 7, base=base), after.count(sku[17], 1, base=base)),
    ]

    outcomes = push_together(engine, pushes)

    assert_applied_once(shared_ledger, pushes[0], outcomes[0])
    assert_applied_once(shared_ledger, pushes[2], outcomes[2])
    held = outcomes[1]
    assert isinstance(held, PushResponse), held
    assert [r.status for r in held.results] == [OpStatus.APPLIED] * 3
    assert [r.exceptions for r in held.results] == [[], ["held_at_ledger"], []]
    assert held.results[1].ledger_seq is None and held.last_applied_seq == 3
    assert last_applied(shared_ledger, sick) == 3 == received(shared_ledger, sick)
    assert moved(shared_ledger, sick) == 2
    assert shared_ledger.sql(
        "SELECT device_id, device_seq, status, cause FROM quarantined_ops WHERE op_id = :o",
        {"o": bad.op_id},
    ) == [(sick.device.device_id, 2, "held", "failed")]
    assert shared_ledger.sql(
        "SELECT count(*) FROM stock_movements WHERE op_id = :o", {"o": bad.op_id}
    ) == [(0,)]
    counted = [(before, sku[16], 3), (sick, sku[16], 5), (sick, sku[17], 6), (after, sku[16], 7)]
    for station, item, quantity in counted:
        assert on_hand(shared_ledger, station.store, item) == quantity
        assert movement_sum(shared_ledger, station.store, item) == quantity
    for station, ops in ((before, 1), (after, 2)):
        assert received(shared_ledger, station) == ops == moved(shared_ledger, station)
        assert last_applied(shared_ledger, station) == ops
    chains_verify(shared_ledger)
    assert_replays_alone(engine, pushes[1], held)


def test_an_op_id_sent_by_two_stations_of_one_group_is_applied_once(
    shared_ledger: RunningLedger,
) -> None:
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    stores = new_stores(shared_ledger, 3)
    one, two, bystander = (enrol_station(engine, s) for s in stores)
    base = ledger_head(engine)
    shared_id = uuid.uuid4().hex
    pushes = [
        one.pushed(one.count(sku[18], 4, base=base, op_id=shared_id)),
        bystander.pushed(bystander.count(sku[18], 2, base=base)),
        two.pushed(
            two.count(sku[19], 1, base=base), two.count(sku[18], 9, base=base, op_id=shared_id)
        ),
    ]

    outcomes = push_together(engine, pushes)

    assert_applied_once(shared_ledger, pushes[1], outcomes[1])
    reused = [o for o in (outcomes[0], outcomes[2]) if isinstance(o, PushReused)]
    applied = [
        (pushed, o)
        for pushed, o in ((pushes[0], outcomes[0]), (pushes[2], outcomes[2]))
        if isinstance(o, PushResponse)
    ]
    assert len(reused) == 1 and len(applied) == 1, outcomes
    assert reused[0].body.op_id == shared_id
    assert_applied_once(shared_ledger, *applied[0])
    assert shared_ledger.sql(
        "SELECT count(*) FROM ops_received WHERE op_id = :o", {"o": shared_id}
    ) == [(1,)]
    assert shared_ledger.sql(
        "SELECT count(*) FROM stock_movements WHERE op_id = :o", {"o": shared_id}
    ) == [(1,)]
    winner = applied[0][0].device.device_id
    loser = two if winner == one.device.device_id else one
    assert (received(shared_ledger, loser), last_applied(shared_ledger, loser)) == (0, 0)
    assert moved(shared_ledger, loser) == 0
    assert on_hand(shared_ledger, loser.store, sku[18]) == 0
    assert on_hand(shared_ledger, loser.store, sku[19]) == 0
    # An op id already received (from an earlier push) is refused alone, in the group.
    late = [
        one.pushed(one.count(sku[19], 3, base=base)),
        bystander.pushed(bystander.count(sku[19], 6, base=base, op_id=shared_id)),
    ]
    after = push_together(engine, late)
    assert_applied_once(shared_ledger, late[0], after[0])
    assert isinstance(after[1], PushReused)
    assert received(shared_ledger, bystander) == 1 == last_applied(shared_ledger, bystander)
    assert on_hand(shared_ledger, bystander.store, sku[19]) == 0
    chains_verify(shared_ledger)


def test_two_pushes_of_one_store_or_one_station_are_answered_as_alone(
    shared_ledger: RunningLedger,
) -> None:
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    shop, other = new_stores(shared_ledger, 2)
    left, right, away = (enrol_station(engine, s) for s in (shop, shop, other))
    base = ledger_head(engine)
    same_store = [
        left.pushed(left.count(sku[20], 3, base=base)),
        away.pushed(away.count(sku[20], 8, base=base)),
        right.pushed(right.count(sku[21], 4, base=base), right.count(sku[22], 1, base=base)),
    ]

    outcomes = push_together(engine, same_store)

    for pushed, outcome in zip(same_store, outcomes, strict=True):
        assert_applied_once(shared_ledger, pushed, outcome)
    assert [on_hand(shared_ledger, shop, s) for s in sku[20:23]] == [3, 4, 1]
    every = [r.op_id for o in outcomes for r in results(o)]
    assert len(received_at(shared_ledger, every)) == 3  # one by one, on either database
    assert on_hand(shared_ledger, other, sku[20]) == 8
    # One station twice: its pushes in order, then the same push again (a retry).
    first = left.pushed(left.count(sku[23], 5, base=base))
    second = left.pushed(left.count(sku[23], 6, base=base), left.count(sku[24], 2, base=base))
    elsewhere = away.pushed(away.count(sku[23], 1, base=base))

    outcomes = push_together(engine, [first, elsewhere, second, second])

    for pushed, outcome in zip([first, elsewhere, second], outcomes[:3], strict=True):
        assert_applied_once(shared_ledger, pushed, outcome)
    again = outcomes[3]
    assert isinstance(again, PushResponse) and isinstance(outcomes[2], PushResponse)
    assert again.results == [r.model_copy(update={"replayed": True}) for r in outcomes[2].results]
    assert last_applied(shared_ledger, left) == 4 == received(shared_ledger, left)
    assert moved(shared_ledger, left) == 4
    assert on_hand(shared_ledger, shop, sku[23]) == 6
    assert movement_sum(shared_ledger, shop, sku[23]) == 6
    assert on_hand(shared_ledger, shop, sku[24]) == 2
    assert on_hand(shared_ledger, other, sku[23]) == 1
    chains_verify(shared_ledger)


def test_a_group_of_pushes_refused_or_replayed_only_writes_nothing(
    shared_ledger: RunningLedger,
) -> None:
    engine = shared_ledger.engine
    sku = tiny_skus(shared_ledger)
    stores = new_stores(shared_ledger, 2)
    done, gapped = (enrol_station(engine, s) for s in stores)
    base = ledger_head(engine)
    earlier = done.pushed(done.count(sku[25], 2, base=base))
    first = push(engine, earlier.device, earlier.request)
    ids = {"a": done.device.location_id, "b": gapped.device.location_id}
    in_stores = "SELECT count(*) FROM change_log WHERE location_id IN (:a, :b)"
    changes = scalar(shared_ledger, in_stores, **ids)

    outcomes = push_together(
        engine, [earlier, gapped.pushed(gapped.count(sku[25], 1, base=base, seq=3))]
    )

    replay = outcomes[0]
    assert isinstance(replay, PushResponse)
    assert replay.results == [r.model_copy(update={"replayed": True}) for r in first.results]
    assert isinstance(outcomes[1], PushGap) and outcomes[1].body.expected_seq == 1
    assert scalar(shared_ledger, in_stores, **ids) == changes
    assert received(shared_ledger, done) == 1 and received(shared_ledger, gapped) == 0
