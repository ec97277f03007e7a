"""Each enrolment gets its station number from the ledger (its devices row id): two
stations never share one, so their SSCCs never collide; a cache enrolled before the
ledger numbered stations keeps the number from its device id, with a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.shipping.parcels import SsccScheme
from app.ledger.models import Device, table_of
from app.services.shipping.pack import COMPANY_PREFIX, station_number
from app.services.station import Station
from app.storage import packing
from app.storage.engine import raw_connection
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station


def bench_number(station: Station) -> tuple[str, int]:
    """The station's device id and the number the pack step puts in its SSCCs."""
    with station.db.reading() as session:
        place = packing.location_row(raw_connection(session))
    assert place is not None
    device_id = str(place["device_id"])
    return device_id, station_number(device_id, place["station_number"])


def test_two_enrolled_stations_get_the_ledgers_numbers_and_their_ssccs_never_collide(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    stations = [
        enrolled_station(ledger, tmp_path / name, name=name) for name in ("Bench 1", "Bench 2")
    ]
    try:
        device_ids, numbers = zip(*(bench_number(s) for s in stations), strict=True)
    finally:
        for s in stations:
            s.close()
    d = table_of(Device).c
    with ledger.engine.connect() as conn:
        ids = {r.device_id: r.id for r in conn.execute(select(d.device_id, d.id))}
    assert list(numbers) == [ids[i] for i in device_ids]
    assert numbers[0] != numbers[1]
    scheme = SsccScheme(COMPANY_PREFIX)
    made = {scheme.sscc(n, counter) for n in numbers for counter in range(2000)}
    assert len(made) == 2 * 2000
    assert {scheme.read(s).station for s in made} == set(numbers)


def test_a_cache_enrolled_before_keeps_the_number_from_its_device_id_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        old = station_number("dev-00ab", None)
    assert old == 0xDE00AB % 9999 + 1  # the hex digits of the id, 'de' of 'dev' too
    assert "no station number from the ledger" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert station_number("dev-00ab", 42) == 42
    assert caplog.text == ""


def test_the_warning_of_no_station_number_comes_once_per_device(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        numbers = {station_number("dev-00cd-once", None) for _ in range(5)}
    assert len(numbers) == 1
    assert caplog.text.count("no station number from the ledger") == 1
