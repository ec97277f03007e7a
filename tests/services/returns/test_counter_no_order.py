"""A return without an order (no receipt, offline with no order found), taken at counters
of two stores against a real ledger on SQLite and PostgreSQL (issue 12, "What it must
show" 2 and 4): the manager's code and PIN are checked at the counter; its return receipt
(store credit) prints on the sheet printer, or says why not; the customer's
limit is checked against this counter's own returns and, once it asked the ledger, every
store's, and refused with words; offline the ledger counts every store, so a second
store's return that takes the customer over the limit is applied with its refund held; a
replayed approval is flagged by the ledger.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.domain.money import Money
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE, parse_return
from app.errors import KnownError, LoginFailed, RuleRefused
from app.labels.templates.store_credit import KIND as STORE_CREDIT
from app.services.results import StaffSession
from app.services.returns.results import ManagerApproval, UnitToTake
from app.services.station import Station
from app.storage import outbox
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages, pdf_texts, zpl_pages
from tests.services.returns.conftest import skus
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
MANAGER = ManagerApproval("M300", "3333")


@pytest.fixture
def blr(return_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A counter at BLR-01: another store than ``counter`` (MUM-01), where A100 and L200
    work."""
    built = enrolled_station(return_ledger, tmp_path / "blr", location="BLR-01")
    yield built
    built.close()


def _phone() -> str:
    return f"+91 9{uuid.uuid4().int % 10**9:09d}"


def _unit(code: str, refund_minor: int | None = None) -> UnitToTake:
    return UnitToTake(code, Grade.B, Disposition.OPEN_BOX, "wrong_size", refund_minor)


def _queued(station: Station) -> list[outbox.QueuedOp]:
    with station.db.reading() as session:
        return [op for op in outbox.pending_batch(session, 50) if op.type == RETURN_INTAKE]


def _return_row(ledger: RunningLedger, return_id: str) -> list[tuple[object, ...]]:
    return ledger.sql(
        "SELECT r.refund_state, r.approver, r.customer_phone, r.order_number, l.code "
        "FROM returns r JOIN locations l ON l.id = r.location_id WHERE r.return_id = :r",
        {"r": return_id},
    )


def _flags(ledger: RunningLedger, return_id: str) -> dict[str, str]:
    rows = ledger.sql(
        "SELECT e.kind, e.message FROM exceptions e JOIN returns r ON r.op_id = e.op_id "
        "WHERE r.return_id = :r",
        {"r": return_id},
    )
    return {str(kind): str(message) for kind, message in rows}


