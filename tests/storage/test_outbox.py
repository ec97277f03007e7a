"""The outbox: gapless device_seq under concurrent writers, results, effects, pruning."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from app.storage import catalog, device, outbox
from app.storage.engine import Database, raw_connection
from app.storage.models import OutboxOp, PendingStock
from tests.storage.seed import T0, seed


def _append(db: Database, n: int = 1, *, delta: int = 1) -> list[outbox.Appended]:
    out = []
    for _ in range(n):
        with db.writing() as session:
            out.append(
                outbox.append(
                    session,
                    op_type="stock.count",
                    payload={"location": "BLR-01", "sku": "SKU-0001", "observed": 3},
                    actor="A100",
                    base_ledger_seq=0,
                    now=T0,
                    effects=(outbox.Effect(1, "sellable", delta),),
                )
            )
    return out


def test_device_seq_is_gapless_under_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    first = Database(path)
    seed(first, items=2)
    # separate engines, as separate processes would have
    dbs = [first, *(Database(path) for _ in range(3))]
    errors: list[BaseException] = []

    def work(db: Database) -> None:
        try:
            _append(db, 50)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(db,)) for db in dbs for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with first.reading() as session:
        seqs = session.scalars(select(OutboxOp.device_seq).order_by(OutboxOp.device_seq)).all()
        effects = session.scalar(select(func.count()).select_from(PendingStock))
    assert seqs == list(range(1, 401))
    assert effects == 400
    for db in dbs:
        db.dispose()


def test_a_rolled_back_append_consumes_no_seq(seeded: Database) -> None:
    try:
        with seeded.writing() as session:
            outbox.append(
                session, op_type="stock.count", payload={}, actor=None, base_ledger_seq=0, now=T0
            )
            raise RuntimeError("the use case failed after queueing")
    except RuntimeError:
        pass
    (appended,) = _append(seeded)
    assert appended.device_seq == 1


def test_results_rejected_drop_effect_applied_keep_it_until_pulled(seeded: Database) -> None:
    a, b = _append(seeded, 2)
    with seeded.writing() as session:
        outbox.record_outcomes(
            session,
            [
                outbox.OpOutcome(a.op_id, 1, "applied", 40, {"status": "applied"}),
                outbox.OpOutcome(b.op_id, 2, "rejected", None, {"reason": "no"}),
            ],
            T0,
        )
    with seeded.reading() as session:
        left = session.scalars(select(PendingStock.op_id)).all()
        assert left == [a.op_id]
        assert outbox.pending_summary(session) == (0, None)
        assert outbox.max_confirmed_seq(session) == 2
    with seeded.writing() as session:
        assert outbox.drop_pulled_effects(session, 39) == 0
        assert outbox.drop_pulled_effects(session, 40) == 1


def test_pending_batch_is_in_seq_order_and_repend_resends(seeded: Database) -> None:
    ops = _append(seeded, 5)
    with seeded.writing() as session:
        outbox.record_outcomes(
            session,
            [
                outbox.OpOutcome(o.op_id, o.device_seq, "applied", 10 + i, {})
                for i, o in enumerate(ops)
            ],
            T0,
        )
        assert outbox.pending_batch(session, 10) == []
        assert outbox.repend_from(session, 3) == 3
        batch = outbox.pending_batch(session, 2)
    assert [q.device_seq for q in batch] == [3, 4]
    assert batch[0].device_time == T0


def test_pending_summary_reports_count_and_oldest(seeded: Database) -> None:
    _append(seeded, 3)
    with seeded.reading() as session:
        assert outbox.pending_summary(session) == (3, T0)


def test_confirmed_ops_are_kept_30_days(seeded: Database) -> None:
    a, b, c = _append(seeded, 3)
    with seeded.writing() as session:
        outbox.record_outcomes(session, [outbox.OpOutcome(a.op_id, 1, "applied", 5, {})], T0)
        outbox.record_outcomes(session, [outbox.OpOutcome(b.op_id, 2, "rejected", None, {})], T0)
        assert outbox.prune(session, T0 + timedelta(days=29)) == 0
        assert outbox.prune(session, T0 + timedelta(days=31)) == 1  # rejected stays unresolved
        remaining = session.scalars(select(OutboxOp.op_id).order_by(OutboxOp.device_seq)).all()
        assert remaining == [b.op_id, c.op_id]
    # the counter does not restart even when old rows are gone
    assert [d.device_seq for d in _append(seeded)] == [4]


def _confirm(db: Database, ops: list[outbox.Appended], at: datetime, first_seq: int = 1) -> None:
    with db.writing() as session:
        outbox.record_outcomes(
            session,
            [outbox.OpOutcome(o.op_id, o.device_seq, "applied", first_seq + i, {}) for i, o in
             enumerate(ops)],
            at,
        )  # fmt: skip


def test_prune_never_leaves_a_gap_in_what_may_be_resent(seeded: Database) -> None:
    ops = _append(seeded, 4)
    # the device clock ran a month fast while 1-3 were confirmed, then was put right
    _confirm(seeded, ops[:3], T0 + timedelta(days=60))
    _confirm(seeded, ops[3:], T0 + timedelta(days=1), first_seq=4)
    with seeded.writing() as session:
        assert outbox.prune(session, T0 + timedelta(days=32)) == 0  # 4 alone is not a prefix
        assert outbox.holds_every_op_from(session, 1)
        assert outbox.prune(session, T0 + timedelta(days=95)) == 4
        assert outbox.holds_every_op_from(session, 5)  # nothing made since: nothing to hold
        assert not outbox.holds_every_op_from(session, 4)


def test_holds_every_op_from_sees_a_gap_the_lowest_seq_would_hide(seeded: Database) -> None:
    ops = _append(seeded, 5)
    _confirm(seeded, ops, T0)
    with seeded.writing() as session:
        session.execute(delete(OutboxOp).where(OutboxOp.device_seq == 3))
        assert session.scalar(select(func.min(OutboxOp.device_seq))) == 1
        assert [outbox.holds_every_op_from(session, s) for s in range(1, 7)] == [
            False, False, False, True, True, True,
        ]  # fmt: skip


def test_repend_shows_the_local_effect_again(seeded: Database) -> None:
    pulled, unpulled, rejected = _append(seeded, 3, delta=-4)
    with seeded.writing() as session:
        outbox.record_outcomes(
            session,
            [
                outbox.OpOutcome(pulled.op_id, 1, "applied", 40, {}),
                outbox.OpOutcome(unpulled.op_id, 2, "applied", 41, {}),
                outbox.OpOutcome(rejected.op_id, 3, "rejected", None, {"reason": "no"}),
            ],
            T0,
        )
        outbox.drop_pulled_effects(session, 40)
    assert _pending(seeded) == {unpulled.op_id: -4}
    with seeded.writing() as session:  # the ledger was restored to before op 1
        assert outbox.repend_from(session, 1) == 3
    assert _pending(seeded) == {pulled.op_id: -4, unpulled.op_id: -4, rejected.op_id: -4}
    with seeded.reading() as session:
        shown = catalog.buckets(raw_connection(session), 1)
        assert [b.pending for b in shown if b.bucket == "sellable"] == [-12]
        assert outbox.pending_summary(session)[0] == 3
        assert outbox.max_confirmed_seq(session) == 0


def _pending(db: Database) -> dict[str, int]:
    with db.reading() as session:
        rows = session.execute(select(PendingStock.op_id, PendingStock.delta)).all()
    return {op_id: delta for op_id, delta in rows}


def test_token_file_is_private(tmp_path: Path) -> None:
    device.write_token(tmp_path, "secret-token")
    path = tmp_path / device.TOKEN_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert device.read_token(tmp_path) == "secret-token"
    assert device.read_token(tmp_path / "nowhere") is None
