"""Returns (Ctrl+F7) driven by keys and wedge scans only, on a real station cache: the
order scanned from the receipt; refused units double-beep and say why (final sale, not
on the order, more than was sold); each unit graded with one key (D asks R or S) and
given its reason by number; Backspace undoes the last unit; M switches the refund to
store credit; an item scanned finds the two orders that hold it (↓ Enter picks one); and
the screen fits 1024 x 768 with a long order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSize, Qt
from sqlalchemy import text

from app.domain.gtin import gs1_check_digit
from app.domain.labels import LabelKind
from app.domain.money import Money
from app.domain.returns.draft import method_of
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.refund_rules import RefundMethod
from app.domain.returns.sold import SoldLine, SoldOrder
from app.services.returns.words import NO_RECEIPT
from app.services.station import Station
from app.storage import sold_orders
from app.storage.engine import raw_connection
from app.ui.scanner import ScanFeedback
from app.ui.screens.returns.screen import ReturnsScreen
from app.ui.screens.returns.steps import Step
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.services.returns.conftest import till_sale
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, log_in, scan
from tests.ui.pickup_support import catalog_items
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = datetime.now(UTC).date()


def gtin(body: str) -> str:
    return body + str(gs1_check_digit(body))


def sold(ledger: RunningLedger) -> tuple[SoldOrder, SoldOrder]:
    """A web order of three catalogue items (the third final sale), delivered six days
    ago and paid by card with a discount and shipping; and a till receipt of the first."""
    (k_sku, k_gtin, k_name), (m_sku, m_gtin, m_name), (s_sku, s_gtin, s_name) = catalog_items(
        ledger, 0, 12, 13
    )
    lines = (
        SoldLine(1, k_sku, k_gtin, k_name, 2, 89900, "6211", 500),
        SoldLine(2, m_sku, m_gtin, m_name, 1, 34900, "6912", 1200),
        SoldLine(3, s_sku, s_gtin, s_name, 1, 149900, "6214", 500, final_sale=True),
    )
    order = SoldOrder(
        "WEB-1042", "web", TODAY - timedelta(days=9), "BLR-01", lines,
        delivered_on=TODAY - timedelta(days=6), location_state="KA", payment="card",
        discount_minor=10000, shipping_minor=4900, customer="Asha ••2345",
    )  # fmt: skip
    receipt = SoldOrder(
        "R0077", "store", TODAY - timedelta(days=2), "BLR-01", lines[:1], payment="cash",
        customer="Ravi ••7781",
    )  # fmt: skip
    return order, receipt


def keep(station: Station, *orders: SoldOrder) -> None:
    """Orders in this station's cache, as the ledger's lookup or a sale here left them."""
    with station.db.writing() as session:
        for order in orders:
            sold_orders.keep_order(raw_connection(session), order, source="here")


def open_returns(qtbot: QtBot, shell: Shell) -> ReturnsScreen:
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F7, CTRL)
    screen = shell.window.current_screen()
    assert isinstance(screen, ReturnsScreen)
    qtbot.waitUntil(lambda: len(screen.reasons) > 0)
    assert screen.search.hasFocus()
    return screen


def _scan(qtbot: QtBot, shell: Shell, screen: ReturnsScreen, code: str) -> str:
    """A wedge scan; the message after it, marked "refused: " after a double beep."""
    screen.message.clear_message()
    shell.window.feedback.last = ""
    shell.clock.now += 1.0  # the scanner is picked up: a key typed before is no part of it
    scan(qtbot, shell, code)
    qtbot.waitUntil(lambda: screen.message.text() != "" and shell.window.feedback.last != "")
    refused = shell.window.feedback.last == ScanFeedback.FAILED
    assert refused == (screen.message.tone() == "error")
    return ("refused: " if refused else "") + screen.message.text()


def _key(qtbot: QtBot, screen: ReturnsScreen, key: str, then: Step) -> None:
    """One key pressed by hand on the step line; the step it leads to."""
    assert screen.step_line.hasFocus()
    qtbot.keyClick(focused(), key)
    qtbot.waitUntil(lambda: screen.step is then)


def test_a_return_by_scans_and_keys_grades_each_unit_refuses_with_words_and_prints(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    order, _ = sold(ui_ledger)
    kurta, mug, scarf = (line.gtin for line in order.lines)
    name = order.lines[0].name
    keep(station, order)
    screen = open_returns(qtbot, shell)
    assert screen.step_line.text().startswith("Scan the receipt, order or parcel, an item")

    said = _scan(qtbot, shell, screen, "WEB-1042")
    assert said == "Order WEB-1042: scan each item coming back."
    assert screen.step is Step.SCAN and screen.step_line.text() == "Scan each item coming back."
    assert screen.heading.text().startswith("WEB-1042 · web · Asha ••2345 · card\nSold ")
    assert screen.lines_model.rowCount() == 3
    assert screen.lines_model.index(2, 5).data() == "FINAL SALE"

    said = _scan(qtbot, shell, screen, scarf)
    assert said.startswith("refused: ") and "final sale" in said.lower()
    said = _scan(qtbot, shell, screen, gtin("890123477099"))
    assert said.startswith(f"refused: {gtin('890123477099')} is not on order WEB-1042.")
    assert "Scan an item of this order" in said

    said = _scan(qtbot, shell, screen, kurta)
    assert said == f"{name}: on the order, it can come back."
    assert screen.step_line.text() == (f"Grade {name}: A new · B opened · C damaged · D defective")
    assert _scan(qtbot, shell, screen, mug).startswith("refused: Finish this unit first.")
    said = _scan(qtbot, shell, screen, "ABCD-MRS-1")  # its letters are no answers
    assert said.startswith("refused: Finish this unit first.") and screen.step is Step.GRADE
    assert screen.step_line.waiting() == 0  # the scan's letters were dropped, not answered
    _key(qtbot, screen, "b", Step.REASON)
    assert "2 Wrong size or fit" in screen.choices.text().replace("\xa0", " ")
    _key(qtbot, screen, "2", Step.SCAN)
    assert screen.message.text() == (f"{name}: B opened, to open-box stock, Wrong size or fit.")
    assert "Refund due" in screen.refund.text() and "₹" in screen.refund.text()

    said = _scan(qtbot, shell, screen, kurta)
    assert said == f"{name}: on the order, it can come back.", said
    _key(qtbot, screen, "d", Step.DISPOSE)
    assert screen.step_line.text() == (f"{name} is defective: R return to vendor · S scrap")
    assert screen.message.text() == f"{name}: D defective."
    _key(qtbot, screen, "r", Step.REASON)
    assert screen.message.text() == f"{name}: D defective, to return to the vendor."
    _key(qtbot, screen, "3", Step.SCAN)
    said = _scan(qtbot, shell, screen, kurta)
    assert said.startswith("refused: This one cannot come back: 2 are in this return already")

    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)  # the defective one was not
    assert screen.draft is not None and len(screen.draft.units) == 1
    assert screen.message.text() == f"Undone: {name} is not taken."
    _scan(qtbot, shell, screen, mug)
    _key(qtbot, screen, "a", Step.REASON)
    _key(qtbot, screen, "1", Step.SCAN)
    units = [(u.line_no, u.grade, u.disposition, u.reason) for u in screen.draft.units]
    assert units == [
        (1, Grade.B, Disposition.OPEN_BOX, "wrong_size"),
        (2, Grade.A, Disposition.SELLABLE, "no_longer_wanted"),
    ]
    assert screen.step_line.text() == (
        "Scan the next item coming back, or Ctrl+Enter to finish (2 units)."
    )
    assert "To the original payment (card)<br>M: store credit instead" in screen.refund.text()
    qtbot.keyClick(focused(), "m")
    qtbot.waitUntil(lambda: "As store credit" in screen.refund.text())
    assert method_of(screen.draft) is RefundMethod.STORE_CREDIT

    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert screen.message.text().startswith("Press Esc again to drop this return (2 units)")
    assert screen.step is Step.SCAN

    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.last_taken is not None)
    taken = screen.last_taken
    assert taken is not None and not taken.held and taken.units == 2
    assert taken.method is RefundMethod.STORE_CREDIT
    said = screen.message.text()
    assert said.startswith(f"Return saved. Credit note {taken.credit_note}: refund ₹"), said
    assert "2 RMA labels" in said and said.endswith(
        "Put the units away: 1 to open-box stock, 1 back to sellable stock."
    )
    assert screen.message.tone() == "ok"
    assert screen.step is Step.FIND and screen.search.hasFocus() and screen.draft is None
    assert screen.body.last.text() == (
        f"Last return: WEB-1042 · 2 units · {Money(taken.refund_minor).format()} as store "
        f"credit\nCredit note {taken.credit_note} · RMA labels {', '.join(taken.rma_ids)}"
    )
    printed = station.data_dir / "printed"
    sheet = (printed / f"credit-note-{taken.credit_note.replace('/', '-')}.pdf").read_bytes()
    assert taken.credit_note in {t for page in pdf_pages(sheet, 200) for _, t, _ in decode(page)}
    profile = station.printing.profile_for(LabelKind.RETURN) if station.printing else None
    assert profile is not None
    labels = {t for f in printed.glob("*.zpl") for page in zpl_pages(f.read_bytes(), profile)
              for _, t, _ in decode(page)}  # fmt: skip
    assert set(taken.rma_ids) <= labels and len(taken.rma_ids) == 2


def test_an_exchange_by_keys_and_scans_records_the_return_and_prints_the_slip(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    order, _ = sold(ui_ledger)
    kurta, mug = order.lines[0].gtin, order.lines[1].gtin
    keep(station, order)
    screen = open_returns(qtbot, shell)
    _scan(qtbot, shell, screen, "WEB-1042")
    qtbot.keyClick(focused(), Qt.Key.Key_E, CTRL)  # nothing taken yet: nothing to exchange
    assert screen.step is Step.SCAN and screen.message.tone() == "error"
    assert "Scan the items coming back first; then Ctrl+E" in screen.message.text()
    _scan(qtbot, shell, screen, mug)
    _key(qtbot, screen, "a", Step.REASON)
    _key(qtbot, screen, "1", Step.SCAN)
    assert "Ctrl+E exchange" in screen.body.keys_line.text()

    qtbot.keyClick(focused(), Qt.Key.Key_E, CTRL)
    assert screen.step is Step.SWAP
    assert screen.step_line.text().startswith("Exchange: scan the item the customer takes")
    said = _scan(qtbot, shell, screen, kurta)
    assert said.startswith(f"Instead: {order.lines[0].name}, ₹") and "on the shelf here" in said
    assert "Replacement: ₹" in screen.refund.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # no exchange after all: the unit stays
    assert screen.step is Step.SCAN and screen.exchange.replacements == []
    assert screen.draft is not None and len(screen.draft.units) == 1
    qtbot.keyClick(focused(), Qt.Key.Key_E, CTRL)
    shell.clock.now += 1.0
    scan(qtbot, shell, kurta)  # two scans back to back: checked one after the other
    shell.clock.now += 1.0
    scan(qtbot, shell, kurta)
    qtbot.waitUntil(lambda: len(screen.exchange.replacements) == 2)
    assert not screen.exchange.checking
    screen.exchange.checking = True  # as while a third scan is still being checked
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert screen.message.text().startswith("A moment: the last replacement scanned is still")
    assert screen.step is Step.SWAP
    screen.exchange.checking = False
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)  # one kurta is enough
    assert len(screen.exchange.replacements) == 1
    assert screen.message.text() == f"Undone: {order.lines[0].name} is not the replacement."
    assert screen.taken.text().startswith("1. ₹")
    assert screen.taken.text().endswith(f" · on the shelf · {order.lines[0].name}")
    assert "Customer pays ₹" in screen.refund.text() or "Refund left" in screen.refund.text()

    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.last_taken is not None)
    taken = screen.last_taken
    assert taken is not None and taken.exchange_order.startswith("EX-") and taken.credit_note
    said = screen.message.text()
    assert said.startswith(f"Exchange saved: replacement order {taken.exchange_order}, pickup")
    assert "Exchange slip: Saved to a file" in said and "1 RMA label" in said
    assert screen.step is Step.FIND and screen.search.hasFocus()
    assert screen.body.last.text().endswith(
        f"Exchange order {taken.exchange_order} · pickup code {taken.pickup_code}"
    )
    slip = (station.data_dir / "printed" / f"exchange-{taken.exchange_order}.pdf").read_bytes()
    read = {t for page in pdf_pages(slip, 200) for _, t, _ in decode(page)}
    assert f"CBPU1:{taken.exchange_order}:{taken.pickup_code}" in read


def test_a_second_person_after_a_log_out_mid_exchange_sees_nothing_of_it(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    order, _ = sold(ui_ledger)
    kurta, mug = order.lines[0].gtin, order.lines[1].gtin
    keep(station, order)
    screen = open_returns(qtbot, shell)
    _scan(qtbot, shell, screen, "WEB-1042")
    _scan(qtbot, shell, screen, mug)
    _key(qtbot, screen, "a", Step.REASON)
    _key(qtbot, screen, "1", Step.SCAN)
    qtbot.keyClick(focused(), Qt.Key.Key_E, CTRL)
    _scan(qtbot, shell, screen, kurta)
    assert screen.exchange.replacements and "Replacement: ₹" in screen.refund.text()

    qtbot.keyClick(focused(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: shell.window.staff() is None)
    log_in(qtbot, shell, "L200", "2222")
    qtbot.keyClick(focused(), Qt.Key.Key_F7, CTRL)
    qtbot.waitUntil(lambda: shell.window.current_screen() is screen)
    assert screen.step is Step.FIND and screen.draft is None
    assert screen.exchange.replacements == [] and not screen.exchange.checking
    assert screen.taken.text() == "" and screen.message.text() == ""
    assert not screen.refund.isVisibleTo(screen) and screen.last_taken is None
    assert station.returns.find_here("WEB-1042").orders  # the order is still kept here
    with station.db.reading() as session:  # and nothing of the first person's was recorded
        kept = (
            raw_connection(session)
            .execute(
                "SELECT count(*) FROM outbox WHERE type IN ('return.intake', 'exchange.order')"
            )
            .fetchone()
        )
    assert kept == (0,)


def test_an_item_scanned_finds_both_orders_and_down_enter_opens_the_second(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    order, receipt = sold(ui_ledger)
    kurta = order.lines[0].gtin
    keep(station, order, receipt)
    screen = open_returns(qtbot, shell)
    said = _scan(qtbot, shell, screen, kurta)
    assert said == "2 orders for this item: ↑↓ and Enter to pick one."
    assert screen.step is Step.CHOOSE
    assert [o.order_number for o in screen.found_model.rows()] == ["R0077", "WEB-1042"]
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert screen.step is Step.SCAN and screen.draft is not None
    assert screen.draft.order.order_number == "WEB-1042"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # no unit taken: back to the box at once
    assert screen.step is Step.FIND and screen.search.hasFocus()


def online(station: Station, on: bool) -> None:
    with station.db.writing() as session:
        session.execute(text("UPDATE sync_state SET online = :on"), {"on": int(on)})


def test_a_receipt_not_kept_here_is_asked_of_the_ledger_and_opened(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    ((sku, _, item),) = catalog_items(
        ui_ledger, 13
    )  # this file's final-sale item; a till sells it too
    till_sale(ui_ledger, "TILL-UI-0001", [(sku, 1)])
    online(station, True)
    screen = open_returns(qtbot, shell)
    assert station.returns.find_here("TILL-UI-0001").orders == ()  # not kept here
    scan(qtbot, shell, "TILL-UI-0001")
    qtbot.waitUntil(lambda: screen.step is Step.SCAN)
    assert screen.message.text() == "Order TILL-UI-0001: scan each item coming back."
    assert screen.draft is not None and screen.draft.order.order_number == "TILL-UI-0001"
    assert screen.lines_model.index(0, 0).data() == f"{item} ({sku})"


def test_offline_and_not_here_says_what_to_do_instead(
    qtbot: QtBot, shell: Shell, station: Station
) -> None:
    online(station, False)
    screen = open_returns(qtbot, shell)
    said = _scan(qtbot, shell, screen, "WEB-404404")
    assert said == f"refused: {NO_RECEIPT}"
    assert screen.step is Step.FIND and screen.search.hasFocus()


def long_order() -> SoldOrder:
    """An order of twelve lines with long names, some returned before elsewhere."""
    lines = tuple(
        SoldLine(
            n,
            f"SKU-LONG-{n:02d}",
            gtin(f"8901234880{n:02d}"),
            f"Handloom cotton bedsheet king size with two pillow covers, indigo print {n}",
            3,
            129900 + n,
            "6302",
            500,
        )
        for n in range(1, 13)
    )
    return SoldOrder(
        "MKT-5520931", "marketplace", TODAY - timedelta(days=20), "BLR-02", lines,
        delivered_on=TODAY - timedelta(days=15), payment="cod", discount_minor=55500,
        shipping_minor=9900, customer="Meenakshi ••4410",
    )  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_returns_fits_the_window_with_a_long_order(
    qtbot: QtBot, shell: Shell, station: Station, size: QSize
) -> None:
    order = long_order()
    keep(station, order)
    opened(qtbot, shell, size)
    screen = open_returns(qtbot, shell)
    _scan(qtbot, shell, screen, order.order_number)
    for n in (1, 2, 3):
        _scan(qtbot, shell, screen, order.lines[n].gtin)
        _key(qtbot, screen, "d", Step.DISPOSE)
        _key(qtbot, screen, "s", Step.REASON)
        _key(qtbot, screen, "3", Step.SCAN)
    _scan(qtbot, shell, screen, order.lines[5].gtin)
    _key(qtbot, screen, "c", Step.REASON)  # the reasons listed too
    fullest(shell.window)
    assert misfits(shell.window, size) == []
