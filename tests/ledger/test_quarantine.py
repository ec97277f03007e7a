"""Operations held at the ledger: an applier that raises, a type the ledger does not know
yet, a failure that passes. Each is held (never refused, never a 500 that blocks the
station), listed, and replayed once after the fix or the upgrade, with its own identity.

The pushes with a test registry run the ledger's own ``push`` in this process, on the
database of a real ledger that serves the station's other requests.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from app.commands.ledger import main as ledger_main
from app.commands.ledger_quarantine import replay_held
from app.domain.op_types import OP_TYPES, OpKind, OpType
from app.domain.operations import StockCount
from app.errors import KnownError
from app.ledger.devices import DeviceRef, device_of
from app.ledger.op_types import LEDGER_OP_TYPES, Applier, LedgerOpType, Posting, Registry
from app.ledger.outcomes import rejected
from app.ledger.push import push
from app.ledger.quarantine import HELD, REPLAYED, list_held, replay
from app.sync.protocol import OpResult, OpStatus, PushOp, PushRequest
from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.pickup_support import CODE_PROOF, Counter, lines, place_pickup, stock
from tests.support.ledger import RunningLedger

GIFT_WRAP = "pickup.gift_wrap"  # a type of a "newer station"


def _device(ledger: RunningLedger, counter: Counter) -> DeviceRef:
    with ledger.engine.connect() as conn:
        return device_of(conn, counter.device_id)


def _push(
    ledger: RunningLedger, counter: Counter, ops: list[dict[str, Any]], registry: Registry
) -> list[OpResult]:
    request = PushRequest.model_validate({"device_id": counter.device_id, "ops": ops})
    return push(ledger.engine, _device(ledger, counter), request, registry).results


def _as_given(payload: dict[str, Any]) -> Any:
    return dict(payload)


def _with(name: str, apply: Applier, kind: OpKind = OpKind.FACT) -> Registry:
    """The ledger's registry with ``name`` (re)registered to ``apply``: a fix, an upgrade."""
    parse = OP_TYPES[name].parse if name in OP_TYPES else _as_given
    entry = LedgerOpType(OpType(name, kind, parse, None, "gift wrap"), apply)
    return {**LEDGER_OP_TYPES, name: entry}


def _gift_wrap(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    """The newer type's applier, as an upgraded ledger has it: it records the wrap."""
    posting.batch.audit(
        actor=op.actor or "", approver=None, action=op.type, subject={"op_id": op.op_id, **payload}
    )
    return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.APPLIED)


def _count(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    assert isinstance(payload, StockCount)
    return posting.counts.post(op, payload)


def _boom(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    raise KeyError("a bug no rule foresaw")


def _held_by_op(ledger: RunningLedger, op_id: str) -> int:
    (found,) = [h for h in list_held(ledger.engine, everything=True) if h.op_id == op_id]
    return found.id


def _open_flags(ledger: RunningLedger, op_id: str) -> list[tuple[str, str]]:
    rows = ledger.sql("SELECT kind, status FROM exceptions WHERE op_id = :o", {"o": op_id})
    return [(str(k), str(s)) for k, s in rows]


def test_an_applier_that_raises_is_held_then_replayed_once(
    shared_ledger: RunningLedger,
) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    stocked = on_hand(shared_ledger, "BLR-01", sku[40])
    ops = [
        counter.count_op(sku[39], 5, base=base),
        counter.count_op(sku[40], 7, base=base),
        counter.count_op(sku[41], 6, base=base),
    ]
    calls: list[str] = []

    def boom_on_second(posting: Posting, op: PushOp, payload: Any) -> OpResult:
        calls.append(op.op_id)
        if op.op_id == ops[1]["op_id"]:
            _boom(posting, op, payload)
        return _count(posting, op, payload)

    broken = _with("stock.count", boom_on_second)

    results = _push(shared_ledger, counter, ops, broken)

    assert [r.exceptions for r in results] == [[], ["held_at_ledger"], []]
    assert on_hand(shared_ledger, "BLR-01", sku[39]) == 5
    assert on_hand(shared_ledger, "BLR-01", sku[41]) == 6
    assert on_hand(shared_ledger, "BLR-01", sku[40]) == stocked
    held_id = _held_by_op(shared_ledger, ops[1]["op_id"])
    assert _open_flags(shared_ledger, ops[1]["op_id"]) == [("held_at_ledger", "open")]
    # The station's next push goes through: its queue moved on.
    assert counter.push([counter.count_op(sku[42], 1, base=base)])["last_applied_seq"] == 4

    fixed = replay(shared_ledger.engine, held_id)  # the ledger's own count applier

    assert fixed.status == REPLAYED and fixed.result is not None
    assert fixed.result.status.value == "applied" and fixed.result.ledger_seq
    assert on_hand(shared_ledger, "BLR-01", sku[40]) == 7
    movements = shared_ledger.sql(
        "SELECT device_id FROM stock_movements WHERE op_id = :o", {"o": ops[1]["op_id"]}
    )
    assert movements == [(counter.device_id,)]  # applied once, as the station sent it
    assert _open_flags(shared_ledger, ops[1]["op_id"]) == [("held_at_ledger", "resolved")]
    # A station that sends it again (after a ledger restore) gets the applied result.
    resent = counter.push([ops[1]])["results"][0]
    assert resent["replayed"] and resent["ledger_seq"] == fixed.result.ledger_seq
    with pytest.raises(KnownError, match="replayed already"):
        replay(shared_ledger.engine, held_id)


def test_an_unknown_type_is_held_then_replayed_after_an_upgrade(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = counter.head()
    wrap = counter.op(GIFT_WRAP, 1, base=base, paper="red")

    answer = counter.push([wrap, counter.count_op(sku[44], 2, base=base)])  # the real server

    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    assert answer["results"][0]["exceptions"] == ["held_at_ledger"]
    held_id = _held_by_op(shared_ledger, wrap["op_id"])
    assert ledger_main(["quarantine", "list", "--db", shared_ledger.db_url]) == 0
    listed = capsys.readouterr().out
    assert f"op {wrap['op_id']}" in listed and "unknown_type" in listed and GIFT_WRAP in listed
    # The ledger still does not know it: the replay keeps it held.
    assert replay_held(argparse.Namespace(id=held_id), shared_ledger.engine) == 1
    assert "stays held" in capsys.readouterr().out

    upgraded = _with(GIFT_WRAP, _gift_wrap)
    done = replay_held(argparse.Namespace(id=held_id), shared_ledger.engine, upgraded)

    assert done == 0 and "is applied" in capsys.readouterr().out
    audited = shared_ledger.sql(
        "SELECT count(*) FROM audit_log WHERE action = :a AND body LIKE :p",
        {"a": GIFT_WRAP, "p": f"%{wrap['op_id']}%"},
    )
    assert audited == [(1,)] and on_hand(shared_ledger, "BLR-01", sku[44]) == 2
    assert [h.id for h in list_held(shared_ledger.engine)].count(held_id) == 0
    assert ledger_main(["quarantine", "list", "--db", shared_ledger.db_url, "--all"]) == 0
    assert f"{held_id:>5}  replayed" in capsys.readouterr().out


def _refuse_wrap(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    return rejected(op, "Red paper has run out.", "Ask the customer to pick another paper.")


def test_a_held_operation_the_replay_refuses_opens_a_step_refused_exception(
    shared_ledger: RunningLedger,
) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    wrap = counter.op(GIFT_WRAP, 1, base=counter.head(), paper="red")
    counter.push([wrap])
    held_id = _held_by_op(shared_ledger, wrap["op_id"])

    done = replay(shared_ledger.engine, held_id, _with(GIFT_WRAP, _refuse_wrap))

    assert done.status == REPLAYED and done.result is not None
    assert done.result.status is OpStatus.REJECTED
    flags = shared_ledger.sql(
        "SELECT kind, status, message, next_step FROM exceptions WHERE op_id = :o ORDER BY id",
        {"o": wrap["op_id"]},
    )
    assert [(k, s) for k, s, _, _ in flags] == [
        ("held_at_ledger", "resolved"),
        ("step_refused", "open"),
    ]
    assert "Red paper has run out." in flags[1][2]
    assert flags[1][3] == "Ask the customer to pick another paper."  # the refusal's own step


def _handover_ops(ledger: RunningLedger, counter: Counter, number: str, index: int) -> Any:
    a = tiny_skus(ledger)[index]
    fo = place_pickup(ledger, number, [(a, 1)])["fulfilment_orders"][0]["id"]
    counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 1))),
        counter.op("pickup.stage", fo, bin="H-07"),
        counter.op("pickup.ready", fo, lines=lines((a, 1))),
    )
    return a, counter.op("pickup.handover", fo, lines=lines((a, 1)), proof=CODE_PROOF)


