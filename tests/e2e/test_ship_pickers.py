"""Two packing benches of one store against a real ledger (SQLite and PostgreSQL): the
picker one bench gives an order reaches the other after a sync, given again and to nobody
the same way; a choice made while the ledger is down shows at once on its own bench, is
sent exactly once when the ledger is back, and the other bench then shows it; a choice
for an order cancelled centrally meanwhile is refused and the bench shows the ledger's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.ledger.holds import cancel_order
from app.services.station import Station, build_station
from tests.ledger.bench_support import placed
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger, backend_params
from tests.sync.stations import FAST


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("ledger"))


def bench(ledger: RunningLedger, data_dir: Path, name: str) -> Station:
    station = build_station(data_dir, sync_settings=FAST)
    code = ledger.enrol_code("BLR-01", "bench")
    status = station.enrolment.enrol(ledger.url, code, name, "bench")
    assert status.enrolled and status.online, status
    return station


@pytest.fixture
def benches(ledger: RunningLedger, tmp_path: Path) -> Iterator[tuple[Station, Station]]:
    one, two = bench(ledger, tmp_path / "b1", "Bench 1"), bench(ledger, tmp_path / "b2", "Bench 2")
    yield one, two
    one.close()
    two.close()


def shown(station: Station, number: str) -> tuple[str, str]:
    """(picker code, name) of order ``number`` on the station's queue."""
    (row,) = [o for o in station.ship_queue.queue().orders if o.order_number == number]
    return row.picker_code, row.picker_name


def sync(*stations: Station) -> None:
    for station in stations:
        station.sync.sync_once()


def assign_ops(station: Station) -> list[tuple[str, str]]:
    """(op_id, status) of the station's ship.assign ops."""
    with station.db.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT op_id, status FROM outbox WHERE type = 'ship.assign' ORDER BY device_seq"
        )
        return [(str(op_id), str(status)) for op_id, status in rows]


def test_a_picker_given_at_one_bench_shows_at_the_other_after_a_sync(
    ledger: RunningLedger, benches: tuple[Station, Station]
) -> None:
    one, two = benches
    sku = stock_item(ledger, "EP-01", {"BLR-01": 5})
    placed(ledger, "WEB-EP01", [(sku, 1)])
    sync(one, two)
    lead = one.auth.session_for("L200")

    one.pickers.assign(lead, _id(one, "WEB-EP01"), "A190")
    sync(one, two)
    given = shown(two, "WEB-EP01"), shown(one, "WEB-EP01")
    two.pickers.assign(two.auth.session_for("A100"), _id(two, "WEB-EP01"), "A100")
    sync(two, one)
    again = shown(one, "WEB-EP01")
    one.pickers.assign(lead, _id(one, "WEB-EP01"), "")
    sync(one, two)

    assert given == (("A190", "Kavya Menon"), ("A190", "Kavya Menon"))
    assert again == ("A100", "Arjun Rao")
    assert shown(one, "WEB-EP01") == shown(two, "WEB-EP01") == ("", "")
    picker = ledger.sql("SELECT picker_code FROM fulfilment_orders WHERE order_number = 'WEB-EP01'")
    assert picker == [(None,)]


def test_a_choice_made_offline_is_sent_once_and_reaches_the_other_bench(
    ledger: RunningLedger, benches: tuple[Station, Station]
) -> None:
    one, two = benches
    sku = stock_item(ledger, "EP-02", {"BLR-01": 5})
    placed(ledger, "WEB-EP02", [(sku, 1)])
    placed(ledger, "WEB-EP03", [(sku, 1)])
    sync(one, two)
    lead = one.auth.session_for("L200")

    ledger.stop()
    try:
        one.pickers.assign(lead, _id(one, "WEB-EP02"), "A190")
        one.pickers.assign(lead, _id(one, "WEB-EP03"), "A190")
        offline = shown(one, "WEB-EP02"), assign_ops(one)
        cancel_order(ledger.engine, "WEB-EP03", "customer called", "CS desk")
    finally:
        ledger.start()
    sync(one)
    sync(one)  # nothing more to send
    sync(two)

    assert offline[0] == ("A190", "Kavya Menon")
    assert [status for _, status in offline[1]] == ["pending", "pending"]
    ops = assign_ops(one)
    assert [status for _, status in ops] == ["applied", "rejected"]
    received = ledger.sql(
        "SELECT op_id, count(*) FROM ops_received WHERE op_id IN (:a, :b) GROUP BY op_id",
        {"a": ops[0][0], "b": ops[1][0]},
    )
    assert sorted(received) == sorted((op_id, 1) for op_id, _ in ops)  # each once
    audited = [
        ledger.sql(
            "SELECT count(*) FROM audit_log WHERE action = 'ship.assign' AND body LIKE :o",
            {"o": f"%{op_id}%"},
        )
        for op_id, _ in ops
    ]
    assert audited == [[(1,)], [(0,)]]  # the applied one once, the refused one never
    assert shown(two, "WEB-EP02") == ("A190", "Kavya Menon") == shown(one, "WEB-EP02")
    assert one.status.status().pending_ops == 0
    (refused,) = [e for e in one.exceptions.open_exceptions() if e.key == f"op:{ops[1][0]}"]
    assert (refused.kind, refused.order_number) == ("order_cancelled", "WEB-EP03")


def _id(station: Station, number: str) -> int:
    (row,) = [o for o in station.ship_queue.queue().orders if o.order_number == number]
    return row.fulfilment_id
