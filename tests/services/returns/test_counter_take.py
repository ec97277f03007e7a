"""Taking a return at a counter of another store than the one that sold: one transaction
puts the ``return.intake`` in the outbox with its stock effect per bucket and a credit note
number; the ledger applies it once, even pushed twice, and its buckets then hold what the
station showed; the credit note and RMA labels print and decode; a unit cannot come back
twice at this counter; out of numbers or with the printer broken the return is still saved.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain.labels import LabelKind
from app.domain.reasons import ReasonUse
from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan, refund_of
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE, parse_return
from app.domain.tax.invoice_numbers import financial_year, invoice_day, year_text
from app.errors import RuleRefused
from app.ledger.seed_reasons import SEEDED_REASONS
from app.services.results import StaffSession
from app.services.returns.results import ReturnReason
from app.services.station import Station
from app.storage import device, outbox
from app.storage.engine import raw_connection
from app.sync.client import LedgerClient
from app.sync.protocol import OpResult
from app.sync.pushing import on_the_wire
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.ledger.bench_support import new_sscc
from tests.services.returns.conftest import skus, till_sale
from tests.support.ledger import RunningLedger
from tests.sync.stations import FAST

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
G = Grade
D = Disposition
NOTE = re.compile(r"^C\d{4}/\d{4}/(\d{5})$")


def draft_of(
    station: Station, number: str, units: list[tuple[str, Grade, Disposition]]
) -> ReturnDraft:
    """The return of ``units`` (scanned by SKU) against ``number``: found here when kept,
    else at the ledger (as the screen does)."""
    found = station.returns.find_here(number)
    if not found.orders:
        found = station.returns.ask_ledger(number, A100)
    draft = ReturnDraft(found.orders[0])
    for code, grade, disposition in units:
        line = line_for_scan(draft, code, datetime.now(UTC))
        draft = draft.with_unit(TakenUnit(line.line_no, grade, disposition, "wrong_size"))
    return draft


def shown(station: Station, sku: str) -> dict[str, tuple[int, int]]:
    """(on hand, pending) per bucket of ``sku`` as the station's stock lookup shows it."""
    item = station.stock.lookup(sku)[0]
    buckets = station.stock.item_stock(item.item_id).buckets
    return {b.bucket.value: (b.on_hand, b.pending_change) for b in buckets}


def at_ledger(ledger: RunningLedger, sku: str) -> dict[str, int]:
    rows = ledger.sql(
        "SELECT b.bucket, b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id WHERE i.sku = :s AND l.code = 'MUM-01'",
        {"s": sku},
    )
    return {str(bucket): int(on_hand) for bucket, on_hand in rows if on_hand}


def queued(station: Station) -> list[outbox.QueuedOp]:
    with station.db.reading() as session:
        return [op for op in outbox.pending_batch(session, 50) if op.type == RETURN_INTAKE]


def _label_texts(station: Station) -> set[str]:
    """What the RMA labels the station printed (to files) decode to."""
    profile = station.printing.profile_for(LabelKind.RETURN) if station.printing else None
    assert profile is not None
    files = (station.data_dir / "printed").glob("*.zpl")
    return {text for f in files for page in zpl_pages(f.read_bytes(), profile)
            for _, text, _ in decode(page)}  # fmt: skip