def _failing_handover(times: int) -> Callable[[Posting, PushOp, Any], OpResult]:
    real = LEDGER_OP_TYPES["pickup.handover"].apply
    failed: list[int] = []

    def apply(posting: Posting, op: PushOp, payload: Any) -> OpResult:
        if len(failed) < times:
            failed.append(1)
            raise IntegrityError("INSERT INTO fulfilment_events …", {}, Exception("duplicate"))
        return real(posting, op, payload)

    return apply


def test_a_handover_that_meets_a_passing_integrity_error_is_applied(
    shared_ledger: RunningLedger,
) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    a, hand = _handover_ops(shared_ledger, counter, "WEB-9701", 45)

    (result,) = _push(
        shared_ledger, counter, [hand], _with("pickup.handover", _failing_handover(1))
    )

    assert result.status.value == "applied" and result.ledger_seq is not None
    assert result.exceptions == [] and result.reason is None  # not "not recorded", not held
    assert stock(shared_ledger, "BLR-01", a)[0] == 9


def test_a_handover_that_keeps_failing_is_held_not_refused(shared_ledger: RunningLedger) -> None:
    counter = Counter(shared_ledger, "BLR-01")
    a, hand = _handover_ops(shared_ledger, counter, "WEB-9702", 46)

    (result,) = _push(
        shared_ledger, counter, [hand], _with("pickup.handover", _failing_handover(9))
    )

    assert result.status.value == "applied" and result.exceptions == ["held_at_ledger"]
    held_id = _held_by_op(shared_ledger, hand["op_id"])
    (held,) = [h for h in list_held(shared_ledger.engine) if h.id == held_id]
    assert held.error.startswith("Exception: duplicate") and held.status == HELD
    assert replay(shared_ledger.engine, held_id).status == REPLAYED  # the fixed ledger
    state = shared_ledger.sql("SELECT state FROM fulfilment_orders WHERE order_number = 'WEB-9702'")
    assert state == [("collected",)] and stock(shared_ledger, "BLR-01", a)[0] == 9


def test_every_registered_type_has_an_applier_and_words() -> None:
    assert set(LEDGER_OP_TYPES) == set(OP_TYPES)
    facts = {name for name, t in OP_TYPES.items() if t.is_fact}
    assert facts == {
        "stock.count", "pickup.pick", "pickup.handover", "pickup.restock", "pickup.receive",
        "ship.pick", "ship.unpick", "ship.pack", "ship.handover", "return.intake",
        "return.put_away",
    }  # fmt: skip
    assert all(t.words and t.words != "operation" for t in OP_TYPES.values())
