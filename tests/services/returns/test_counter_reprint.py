"""F8 reprints a return (issue #12): its credit note (or, without an order, its return
receipt with the approving manager) and RMA labels made again from what this counter
recorded, with the same number, date, refund and RMA ids, each unit's label naming the
same unit even when the units were scanned in mixed order (a scrapped one too), and
recorded as reprints; an exchange's slip again, its QR and where each replacement comes
from as first printed ("to pick up here" for an exchange that did not keep it), none for
an exchange whose order the ledger refused; a return this counter does not know is said in
words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.domain.pickup_codes import qr_payload
from app.domain.returns.exchange import EXCHANGE_ORDER
from app.domain.returns.grades import Disposition, Grade
from app.errors import NotFound
from app.labels.templates.store_credit import KIND as STORE_CREDIT
from app.services.results import StaffSession
from app.services.returns.reprint import exchange_slip, reprints
from app.services.returns.results import ManagerApproval, UnitToTake
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.services.returns.conftest import skus, till_sale
from tests.services.returns.test_counter_take import draft_of
from tests.support.ledger import RunningLedger

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
B200 = StaffSession(2, "B200", "Ravi Kumar", "associate", datetime.now(UTC))
MANAGER = ManagerApproval("M300", "3333")
G = Grade
D = Disposition


def read_prints(station: Station, folder: Path) -> tuple[set[str], set[str]]:
    """What the credit note sheets and the RMA labels in ``folder`` decode to."""
    profile = station.printing.profile_for(LabelKind.RETURN) if station.printing else None
    assert profile is not None
    sheets = {t for f in folder.glob("*.pdf") for page in pdf_pages(f.read_bytes(), 200)
              for _, t, _ in decode(page)}  # fmt: skip
    labels = {t for f in folder.glob("*.zpl") for page in zpl_pages(f.read_bytes(), profile)
              for _, t, _ in decode(page)}  # fmt: skip
    return sheets, labels


def test_a_reprint_prints_the_same_credit_note_and_labels_as_reprints(
    return_ledger: RunningLedger, counter: Station
) -> None:
    kurta, lamp = skus(return_ledger)[33:35]
    till_sale(return_ledger, "REPR-0001", [(kurta, 2), (lamp, 2)])
    units = [(kurta, G.A, D.SELLABLE), (lamp, G.DEFECTIVE, D.SCRAP),
             (kurta, G.A, D.SELLABLE), (lamp, G.DEFECTIVE, D.RTV)]  # fmt: skip
    draft = draft_of(counter, "REPR-0001", units)
    taken = counter.returns.take(draft, A100)
    printed = counter.data_dir / "printed"
    first = read_prints(counter, printed)
    assert taken.credit_note in first[0] and set(taken.rma_ids) <= first[1]
    for f in printed.iterdir():
        f.unlink()

    said = counter.returns.reprint(taken.return_id, B200)

    assert said.startswith(f"Reprint of credit note {taken.credit_note}: The credit note: ")
    assert "4 RMA labels" in said and "failed" not in said
    assert read_prints(counter, printed) == first
    made = reprints(counter.db, taken.return_id)
    assert made.receipt is not None and made.receipt.note.number == taken.credit_note
    assert made.receipt.refund.total_minor == taken.refund_minor
    assert [(x.rma_id, x.sku, x.disposition) for x in made.labels] == [
        (taken.rma_ids[0], kurta, D.SELLABLE), (taken.rma_ids[1], lamp, D.SCRAP),
        (taken.rma_ids[2], kurta, D.SELLABLE), (taken.rma_ids[3], lamp, D.RTV),
    ]  # fmt: skip
    assert counter.printing is not None
    note_jobs = counter.printing.history(taken.credit_note)
    assert [(j.reprint, j.staff_code) for j in note_jobs] == [(False, "A100"), (True, "B200")]
    for rma in taken.rma_ids:
        assert [j.reprint for j in counter.printing.history(rma)] == [False, True]


def test_a_return_without_an_order_reprints_its_receipt_and_labels_once_sent_too(
    return_ledger: RunningLedger, counter: Station
) -> None:
    scarf, mug = skus(return_ledger)[15:17]
    units = [UnitToTake(code, G.B, D.OPEN_BOX, "wrong_size", None) for code in (scarf, mug)]
    taken = counter.returns.take_without_order(units, "+91 98450 11223", MANAGER, A100)
    printed = counter.data_dir / "printed"
    first = read_prints(counter, printed)
    assert first[0] == {taken.credit_note}  # the return receipt's number
    assert set(taken.rma_ids) <= first[1] and len(taken.rma_ids) == 2
    for f in printed.iterdir():
        f.unlink()
    counter.sync.sync_once()  # the ledger has it: the counter keeps what a reprint needs

    said = counter.returns.reprint(taken.return_id, B200)

    assert said.startswith(
        f"Reprint of return receipt {taken.credit_note}: The return receipt: "
    ), said
    assert "2 RMA labels: " in said and "failed" not in said
    assert read_prints(counter, printed) == first
    assert counter.printing is not None
    receipt_jobs = counter.printing.history(taken.credit_note)
    assert [(j.kind, j.reprint, j.staff_code) for j in receipt_jobs] == [
        (STORE_CREDIT, False, "A100"), (STORE_CREDIT, True, "B200"),
    ]  # fmt: skip
    for rma in taken.rma_ids:
        assert [j.reprint for j in counter.printing.history(rma)] == [False, True]
    made = reprints(counter.db, taken.return_id)
    assert made.store_credit is not None and made.receipt is None
    receipt = made.store_credit
    assert (receipt.number, receipt.approver, receipt.masked_phone) == (
        taken.credit_note, "M300", "••1223",
    )  # fmt: skip
    assert receipt.total_minor == taken.refund_minor
    assert [(u.sku, u.grade, u.reason) for u in receipt.units] == [
        (scarf, G.B, "Wrong size or fit"), (mug, G.B, "Wrong size or fit"),
    ]  # fmt: skip
    assert [(x.rma_id, x.sku) for x in made.labels] == list(
        zip(taken.rma_ids, (scarf, mug), strict=True)
    )


def test_an_exchange_reprints_its_slip_as_a_reprint_with_where_each_replacement_comes_from(
    return_ledger: RunningLedger, counter: Station
) -> None:
    kurta, shirt, scarf = skus(return_ledger)[40:43]
    till_sale(return_ledger, "REPR-0002", [(kurta, 1)])
    draft = draft_of(counter, "REPR-0002", [(kurta, G.A, D.SELLABLE)])
    here = counter.returns.replacement(shirt, ())
    sent = replace(counter.returns.replacement(scarf, (here,)), from_here=False)  # as if none here
    again = counter.returns.replacement(shirt, (here, sent))  # a line of two, scanned apart
    taken = counter.returns.exchange(draft, [here, sent, again], A100)
    printed = counter.data_dir / "printed"
    first = read_prints(counter, printed)[0]
    qr = qr_payload(taken.exchange_order, taken.pickup_code)
    assert {qr, taken.exchange_order, taken.credit_note} <= first
    for f in printed.iterdir():
        f.unlink()

    said = counter.returns.reprint(taken.return_id, B200)

    assert said.startswith(f"Reprint of credit note {taken.credit_note}: The credit note: ")
    assert " Exchange slip: " in said and "failed" not in said
    assert read_prints(counter, printed)[0] == first
    assert counter.printing is not None
    slip_jobs = counter.printing.history(taken.exchange_order)
    assert [(j.reprint, j.staff_code) for j in slip_jobs] == [(False, "A100"), (True, "B200")]
    slip = exchange_slip(counter.db, taken.return_id)
    assert slip is not None
    assert (slip.order_number, slip.pickup_code) == (taken.exchange_order, taken.pickup_code)
    assert (slip.credit_note, slip.settlement.refund_minor) == (taken.credit_note,
                                                                  taken.refund_minor)  # fmt: skip
    assert slip.replacements == (here, again, sent)  # line by line, each where it was
    assert slip.settlement.replacement_minor == here.price_minor * 2 + sent.price_minor


def test_an_exchange_that_kept_no_where_reprints_to_pick_up_here_and_a_return_has_no_slip(
    return_ledger: RunningLedger, counter: Station
) -> None:
    mug, bowl = skus(return_ledger)[44:46]
    till_sale(return_ledger, "REPR-0003", [(mug, 2)])
    draft = draft_of(counter, "REPR-0003", [(mug, G.A, D.SELLABLE)])
    one = counter.returns.replacement(bowl, ())
    taken = counter.returns.exchange(draft, [one], A100)
    with counter.db.writing() as session:  # as an exchange recorded before it was kept
        raw_connection(session).execute(
            "UPDATE outbox SET payload = json_remove(payload, '$.from_here') WHERE type = ?",
            (EXCHANGE_ORDER,),
        )
    plain = counter.returns.take(draft_of(counter, "REPR-0003", [(mug, G.A, D.SELLABLE)]), A100)

    slip = exchange_slip(counter.db, taken.return_id)
    said = counter.returns.reprint(plain.return_id, B200)

    assert slip is not None and slip.replacements == (replace(one, from_here=None),)
    assert exchange_slip(counter.db, plain.return_id) is None
    assert "Exchange slip" not in said


def test_an_exchange_whose_order_the_ledger_refused_reprints_no_slip(
    return_ledger: RunningLedger, counter: Station
) -> None:
    towel, lamp = skus(return_ledger)[47], skus(return_ledger)[42]
    till_sale(return_ledger, "REPR-0004", [(towel, 1)])
    draft = draft_of(counter, "REPR-0004", [(towel, G.A, D.SELLABLE)])
    taken = counter.returns.exchange(draft, [counter.returns.replacement(lamp, ())], A100)
    with counter.db.writing() as session:  # an item the ledger no longer sells
        raw_connection(session).execute(
            "UPDATE outbox SET payload = json_set(payload, '$.lines[0].sku', 'GONE-1') "
            "WHERE type = ?",
            (EXCHANGE_ORDER,),
        )
    counter.sync.sync_once()  # the return applied, the order refused

    said = counter.returns.reprint(taken.return_id, B200)

    assert exchange_slip(counter.db, taken.return_id) is None  # no pickup to send anyone to
    assert said.startswith(f"Reprint of credit note {taken.credit_note}")
    assert "Exchange slip" not in said


def test_a_return_this_counter_does_not_know_is_said_in_words(counter: Station) -> None:
    with pytest.raises(NotFound, match="is not one this counter took") as refused:
        counter.returns.reprint("0" * 32, A100)
    assert refused.value.next_step.startswith("Reprint it at the counter that took it")
