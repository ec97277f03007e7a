"""Who picks a ship order: chosen at the bench from the staff here (or nobody) as a
``ship.assign`` in the outbox; this bench shows its own choice until the ledger has
answered it and the answer is pulled back, then the ledger's; a refused choice shows no
more."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from app.errors import BadInput, NotFound, RuleRefused
from app.services.station import Station
from app.storage import device, outbox
from app.storage.engine import raw_connection
from tests.storage.seed import T0
from tests.support.ship_rows import ship_row, store_pulled

M = timedelta(minutes=1)


def _store(station: Station, rows: list[dict[str, Any]]) -> None:
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _staff(station: Station, code: str = "L200") -> Any:
    return station.auth.session_for(code)


def _assign_ops(station: Station) -> list[tuple[str, str, dict[str, Any], str | None]]:
    """(op_id, status, payload, actor) of the ship.assign ops in the outbox, in order."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT op_id, status, payload, actor FROM outbox WHERE type = 'ship.assign' "
            "ORDER BY device_seq"
        )
        return [(op_id, status, json.loads(body), actor) for op_id, status, body, actor in rows]


def _answer(station: Station, op_id: str, status: str, ledger_seq: int | None) -> None:
    with station.db.writing() as session:
        outbox.record_outcomes(session, [outbox.OpOutcome(op_id, 0, status, ledger_seq, {})], T0)


def _pulled_to(station: Station, cursor: int, picker: str | None) -> None:
    """The ledger's change of order 1 (with ``picker``) pulled, the cursor at ``cursor``."""
    _store(station, [ship_row(1, "WEB-1", ship_by=T0 + 60 * M, created_at=T0, picker_code=picker)])
    with station.db.writing() as session:
        device.set_sync_state(session, cursor=cursor)


def _shown(station: Station) -> tuple[str, str]:
    (row,) = station.ship_queue.queue().orders
    return row.picker_code, row.picker_name


def test_a_picker_chosen_here_is_a_ship_assign_op_and_shows_at_once(station: Station) -> None:
    _store(station, [ship_row(1, "WEB-1", ship_by=T0 + 60 * M, created_at=T0)])
    assert [(p.code, p.name) for p in station.pickers.pickers()] == [
        ("A100", "Asha Rao"),
        ("L200", "Lakshmi Iyer"),
        ("M300", "Mohan Das"),
    ]

    row = station.pickers.assign(_staff(station), 1, "A100")

    assert (row.picker_code, row.picker_name) == ("A100", "Asha Rao")
    assert _shown(station) == ("A100", "Asha Rao")
    ((_, status, payload, actor),) = _assign_ops(station)
    assert (status, actor) == ("pending", "L200")
    assert payload == {"location": "BLR-01", "fulfilment_id": 1, "picker": "A100"}


def test_given_again_and_to_nobody_the_latest_choice_shows(station: Station) -> None:
    _store(station, [ship_row(1, "WEB-1", ship_by=T0 + 60 * M, created_at=T0)])
    station.pickers.assign(_staff(station), 1, "A100")
    station.pickers.assign(_staff(station), 1, "M300")
    assert _shown(station) == ("M300", "Mohan Das")

    row = station.pickers.assign(_staff(station), 1, "")

    assert (row.picker_code, row.picker_name) == ("", "")
    assert _shown(station) == ("", "")
    assert [p["picker"] for _, _, p, _ in _assign_ops(station)] == ["A100", "M300", ""]


def test_the_choice_here_wins_until_answered_and_pulled_then_the_ledgers_shows(
    station: Station,
) -> None:
    _pulled_to(station, 10, "M300")  # another bench gave it to M300
    assert _shown(station) == ("M300", "Mohan Das")
    station.pickers.assign(_staff(station), 1, "A100")
    ((op_id, *_),) = _assign_ops(station)

    _pulled_to(station, 11, "M300")  # a pull before the push: still this bench's choice
    pending = _shown(station)
    _answer(station, op_id, "applied", 12)
    applied_not_pulled = _shown(station)
    _pulled_to(station, 12, "L200")  # the change pulled back; a later one would say L200

    assert pending == applied_not_pulled == ("A100", "Asha Rao")
    assert _shown(station) == ("L200", "Lakshmi Iyer")


def test_a_refused_choice_shows_no_more(station: Station) -> None:
    _pulled_to(station, 10, "M300")
    station.pickers.assign(_staff(station), 1, "A100")
    ((op_id, *_),) = _assign_ops(station)

    _answer(station, op_id, "rejected", None)

    assert _shown(station) == ("M300", "Mohan Das")


def test_nobody_is_given_a_closed_order_an_unknown_one_or_to_a_stranger(
    station: Station,
) -> None:
    _store(
        station,
        [
            ship_row(1, "WEB-1", ship_by=T0 + 60 * M, created_at=T0),
            ship_row(2, "WEB-2", ship_by=T0 + 60 * M, created_at=T0, state="cancelled"),
        ],
    )
    with pytest.raises(BadInput, match="Z999 is not on this location's staff"):
        station.pickers.assign(_staff(station), 1, "Z999")
    with pytest.raises(RuleRefused, match="Order WEB-2 was cancelled: nobody picks it now"):
        station.pickers.assign(_staff(station), 2, "A100")
    with pytest.raises(NotFound):
        station.pickers.assign(_staff(station), 3, "A100")
    assert _assign_ops(station) == []
    assert _shown(station) == ("", "")