def test_a_return_is_recorded_once_moves_stock_per_grade_and_prints_what_decodes(
    return_ledger: RunningLedger, counter: Station
) -> None:
    kurta, lamp = skus(return_ledger)[30:32]
    till_sale(return_ledger, "TAKE-0001", [(kurta, 2), (lamp, 1)])
    draft = draft_of(counter, "TAKE-0001", [(kurta, G.A, D.SELLABLE), (kurta, G.B, D.OPEN_BOX),
                                            (lamp, G.DEFECTIVE, D.RTV)])  # fmt: skip
    before = shown(counter, kurta)["sellable"][0]

    taken = counter.returns.take(draft, A100)

    note = NOTE.match(taken.credit_note)
    assert note is not None and not taken.held
    assert (taken.units, taken.refund_minor) == (3, refund_of(draft).total_minor)
    assert taken.rma_ids == tuple(f"{taken.credit_note}-{n}" for n in (1, 2, 3))
    assert taken.said.startswith(f"Return saved. Credit note {taken.credit_note}: refund ₹")
    assert "Put the units away: 1 back to sellable stock, 1 to open-box stock, 1 to return" in (
        taken.said
    )
    (op,) = queued(counter)
    intake = parse_return(op.payload)
    assert (intake.return_id, intake.order, intake.credit_note, intake.location) == (
        taken.return_id, "TAKE-0001", taken.credit_note, "MUM-01"
    )  # fmt: skip
    assert [(x.line_no, x.sku, x.quantity, x.grade, x.disposition) for x in intake.lines] == [
        (1, kurta, 1, G.A, D.SELLABLE), (1, kurta, 1, G.B, D.OPEN_BOX),
        (2, lamp, 1, G.DEFECTIVE, D.RTV),
    ]  # fmt: skip
    assert sum(x.refund_minor for x in intake.lines) == intake.refund.total_minor
    station_kurta, station_lamp = shown(counter, kurta), shown(counter, lamp)
    assert station_kurta["sellable"] == (before + 1, 1)  # in the stock lookup at once
    assert (station_kurta["open_box"], station_lamp["rtv"]) == ((1, 1), (1, 1))

    twice = "This one cannot come back: 2 were returned at MUM-01 on"
    with pytest.raises(RuleRefused, match=twice):
        draft_of(counter, "TAKE-0001", [(kurta, G.A, D.SELLABLE)])  # counted here already
    asked = counter.returns.ask_ledger("TAKE-0001", A100)  # the ledger has not heard of it
    assert [x.left for x in asked.orders[0].lines] == [0, 0]
    with pytest.raises(RuleRefused, match=twice):
        draft_of(counter, "TAKE-0001", [(kurta, G.A, D.SELLABLE)])

    printed = counter.data_dir / "printed"
    sheet = (printed / f"credit-note-{taken.credit_note.replace('/', '-')}.pdf").read_bytes()
    read = {text for page in pdf_pages(sheet, 200) for _, text, _ in decode(page)}
    assert taken.credit_note in read
    assert set(taken.rma_ids) <= _label_texts(counter)

    counter.sync.sync_once()
    replayed = _push_again(counter, op)  # the ledger answers it again and keeps it once

    assert (replayed.op_id, replayed.status, replayed.replayed) == (op.op_id, "applied", True)

    for sku, station_before in ((kurta, station_kurta), (lamp, station_lamp)):
        assert at_ledger(return_ledger, sku) == {b: n for b, (n, _) in station_before.items() if n}
    kept = return_ledger.sql(
        "SELECT count(*) FROM returns WHERE return_id = :r", {"r": taken.return_id}
    )
    assert kept == [(1,)]
    assert queued(counter) == []


def _serial(number: str) -> int:
    found = NOTE.match(number)
    assert found is not None, number
    return int(found.group(1))


def _push_again(station: Station, op: outbox.QueuedOp) -> OpResult:
    with station.db.reading() as session:
        enrolment = device.enrolment(session)
    assert enrolment is not None
    client = LedgerClient(enrolment.ledger_url, token=device.read_token(station.data_dir),
                          settings=FAST)  # fmt: skip
    try:
        (result,) = client.push(enrolment.device_id, [on_the_wire(op)]).results
    finally:
        client.close()
    return result


