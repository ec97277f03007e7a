"""Asking the ledger for what was bought, from a counter at another store: the answer in
the shape a return reads, kept so it is found here next time (offline too); nothing found
and no network each say what the associate can do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.returns.lookup import LookFor
from app.domain.tax.invoice_numbers import INDIA
from app.errors import NotFound, Offline
from app.services.results import StaffSession
from app.services.returns.counter import ReturnCounter
from app.services.returns.words import NO_RECEIPT, ONE_FOUND
from app.services.station import Station
from app.sync.engine import default_client
from tests.services.returns.conftest import skus, till_sale
from tests.support.ledger import RunningLedger, free_port, ledger_on
from tests.sync.stations import FAST


@pytest.fixture(scope="module")
def return_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """SQLite only: the lookup itself runs on both databases in tests/ledger."""
    yield from ledger_on("sqlite", tmp_path_factory.mktemp("ask-ledger"))


A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))


def test_a_till_receipt_from_another_store_is_asked_kept_and_found_here_after(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = skus(return_ledger)[20]
    till_sale(return_ledger, "ASK-0001", [(sku, 2)])

    found = counter.returns.ask_ledger("ask-0001", A100)

    (order,) = found.orders
    gtin, name, days = return_ledger.sql(
        "SELECT gtin, name, return_days FROM items WHERE sku = :s", {"s": sku}
    )[0]
    assert (found.at_ledger, found.way, found.said) == (True, LookFor.ORDER, ONE_FOUND)
    assert (order.order_number, order.channel, order.location) == ("ASK-0001", "store", "BLR-01")
    assert (order.customer, order.payment, order.location_state) == ("Priya ••3210", "card", "29")
    assert order.sold_on == (datetime.now(UTC) - timedelta(days=2)).astimezone(INDIA).date()
    (line,) = order.lines
    assert (line.sku, line.gtin, line.name, line.quantity) == (sku, gtin, name, 2)
    assert (line.unit_paid_minor, line.return_days, line.earlier) == (123450, days, ())
    here = counter.returns.find_here("ASK-0001")
    assert here.orders == found.orders and not here.at_ledger
    audited = return_ledger.sql(
        "SELECT actor FROM audit_log WHERE action = 'returns.lookup' AND body LIKE :o",
        {"o": "%ASK-0001%"},
    )
    assert {actor for (actor,) in audited} == {"A100"}  # as typed, then upper case


def test_found_by_phone_at_the_ledger_is_found_by_phone_here_after(
    return_ledger: RunningLedger, counter: Station
) -> None:
    sku = skus(return_ledger)[21]
    till_sale(return_ledger, "ASK-0002", [(sku, 1)], customer_phone="+91 98000 55501")

    found = counter.returns.ask_ledger("98000 55501", A100)

    assert [o.order_number for o in found.orders] == ["ASK-0002"]
    assert found.way is LookFor.PHONE
    assert [o.order_number for o in counter.returns.find_here("+919800055501").orders] == [
        "ASK-0002"
    ]


def test_nothing_at_the_ledger_either_says_what_to_do(counter: Station) -> None:
    with pytest.raises(NotFound) as nothing:
        counter.returns.ask_ledger("NO-SUCH-9", A100)
    assert "here or at the ledger" in nothing.value.message
    assert "without a receipt" in nothing.value.next_step


def test_offline_the_ledger_cannot_be_asked_and_a_return_without_receipt_is_offered(
    counter: Station,
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # a ledger address where none answers
    cut_off = ReturnCounter(
        db=counter.db,
        data_dir=counter.data_dir,
        clock=lambda: datetime.now(UTC),
        client_factory=lambda _url, token, settings: default_client(nobody, token, settings),
        settings=FAST,
    )

    with pytest.raises(Offline) as offline:
        cut_off.ask_ledger("ASK-0001", A100)

    assert "only orders kept at this counter" in offline.value.message
    assert offline.value.next_step == NO_RECEIPT