def test_a_return_without_an_order_is_approved_here_synced_once_and_due(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = skus(return_ledger)[14]
    price = counter.returns.item_to_take(sku).price_minor
    phone = _phone()

    taken = counter.returns.take_without_order([_unit(sku)], phone, MANAGER, A100)

    assert (taken.order_number, taken.units, taken.refund_minor) == ("", 1, price)
    assert taken.credit_note and not taken.held and taken.method.value == "store_credit"
    assert taken.said.startswith(f"Return saved. Credit note {taken.credit_note}: refund ₹")
    assert taken.said.endswith("Put the units away: 1 to open-box stock.")
    (op,) = _queued(counter)
    intake = parse_return(op.payload)
    assert (intake.order, intake.customer_phone, intake.refund.total_minor) == (
        None, phone[-10:], price,
    )  # fmt: skip
    assert [(x.line_no, x.sku, x.quantity) for x in intake.lines] == [(None, sku, 1)]
    assert op.approval is not None and op.approval["approver"] == "M300"
    (rma,) = taken.rma_ids  # kept by its label: put away by scan as any returned unit
    assert counter.returns.put_away(rma, "q-01", A100).bin == "Q-01"

    counter.sync.sync_once()
    counter.sync.sync_once()  # nothing is sent twice

    assert _return_row(return_ledger, taken.return_id) == [
        ("approved", "M300", phone[-10:], None, "MUM-01")  # due: nothing waits for anyone
    ]
    assert _flags(return_ledger, taken.return_id) == {}
    assert _queued(counter) == []
    assert return_ledger.sql(  # the put-away too: the ledger applied it
        "SELECT bin_code FROM return_put_aways WHERE rma_id = :r", {"r": rma}
    ) == [("Q-01",)]


def test_a_return_without_an_order_prints_its_return_receipt_on_the_sheet_printer(
    return_ledger: RunningLedger, counter: Station
) -> None:
    scarf, mug = skus(return_ledger)[17:19]
    units = [_unit(scarf), UnitToTake(mug, Grade.A, Disposition.SELLABLE, "wrong_size", 12_345)]
    phone = _phone()

    taken = counter.returns.take_without_order(units, phone, MANAGER, A100)

    number = taken.credit_note
    assert f"Credit note {number}: refund ₹" in taken.said
    assert "The return receipt: " in taken.said and "failed" not in taken.said
    assert counter.printing is not None
    (job,) = counter.printing.history(number)
    assert (job.kind, job.profile, job.format, job.reprint, job.staff_code) == (
        STORE_CREDIT, counter.printing.sheet_printer().name, "pdf", False, "A100",
    )  # fmt: skip
    sheet = counter.data_dir / "printed" / f"return-receipt-{number.replace('/', '-')}.pdf"
    (page,) = pdf_pages(sheet.read_bytes(), 200)
    assert decode(page) == [("Code128", number, "]C0")]
    (text,) = pdf_texts(sheet.read_bytes())
    names = {sku: counter.returns.item_to_take(sku).name for sku in (scarf, mug)}
    for said in (
        "Return receipt — store credit", f"No. {number}", f"Phone ••{phone[-4:]}",
        "Approved by manager M300", scarf, names[scarf], "B Opened, like new", mug, names[mug],
        "A New, unopened", "Wrong size or fit", "123.45",
        f"Store credit {Money(taken.refund_minor).format()}",
    ):  # fmt: skip
        assert said in text, said
    assert phone[-10:-4] not in text


def test_with_no_credit_note_number_left_no_return_receipt_prints_and_it_says_so(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = skus(return_ledger)[14]
    with counter.db.writing() as session:
        raw_connection(session).execute(
            "UPDATE invoice_blocks SET next_serial = last + 1 WHERE series = 'credit_note'"
        )

    taken = counter.returns.take_without_order([_unit(sku)], _phone(), MANAGER, A100)

    assert taken.held and taken.credit_note == ""
    assert taken.said.startswith("Return saved; the refund of ₹")
    assert "so no credit note is printed" in taken.said and "return receipt" not in taken.said
    printed = counter.data_dir / "printed"
    assert list(printed.glob("*.pdf")) == []
    assert counter.printing is not None and counter.printing.history(taken.return_id) == []
    (rma,) = taken.rma_ids  # its RMA label prints, short enough to scan on the 4x2
    assert rma == f"R{taken.return_id[:10].upper()}-1" and "Printing failed" not in taken.said
    profile = counter.printing.profile_for(LabelKind.RETURN)
    assert profile is not None
    read = {text for f in printed.glob("*.zpl") for page in zpl_pages(f.read_bytes(), profile)
            for _, text, _ in decode(page)}  # fmt: skip
    assert rma in read
    assert counter.returns.put_away(rma, "q-01", A100).bin == "Q-01"  # by its label
    counter.sync.sync_once()
    assert return_ledger.sql(
        "SELECT p.bin_code, r.return_id FROM return_put_aways p "
        "JOIN returns r ON r.id = p.return_id WHERE p.rma_id = :r", {"r": rma},
    ) == [("Q-01", taken.return_id)]  # fmt: skip


def test_a_second_store_offline_takes_the_customer_over_the_limit_both_applied_second_held(
    return_ledger: RunningLedger, counter: Station, blr: Station
) -> None:
    first_sku, second_sku = skus(return_ledger)[14], skus(return_ledger)[31]
    phone = _phone()
    at_mum = counter.returns.take_without_order([_unit(first_sku, 300_000)], phone, MANAGER, A100)
    at_blr = blr.returns.take_without_order(  # it cannot know MUM's: both offline
        [_unit(second_sku, 250_000)], phone.replace("+91 ", "0"), MANAGER, A100
    )

    counter.sync.sync_once()
    blr.sync.sync_once()

    assert _return_row(return_ledger, at_mum.return_id)[0][0] == "approved"
    assert _flags(return_ledger, at_mum.return_id) == {}
    [(state, _, key, _, where)] = _return_row(return_ledger, at_blr.return_id)
    assert (state, key, where) == ("held", phone[-10:], "BLR-01")
    flagged = _flags(return_ledger, at_blr.return_id)
    assert list(flagged) == ["return_needs_approval"]
    assert (
        "it takes the customer over the ₹5,000.00 limit per 30 days without a receipt "
        "(₹3,000.00 back at any store since"
    ) in flagged["return_needs_approval"]
    assert "this return ₹2,500.00)" in flagged["return_needs_approval"]
    assert "The refund waits for a manager." in flagged["return_needs_approval"]
    open_box = return_ledger.sql(
        "SELECT b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id JOIN "
        "locations l ON l.id = b.location_id WHERE i.sku = :s AND l.code = 'BLR-01' "
        "AND b.bucket = 'open_box'",
        {"s": second_sku},
    )
    assert open_box and open_box[0][0] >= 1  # the unit is in the store


def test_over_the_limit_at_this_counter_is_refused_with_what_is_left(
    return_ledger: RunningLedger, counter: Station
) -> None:
    first_sku, second_sku = skus(return_ledger)[14], skus(return_ledger)[31]
    phone = _phone()
    counter.returns.take_without_order([_unit(first_sku, 300_000)], phone, MANAGER, A100)
    waiting = len(_queued(counter))

    with pytest.raises(RuleRefused) as refused:
        counter.returns.take_without_order([_unit(second_sku, 250_000)], phone, MANAGER, A100)

    assert refused.value.message.startswith(
        "Returns without a receipt are limited to ₹5,000.00 per 30 days for each customer. "
        "This customer has had ₹3,000.00 back since "
    )
    assert refused.value.message.endswith("; this return is ₹2,500.00.")
    assert refused.value.next_step == "Take back up to ₹2,000.00, or find the receipt or order."
    assert len(_queued(counter)) == waiting  # nothing recorded
    taken = counter.returns.take_without_order([_unit(second_sku, 200_000)], phone, MANAGER, A100)
    assert taken.refund_minor == 200_000  # up to the limit is fine


def test_after_asking_the_ledger_a_counter_refuses_what_another_store_used_up(
    return_ledger: RunningLedger, counter: Station, blr: Station
) -> None:
    first_sku, second_sku = skus(return_ledger)[14], skus(return_ledger)[31]
    phone = _phone()
    blr.returns.take_without_order([_unit(first_sku, 300_000)], phone, MANAGER, A100)
    blr.sync.sync_once()

    room = counter.returns.no_receipt_history(phone.replace("+91 ", "0"), A100)

    assert (room.at_ledger, room.left_minor, room.limit_minor) == (True, 200_000, 500_000)
    assert room.said == (
        "₹2,000.00 of the ₹5,000.00 limit left for this customer (30 days, every store)."
    )
    waiting = len(_queued(counter))
    with pytest.raises(RuleRefused) as refused:
        counter.returns.take_without_order([_unit(second_sku, 250_000)], phone, MANAGER, A100)
    assert "This customer has had ₹3,000.00 back since " in refused.value.message
    assert refused.value.next_step == "Take back up to ₹2,000.00, or find the receipt or order."
    assert len(_queued(counter)) == waiting  # nothing recorded
    taken = counter.returns.take_without_order([_unit(second_sku, 200_000)], phone, MANAGER, A100)
    assert taken.refund_minor == 200_000 and not taken.held
    # Its own return counts once: from the outbox before the ledger has it, then from the
    # ledger's answer while the outbox still holds it.
    assert counter.returns.no_receipt_history(phone, A100).left_minor == 0
    counter.sync.sync_once()
    assert counter.returns.no_receipt_history(phone, A100).left_minor == 0
    with pytest.raises(RuleRefused, match=r"Take back up to ₹0\.00"):
        counter.returns.take_without_order([_unit(second_sku, 100)], phone, MANAGER, A100)
    assert _return_row(return_ledger, taken.return_id)[0][0] == "approved"


def test_offline_only_this_counters_returns_count_as_before(
    return_ledger: RunningLedger, counter: Station, blr: Station
) -> None:
    first_sku, second_sku = skus(return_ledger)[14], skus(return_ledger)[31]
    phone = _phone()
    blr.returns.take_without_order([_unit(first_sku, 300_000)], phone, MANAGER, A100)
    blr.sync.sync_once()
    with counter.db.writing() as session:  # the counter knows it is offline: no asking
        raw_connection(session).execute("UPDATE sync_state SET online = 0")

    room = counter.returns.no_receipt_history(phone, A100)

    assert (room.at_ledger, room.left_minor) == (False, 500_000)
    assert room.said == (
        "Offline: only this counter's returns count toward the limit: ₹5,000.00 of ₹5,000.00 left."
    )
    taken = counter.returns.take_without_order([_unit(second_sku, 250_000)], phone, MANAGER, A100)
    counter.sync.sync_once()
    assert _return_row(return_ledger, taken.return_id)[0][0] == "held"  # the ledger catches it


@pytest.mark.parametrize(
    ("manager", "kind", "words"),
    [
        (ManagerApproval("M300", "9999"), LoginFailed, "Wrong staff code or PIN."),
        (ManagerApproval("A100", "1111"), RuleRefused,
         "Arjun Rao is an associate: only a manager can approve a return without a receipt."),
        (ManagerApproval("L200", "2222"), RuleRefused, "only a manager can approve"),
    ],
    ids=["wrong-pin", "associate", "lead"],
)  # fmt: skip
def test_only_a_manager_with_the_right_pin_approves_here(
    return_ledger: RunningLedger,
    blr: Station,
    manager: ManagerApproval,
    kind: type[Exception],
    words: str,
) -> None:
    sku = skus(return_ledger)[14]
    waiting = len(_queued(blr))

    with pytest.raises(kind, match=words):
        blr.returns.take_without_order([_unit(sku)], _phone(), manager, A100)

    assert len(_queued(blr)) == waiting


@pytest.mark.parametrize(
    ("units", "phone", "words"),
    [
        ([_unit("NO-SUCH-ITEM")], "+91 98450 12345", "NO-SUCH-ITEM is not an item of this"),
        ([], "+91 98450 12345", "Nothing is in this return yet."),
        (None, "12345", "A return without a receipt needs the customer's mobile number."),
        (None, "+91 98450 12345", "The refund for .* can be ₹0 up to its price"),
    ],
    ids=["unknown-item", "empty", "no-phone", "above-the-price"],
)
def test_what_cannot_be_taken_back_without_an_order_is_refused_with_words(
    return_ledger: RunningLedger,
    counter: Station,
    units: list[UnitToTake] | None,
    phone: str,
    words: str,
) -> None:
    sku = skus(return_ledger)[14]
    price = counter.returns.item_to_take(sku).price_minor
    given = units if units is not None else [_unit(sku, price + 1 if "+91" in phone else None)]

    with pytest.raises(KnownError) as refused:
        counter.returns.take_without_order(given, phone, MANAGER, A100)

    assert refused.match(words)


def test_a_replayed_approval_is_flagged_by_the_ledger(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = skus(return_ledger)[14]
    once = counter.returns.take_without_order([_unit(sku, 10_000)], _phone(), MANAGER, A100)
    again = counter.returns.take_without_order([_unit(sku, 10_000)], _phone(), MANAGER, A100)
    first, second = _queued(counter)[-2:]
    assert first.approval is not None
    with counter.db.writing() as session:  # the same approval sent with another return
        raw_connection(session).execute(
            "UPDATE outbox SET approval = ? WHERE op_id = ?",
            (json.dumps(first.approval), second.op_id),
        )

    counter.sync.sync_once()

    assert _return_row(return_ledger, once.return_id)[0][0] == "approved"
    assert _return_row(return_ledger, again.return_id)[0][0] == "held"
    flagged = _flags(return_ledger, again.return_id)
    assert sorted(flagged) == ["approval_not_valid", "return_needs_approval"]
    assert (
        f"approval {first.approval['approval_id']} was already used"
        in (flagged["approval_not_valid"])
    )


def test_a_reason_not_of_the_retailers_return_reasons_is_refused_before_a_manager_is_asked(
    return_ledger: RunningLedger, counter: Station
) -> None:
    odd = replace(_unit(skus(return_ledger)[14]), reason="no_such_reason")
    wrong_pin = ManagerApproval("M300", "0000")  # never checked: the reason is refused first

    with pytest.raises(RuleRefused, match="'no_such_reason' is not one of the return reasons"):
        counter.returns.take_without_order([odd], _phone(), wrong_pin, A100)

    assert _queued(counter) == []
