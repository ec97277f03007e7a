"""A return taken in at a counter (``return.intake``) pushed to a real ledger, on SQLite
and PostgreSQL (issue 12, "What it must show" 4).

A return is a physical fact: it is recorded exactly once, each disposition moves the
units into its bucket, and what does not add up (more back than was sold, two stores
taking the same line back offline, a return without the order and no manager's
approval) is applied all the same with its refund held and an exception opened.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.pickup_support import state
from tests.ledger.return_support import (
    ReturnCounter,
    collected_order,
    flags,
    moved,
    refund_of,
    return_line,
)
from tests.support.ledger import RunningLedger


def _number() -> str:
    return f"RET-{uuid.uuid4().hex[:8].upper()}"


def test_a_return_sent_again_is_recorded_once(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[20]
    number = _number()
    collected_order(shared_ledger, number, [(sku, 2)])
    before = on_hand(shared_ledger, "BLR-01", sku)
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = counter.return_op(number, [return_line(1, sku)])

    first = counter.send(op)[0]
    again = counter.send(op)[0]  # the same push again: the stored result
    resent = counter.return_op(number, [return_line(1, sku)], return_id=op["payload"]["return_id"])
    after_restore = counter.send(resent)[0]  # re-sent under a new op after a ledger restore

    assert [first["status"], again["status"], after_restore["status"]] == ["applied"] * 3
    assert again["replayed"] and again["ledger_seq"] == first["ledger_seq"]
    assert first["exceptions"] == []
    assert on_hand(shared_ledger, "BLR-01", sku) == before + 1
    assert moved(shared_ledger, op["op_id"]) == [("sellable", "return", 1)]
    assert moved(shared_ledger, resent["op_id"]) == []
    assert shared_ledger.sql(
        "SELECT count(*) FROM returns WHERE return_id = :r",
        {"r": uuid.UUID(op["payload"]["return_id"]).hex},
    ) == [(1,)]
    assert refund_of(shared_ledger, op["op_id"]) == ("due", None)


def test_each_disposition_moves_the_units_into_its_bucket(shared_ledger: RunningLedger) -> None:
    skus = tiny_skus(shared_ledger)[21:26]
    number = _number()
    fo = collected_order(shared_ledger, number, [(s, 1) for s in skus])
    sellable = {s: on_hand(shared_ledger, "BLR-01", s) for s in skus}
    graded = [("A", "sellable"), ("B", "open_box"), ("C", "damaged"), ("defective", "rtv"),
              ("defective", "scrap")]  # fmt: skip
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = counter.return_op(
        number,
        [
            return_line(n, s, grade=g, disposition=d)
            for n, (s, (g, d)) in enumerate(zip(skus, graded, strict=True), start=1)
        ],
    )

    [result] = counter.send(op)

    assert result["status"] == "applied" and result["exceptions"] == []
    assert moved(shared_ledger, op["op_id"]) == [
        ("sellable", "return", 1),
        ("open_box", "return", 1),
        ("damaged", "return", 1),
        ("rtv", "return", 1),
        ("damaged", "return", 1),  # scrap: into damaged, then written off
        ("damaged", "write_off", -1),
    ]
    a, b, c, rtv, scrap = skus
    assert on_hand(shared_ledger, "BLR-01", a) == sellable[a] + 1
    assert on_hand(shared_ledger, "BLR-01", b, "open_box") == 1
    assert on_hand(shared_ledger, "BLR-01", b) == sellable[b]  # open box is not sellable
    assert on_hand(shared_ledger, "BLR-01", c, "damaged") == 1
    assert on_hand(shared_ledger, "BLR-01", rtv, "rtv") == 1
    assert on_hand(shared_ledger, "BLR-01", scrap, "damaged") == 0
    assert state(shared_ledger, fo) == "returned"  # every unit is back
    grades = shared_ledger.sql(
        "SELECT l.line_no, l.grade, l.disposition FROM return_lines l JOIN returns r "
        "ON r.id = l.return_id WHERE r.op_id = :o ORDER BY l.line_no",
        {"o": op["op_id"]},
    )
    assert grades == [(n, g, d) for n, (g, d) in enumerate(graded, start=1)]


def test_a_partial_return_leaves_the_order_as_collected(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[26]
    number = _number()
    fo = collected_order(shared_ledger, number, [(sku, 3)])
    counter = ReturnCounter(shared_ledger, "BLR-01")

    [result] = counter.send(counter.return_op(number, [return_line(1, sku, 2)]))

    assert result["status"] == "applied" and state(shared_ledger, fo) == "collected"


def test_two_stores_take_the_same_line_back_offline_both_applied_the_second_held(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[27]
    number = _number()
    collected_order(shared_ledger, number, [(sku, 1)])
    blr, mum = ReturnCounter(shared_ledger, "BLR-01"), ReturnCounter(shared_ledger, "MUM-01")
    at_blr = on_hand(shared_ledger, "BLR-01", sku)
    at_mum = on_hand(shared_ledger, "MUM-01", sku)
    first = blr.return_op(number, [return_line(1, sku)])
    second = mum.return_op(number, [return_line(1, sku)])  # both taken offline

    [one] = blr.send(first)
    [two] = mum.send(second)

    assert one["status"] == two["status"] == "applied"  # the units are in both stores
    assert one["exceptions"] == [] and two["exceptions"] == ["over_return"]
    assert on_hand(shared_ledger, "BLR-01", sku) == at_blr + 1
    assert on_hand(shared_ledger, "MUM-01", sku) == at_mum + 1
    assert refund_of(shared_ledger, first["op_id"]) == ("due", None)
    refund, why = refund_of(shared_ledger, second["op_id"])
    assert refund == "held" and why == f"line 1 ({sku}): sold 1, returned before 1, this return 1."
    [(exc_id, kind, message, next_step)] = flags(shared_ledger, second["op_id"])
    assert kind == "over_return"
    assert f"order {number}" in message and "sold 1, returned before 1, this return 1" in message
    assert "The refund waits for a manager." in message
    assert "A manager" in next_step
    where = shared_ledger.sql("SELECT l.code FROM exceptions e JOIN locations l ON "
                              "l.id = e.location_id WHERE e.id = :i", {"i": exc_id})  # fmt: skip
    assert where == [("MUM-01",)]

    by_lead = mum.send(mum.resolve_op(exc_id, "L201"))[0]
    assert by_lead["status"] == "rejected"
    assert by_lead["reason"] == "Only a manager can release a refund the ledger held."
    assert refund_of(shared_ledger, second["op_id"])[0] == "held"

    by_manager = mum.send(mum.resolve_op(exc_id, "M300"))[0]
    assert by_manager["status"] == "applied"
    assert refund_of(shared_ledger, second["op_id"])[0] == "approved"


def _phone() -> str:
    """A customer of its own (the ledger counts each phone's no-receipt returns)."""
    return f"+91 9{uuid.uuid4().int % 10**9:09d}"


def _no_lookup(
    counter: ReturnCounter, sku: str, refund_minor: int, phone: str | None = None, **kw: Any
) -> dict[str, Any]:
    line = return_line(None, sku, refund_minor=refund_minor, grade="B", disposition="open_box")
    return counter.return_op(None, [line], customer_phone=phone or _phone(), **kw)


def test_a_return_without_lookup_and_no_approval_is_applied_and_held(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[28]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = _no_lookup(counter, sku, 120_000)

    [result] = counter.send(op)

    assert result["status"] == "applied" and result["exceptions"] == ["return_needs_approval"]
    assert on_hand(shared_ledger, "BLR-01", sku, "open_box") == 1
    assert refund_of(shared_ledger, op["op_id"]) == (
        "held", "was taken in without the order: no manager approved it.",
    )  # fmt: skip
    [(exc_id, _, message, _)] = flags(shared_ledger, op["op_id"])
    assert message.startswith("A return was taken in without the order: no manager approved it.")
    assert counter.send(counter.resolve_op(exc_id, "M300"))[0]["status"] == "applied"
    assert refund_of(shared_ledger, op["op_id"])[0] == "approved"


def test_a_return_without_lookup_approved_by_a_manager_needs_nothing_more(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[29]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = _no_lookup(counter, sku, 120_000, approval=("M300", f"AP-{uuid.uuid4().hex[:8]}"))

    [result] = counter.send(op)

    assert result["status"] == "applied" and result["exceptions"] == []
    assert refund_of(shared_ledger, op["op_id"]) == ("approved", None)
    assert flags(shared_ledger, op["op_id"]) == []


@pytest.mark.parametrize(
    ("approver", "refund_minor", "kinds", "why"),
    [
        ("L200", 120_000, ["approval_not_valid", "return_needs_approval"],
         "the manager's approval it names does not hold"),
        ("M300", 600_000, ["return_needs_approval"],
         "its refund of ₹6,000.00 is over the ₹5,000.00 limit for a return without the order"),
    ],
    ids=["a-lead-approved", "over-the-limit"],
)  # fmt: skip
def test_a_return_without_lookup_beyond_what_the_approval_covers_is_held(
    shared_ledger: RunningLedger, approver: str, refund_minor: int, kinds: list[str], why: str
) -> None:
    sku = tiny_skus(shared_ledger)[30]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = _no_lookup(counter, sku, refund_minor, approval=(approver, f"AP-{uuid.uuid4().hex[:8]}"))

    [result] = counter.send(op)

    assert result["status"] == "applied"
    assert sorted(k for _, k, _, _ in flags(shared_ledger, op["op_id"])) == kinds
    refund, reason = refund_of(shared_ledger, op["op_id"])
    assert refund == "held" and why in (reason or "")


def test_one_approval_covers_one_return_only(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[31]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    approval = ("M300", f"AP-{uuid.uuid4().hex[:8]}")
    once = _no_lookup(counter, sku, 50_000, approval=approval)
    twice = _no_lookup(counter, sku, 50_000, approval=approval)

    results = counter.send(once, twice)

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert refund_of(shared_ledger, once["op_id"])[0] == "approved"
    assert refund_of(shared_ledger, twice["op_id"])[0] == "held"
    assert on_hand(shared_ledger, "BLR-01", sku, "open_box") == 2  # both units are here
    replayed = {kind: message for _, kind, message, _ in flags(shared_ledger, twice["op_id"])}
    assert sorted(replayed) == ["approval_not_valid", "return_needs_approval"]
    assert (
        f"approval {approval[1]} was already used for another operation"
        in (replayed["approval_not_valid"])
    )


def test_a_customer_over_the_limit_across_stores_is_applied_and_held(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[36]
    blr, mum = ReturnCounter(shared_ledger, "BLR-01"), ReturnCounter(shared_ledger, "MUM-01")
    before = on_hand(shared_ledger, "MUM-01", sku, "open_box")
    digits = f"9{uuid.uuid4().int % 10**9:09d}"
    first = _no_lookup(blr, sku, 300_000, f"+91 {digits}", approval=("M300", uuid.uuid4().hex))
    second = _no_lookup(mum, sku, 250_000, f"0{digits}", approval=("M300", uuid.uuid4().hex))

    [one] = blr.send(first)
    [two] = mum.send(second)  # taken offline at MUM: it could not see BLR's

    assert one["status"] == two["status"] == "applied"
    assert one["exceptions"] == [] and two["exceptions"] == ["return_needs_approval"]
    assert refund_of(shared_ledger, first["op_id"]) == ("approved", None)
    refund, why = refund_of(shared_ledger, second["op_id"])
    assert refund == "held" and why is not None
    assert "over the ₹5,000.00 limit per 30 days without a receipt (₹3,000.00 back at any " in why
    assert "this return ₹2,500.00)" in why
    [(_, _, message, _)] = flags(shared_ledger, second["op_id"])
    assert message.startswith("A return was taken in without the order: it takes the customer")
    assert on_hand(shared_ledger, "MUM-01", sku, "open_box") == before + 1  # it is in the store
    phones = shared_ledger.sql(
        "SELECT DISTINCT customer_phone FROM returns WHERE op_id IN (:a, :b)",
        {"a": first["op_id"], "b": second["op_id"]},
    )
    assert phones == [(digits,)]  # one customer, however the phone was typed


def test_a_return_without_lookup_and_no_phone_is_held(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[37]
    counter = ReturnCounter(shared_ledger, "BLR-01")
    line = return_line(None, sku, refund_minor=10_000)
    op = counter.return_op(None, [line], approval=("M300", uuid.uuid4().hex))

    [result] = counter.send(op)

    assert result["exceptions"] == ["return_needs_approval"]
    assert refund_of(shared_ledger, op["op_id"]) == (
        "held", "was taken in without the order: it names no customer phone, so the limit "
        "per customer cannot be checked.",
    )  # fmt: skip


def test_a_return_of_an_order_or_line_the_ledger_does_not_know_is_held(
    shared_ledger: RunningLedger,
) -> None:
    sku, other = tiny_skus(shared_ledger)[32:34]
    number = _number()
    collected_order(shared_ledger, number, [(sku, 1)])
    counter = ReturnCounter(shared_ledger, "BLR-01")
    unknown = counter.return_op("NO-SUCH-ORDER", [return_line(1, sku)])
    wrong_line = counter.return_op(number, [return_line(1, other)])

    results = counter.send(unknown, wrong_line)

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert refund_of(shared_ledger, unknown["op_id"]) == (
        "held", "names order NO-SUCH-ORDER, which the ledger does not know.",
    )  # fmt: skip
    assert refund_of(shared_ledger, wrong_line["op_id"]) == (
        "held", f"of order {number} names line 1 as {other}, but that line is {sku}.",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"lines": []}, "A return needs at least one returned item."),
        ({"return_id": "not-a-uuid"}, "The return has no id of its own"),
        ({"lines": [{**return_line(1, "X"), "quantity": 0}]},
         "Line 1's quantity must be a whole number of at least 1."),
        ({"lines": [{**return_line(1, "X"), "grade": "Z"}]}, "'Z' is not a line 1's grade."),
        ({"lines": [{**return_line(1, "X"), "disposition": "bin"}]},
         "'bin' is not a line 1's disposition."),
        ({"lines": [{**return_line(1, "X"), "refund_minor": -5}]},
         "Line 1's refund must be a whole number of at least 0."),
        ({"lines": [return_line(None, "X")]},
         "needs the order line it comes from."),
        ({"order": None}, "A return without an order cannot name the order's lines."),
        ({"refund": {"method": "cash", "total_minor": 1}}, "'cash' is not a refund method."),
        ({"parcel": "123"}, "'123' is not an SSCC"),
        ({"lines": [return_line(1, "X")] * 201}, "A return holds a list of 1 to 200 lines."),
    ],
    ids=["no-lines", "no-id", "zero-units", "grade", "disposition", "negative-refund",
         "no-line-number", "lines-without-order", "refund-method", "parcel", "too-many-lines"],
)  # fmt: skip
def test_a_malformed_return_is_refused_with_words(
    shared_ledger: RunningLedger, change: dict[str, Any], words: str
) -> None:
    counter = ReturnCounter(shared_ledger, "BLR-01")
    op = counter.return_op("WEB-1", [return_line(1, "X")])
    op["payload"].update(change)

    [result] = counter.send(op)

    assert result["status"] == "rejected"
    assert words in result["reason"]
    assert shared_ledger.sql("SELECT count(*) FROM returns WHERE op_id = :o",
                             {"o": op["op_id"]}) == [(0,)]  # fmt: skip


def test_the_other_stations_of_the_store_pull_its_returns_and_their_refund_state(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[34]
    counter = ReturnCounter(shared_ledger, "MUM-01")
    other, elsewhere = (
        ReturnCounter(shared_ledger, "MUM-01"),
        ReturnCounter(shared_ledger, "BLR-01"),
    )
    cursor = other.head()
    op = _no_lookup(counter, sku, 20_000)
    counter.send(op)
    [(exc_id, _, _, _)] = flags(shared_ledger, op["op_id"])
    counter.send(counter.resolve_op(exc_id, "M300"))

    changes, last = other.pull_all(cursor)
    seen, _ = elsewhere.pull_all(cursor)
    rows = other.snapshot("returns")["rows"]  # id, …, quantity at 5

    pulled = [c["data"] for c in changes if c["scope"] == "returns"]
    return_id = uuid.UUID(op["payload"]["return_id"]).hex
    assert [(d["return_id"], d["sku"], d["disposition"], d["refund_state"]) for d in pulled] == [
        (return_id, sku, "open_box", "held"),
        (return_id, sku, "open_box", "approved"),
    ]
    assert pulled[0]["order_number"] is None and pulled[0]["line_no"] is None
    assert not [c for c in seen if c["scope"] == "returns" and c["data"]["sku"] == sku]
    sums = (len(rows), sum(r[0] for r in rows), sum(r[0] * r[5] for r in rows))
    assert last["checksums"]["returns"] == ":".join(map(str, sums))