def test_credit_notes_run_on_and_out_of_numbers_the_refund_waits_yet_the_return_is_kept(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (shawl,) = skus(return_ledger)[32:33]
    till_sale(return_ledger, "TAKE-0002", [(shawl, 3)])
    one = [(shawl, G.A, D.SELLABLE)]

    first = counter.returns.take(draft_of(counter, "TAKE-0002", one), A100)
    second = counter.returns.take(draft_of(counter, "TAKE-0002", one), A100)
    with counter.db.writing() as session:
        raw_connection(session).execute(
            "UPDATE invoice_blocks SET next_serial = last + 1 WHERE series = 'credit_note'"
        )
    third = counter.returns.take(draft_of(counter, "TAKE-0002", one), A100)

    assert [_serial(first.credit_note) + 1] == [_serial(second.credit_note)]
    assert first.credit_note[:-5] == second.credit_note[:-5]
    assert (third.held, third.credit_note, third.refund_minor) == (True, "", first.refund_minor)
    assert third.said.startswith("Return saved; the refund of ₹")
    year = financial_year(invoice_day(datetime.now(UTC)))
    assert f"numbers left for {year}-{year_text(year)[2:]}, so no credit note is" in third.said
    assert "Sync the counter" in third.said and "not recorded" not in third.said
    (unit,) = third.rma_ids  # short enough to scan on the 4x2 label, never a credit note's
    assert unit == f"R{third.return_id[:10].upper()}-1" and "Printing failed" not in third.said
    assert unit in _label_texts(counter)
    again = counter.returns.reprint(third.return_id, A100)  # F8: the same label again
    assert again.startswith("Reprint of the RMA labels: 1 RMA label") and "failed" not in again
    intakes = [parse_return(op.payload) for op in queued(counter)]
    assert [(x.return_id, x.credit_note) for x in intakes] == [
        (first.return_id, first.credit_note), (second.return_id, second.credit_note),
        (third.return_id, None),
    ]  # fmt: skip
    assert shown(counter, shawl)["sellable"][1] == 3  # all three units are back here
    assert counter.returns.put_away(unit, "q-01", A100).bin == "Q-01"  # by its label
    counter.sync.sync_once()
    assert return_ledger.sql(
        "SELECT p.bin_code, r.return_id FROM return_put_aways p "
        "JOIN returns r ON r.id = p.return_id WHERE p.rma_id = :u", {"u": unit},
    ) == [("Q-01", third.return_id)]  # fmt: skip


@pytest.mark.parametrize("reason", ["no_such_reason", "changed_mind"])  # a handover's reason
def test_a_reason_not_of_the_retailers_return_reasons_is_refused_and_nothing_is_written(
    return_ledger: RunningLedger, counter: Station, reason: str
) -> None:
    (bag,) = skus(return_ledger)[48:49]
    receipt = f"TAKE-REASON-{reason}"
    till_sale(return_ledger, receipt, [(bag, 1)])
    draft = draft_of(counter, receipt, [(bag, G.A, D.SELLABLE)])
    odd = ReturnDraft(draft.order).with_unit(replace(draft.units[0], reason=reason))
    before = shown(counter, bag)

    with pytest.raises(RuleRefused, match=f"'{reason}' is not one of the return reasons") as no:
        counter.returns.take(odd, A100)

    assert no.value.next_step == "Choose the customer's reason from the list."
    assert queued(counter) == [] and shown(counter, bag) == before
    with counter.db.reading() as session:
        conn = raw_connection(session)
        kept = conn.execute("SELECT count(*) FROM rma_units").fetchone()
        notes = conn.execute("SELECT count(*) FROM credit_notes").fetchone()
    assert (kept[0], notes[0]) == (0, 0)
    assert counter.returns.take(draft, A100).units == 1  # the same unit, for a known reason


def test_a_printer_that_fails_never_loses_the_return(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (scarf,) = skus(return_ledger)[33:34]
    till_sale(return_ledger, "TAKE-0003", [(scarf, 1)])
    (counter.data_dir / "printed").write_text("a file where the print folder should be")

    taken = counter.returns.take(draft_of(counter, "TAKE-0003", [(scarf, G.C, D.DAMAGED)]), A100)

    assert NOTE.match(taken.credit_note) and not taken.held
    assert "Printing failed: the credit note: The folder" in taken.said
    assert f"RMA label {taken.rma_ids[0]}: The label could not be written" in taken.said
    assert taken.said.endswith("F8 reprints. Put the units away: 1 to damaged stock.")
    assert [parse_return(op.payload).return_id for op in queued(counter)] == [taken.return_id]
    assert shown(counter, scarf)["damaged"] == (1, 1)


def test_the_reasons_are_the_retailers_return_reasons_in_its_order(counter: Station) -> None:
    wanted = sorted(
        (r for r in SEEDED_REASONS if r.serves(ReasonUse.RETURN)),
        key=lambda r: (r.sort_order, r.label),
    )
    assert counter.returns.reasons() == tuple(ReturnReason(r.code, r.label) for r in wanted)


def test_a_parcel_received_back_is_named_in_the_return_the_ledger_hears(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (mat,) = skus(return_ledger)[34:35]
    till_sale(return_ledger, "TAKE-0004", [(mat, 1)])
    sscc = new_sscc()
    draft = draft_of(counter, "TAKE-0004", [(mat, G.C, D.DAMAGED)])

    taken = counter.returns.take(replace(draft, parcel=sscc), A100)

    [intake] = [parse_return(op.payload) for op in queued(counter)]
    assert (intake.return_id, intake.parcel) == (taken.return_id, sscc)
    counter.sync.sync_once()
    kept = return_ledger.sql(
        "SELECT parcel FROM returns WHERE return_id = :r", {"r": taken.return_id}
    )
    assert kept == [(sscc,)]


def test_a_credit_note_that_cannot_be_made_still_prints_the_rma_labels(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (lamp,) = skus(return_ledger)[35:36]
    till_sale(return_ledger, "TAKE-0005", [(lamp, 1)])
    draft = draft_of(counter, "TAKE-0005", [(lamp, G.A, D.SELLABLE)])
    untaxed = tuple(replace(x, hsn_code="", gst_rate_bp=0) for x in draft.order.lines)
    draft = replace(draft, order=replace(draft.order, lines=untaxed))  # no HSN, no rate

    taken = counter.returns.take(draft, A100)

    assert "Printing failed: the credit note:" in taken.said
    assert "1 RMA label:" in taken.said  # the unit still gets its label
