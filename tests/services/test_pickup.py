"""PickupService over a cache filled without a ledger: refusals, rebasing, offline find."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_codes import hash_pickup_code
from app.domain.pickup_ops import Proof, Verification
from app.errors import NotFound, RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import Scope
from tests.services.conftest import Clock
from tests.storage.seed import LOCATIONS, T0, gtin, item_row

S = FulfilmentState
A100 = StaffSession(1, "A100", "Asha Rao", "associate", T0)
FID = 501


def line(n: int, ordered: int, **counters: int) -> dict[str, Any]:
    return {"sku": f"SKU-{n:04d}", "item_id": n, "gtin": gtin(n), "name": f"Item {n}",
            "quantity": ordered, "price_minor": 100, **counters}  # fmt: skip


def order_row(lines: list[dict[str, Any]], state: str = "accepted", **extra: Any) -> dict[str, Any]:
    return {
        "id": FID, "order_number": "WEB-5001", "channel": "web", "method": "pickup",
        "state": state, "customer_name": "Asha Kumar", "customer_phone": "+91 98450 12345",
        "lines": lines, "created_at": T0.isoformat(), "updated_at": T0.isoformat(),
        "location_code": "BLR-01", "bin": None, "pickup_by": None,
        "pickup_code_hash": hash_pickup_code("424242", "salt"), "pickup_code_salt": "salt",
        "pickup_log": {}, **extra,
    }  # fmt: skip


def pulled(station: Station, row: dict[str, Any], cursor: int | None = None) -> None:
    """Store ``row`` as a pulled change (and move the cursor), as a sync would."""
    _, code, name, city, lat, lon = LOCATIONS[0]
    here = {"id": 1, "code": code, "name": name, "kind": "store", "city": city,
            "latitude": lat, "longitude": lon, "timezone": "Asia/Kolkata",
            "capabilities": ["bopis"], "pickup_hold_days": 3, "bins": ["H-01", "H-02"]}  # fmt: skip
    with station.db.writing() as session:
        mirror.apply_changes(
            raw_connection(session),
            [(Scope.LOCATIONS, "1", here), (Scope.FULFILMENT, str(row["id"]), row)],
        )
        if cursor is not None:
            session.execute(text("UPDATE sync_state SET cursor = :c"), {"c": cursor})


def outbox_size(station: Station) -> int:
    with station.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def test_a_wrong_scan_is_refused_before_anything_is_written(station: Station) -> None:
    pulled(station, order_row([line(1, 1), line(2, 1)]))

    with pytest.raises(NotFound, match="No item with barcode"):
        station.pickup.pick(A100, FID, "8901234567897")
    with pytest.raises(RuleRefused) as wrong:
        station.pickup.pick(A100, FID, gtin(3))  # a known item, not in the order
    station.pickup.pick(A100, FID, gtin(1))
    with pytest.raises(RuleRefused, match=r"\(SKU-0001\) of order WEB-5001 is picked already"):
        station.pickup.pick(A100, FID, "sku-0001")
    over = r"Only 1 more of Item 2 \(SKU-0002\) is to be picked .* not 3"
    with pytest.raises(RuleRefused, match=over):
        station.pickup.pick(A100, FID, "SKU-0002", 3)  # a keyed quantity over what is needed
    with pytest.raises(RuleRefused, match="not a hold-shelf bin"):
        station.pickup.stage(A100, FID, "Z-99")

    assert outbox_size(station) == 1
    assert station.pickup.order(FID).summary.state is S.PICKING
    assert wrong.value.message.startswith("Wrong item: ")
    assert wrong.value.message.endswith(
        "(SKU-0003) is not in order WEB-5001. It needs 1 × Item 1, 1 × Item 2."
    )


def test_a_pull_rebases_what_is_still_pending(station: Station) -> None:
    pulled(station, order_row([line(1, 2)]), cursor=10)
    station.pickup.pick(A100, FID, gtin(1))
    pending_view = station.pickup.order(FID)
    with station.db.writing() as session:  # the ledger applied the pick as change 11 ...
        session.execute(text("UPDATE outbox SET status = 'applied', ledger_seq = 11"))
    confirmed_not_pulled = station.pickup.order(FID)
    pulled(station, order_row([line(1, 2, picked=1)], state="picking"), cursor=11)  # ... pulled
    rebased = station.pickup.order(FID)

    for shown in (pending_view, confirmed_not_pulled, rebased):
        assert shown.lines[0].picked == 1 and shown.lines[0].to_pick == 1
    assert [pending_view.summary.pending_ops, rebased.summary.pending_ops] == [1, 0]


def test_a_double_handover_is_refused_and_ready_starts_the_hold(station: Station) -> None:
    pulled(station, order_row([line(1, 1)]))
    station.pickup.pick(A100, FID, gtin(1))
    station.pickup.stage(A100, FID, "h-02")
    ready = station.pickup.ready(A100, FID, channel="whatsapp")
    proof = Proof(Verification.ID_CHECK, "Asha Kumar", id_type="aadhaar", id_last4="1234")
    station.pickup.handover(A100, FID, {"SKU-0001": 1}, proof)

    with pytest.raises(RuleRefused, match="already handed over"):
        station.pickup.handover(A100, FID, {"SKU-0001": 1}, proof)
    assert outbox_size(station) == 4
    assert ready.order.summary.pickup_by == T0.replace(day=30)  # hold of 3 days
    assert "whatsapp" in ready.note
    assert station.pickup.verify_pickup_code(FID, " 424 242 ")
    assert station.pickup.queue().collected[0].order_number == "WEB-5001"


def test_a_keyed_quantity_goes_back_to_the_shelf_in_one_step(station: Station) -> None:
    pulled(station, order_row([line(1, 3, picked=3, cancelled=3)], state="cancelled"))

    with pytest.raises(RuleRefused, match=r"Only 3 more of Item 1 \(SKU-0001\) .* not 4"):
        station.pickup.restock(A100, FID, gtin(1), 4)
    with pytest.raises(RuleRefused) as wrong:
        station.pickup.restock(A100, FID, gtin(2))
    done = station.pickup.restock(A100, FID, "SKU-0001", 3)

    assert wrong.value.message.endswith("is not in order WEB-5001. It needs 3 × Item 1.")
    assert outbox_size(station) == 1
    assert [(x.restocked, x.restock_due) for x in done.order.lines] == [(3, 0)]


def test_find_offline_says_it_is_not_in_the_cache(station: Station) -> None:
    pulled(station, order_row([line(1, 1)]))

    found = station.pickup.find("CBPU1:WEB-5001:424242")
    by_code = station.pickup.find("424242")
    with pytest.raises(NotFound) as missing:
        station.pickup.find("WEB-9999")  # the cache's ledger URL is a dead port

    assert found.code_verified and [o.fulfilment_id for o in found.orders] == [FID]
    assert by_code.found_by == "pickup_code"
    assert "not in this station's cache" in missing.value.message


def in_catalog(station: Station, *items: tuple[int, str]) -> None:
    """Items (id, SKU) pulled into the station's catalog, as a sync would."""
    changes = [(Scope.CATALOG, str(n), {**item_row(n), "sku": sku}) for n, sku in items]
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), changes)


def test_typed_text_keys_a_quantity_only_when_it_is_no_item_here(station: Station) -> None:
    in_catalog(station, (101, "L-TEE"), (102, "2XL-TEE"))  # sizes first: 2XL reads like 2 ×
    tee = {**line(101, 3), "sku": "L-TEE"}
    pulled(station, order_row([tee]))

    with pytest.raises(RuleRefused, match=r"^Wrong item: .* \(2XL-TEE\) is not in order"):
        station.pickup.pick(A100, FID, "2XL-TEE", typed=True)  # an SKU of the catalog
    with pytest.raises(RuleRefused, match=r"^Wrong item: .* \(2XL-TEE\) is not in order"):
        station.pickup.pick(A100, FID, "2XL-TEE")  # scanned: one code, never split
    with pytest.raises(NotFound, match=r"'12\*345'"):
        station.pickup.pick(A100, FID, "12*345")  # a Code 128 holding a *
    with pytest.raises(RuleRefused, match="Key a quantity of 1 or more"):
        station.pickup.pick(A100, FID, "0*L-TEE", typed=True)
    done = station.pickup.pick(A100, FID, "2x L-TEE", typed=True)  # no such SKU: 2 × L-TEE
    put_back = station.pickup.cancel(A100, FID, "customer called")
    restocked = station.pickup.restock(A100, FID, f"2*{gtin(101)}", typed=True)

    assert [(x.sku, x.picked) for x in done.order.lines] == [("L-TEE", 2)]
    assert [x.restock_due for x in put_back.order.lines] == [2]
    assert [(x.restocked, x.restock_due) for x in restocked.order.lines] == [(2, 0)]
    assert outbox_size(station) == 3


def test_the_pickup_tag_is_dated_in_the_store_time_zone(station: Station, clock: Clock) -> None:
    pulled(station, order_row([line(1, 1)]))  # the store is in Asia/Kolkata (UTC+5:30)
    clock.advance(timedelta(hours=11).total_seconds())  # 20:00 UTC: 01:30 the next day there
    station.pickup.pick(A100, FID, gtin(1))
    station.pickup.stage(A100, FID, "H-01")
    staged = station.pickup.pickup_tag(FID)  # today there + 3 days of hold
    ready = station.pickup.ready(A100, FID)
    tag = station.pickup.pickup_tag(FID)

    assert ready.order.summary.pickup_by == T0.replace(day=30, hour=20)  # 30 Nov in UTC
    assert staged.pickup_by == tag.pickup_by == date(2026, 12, 1)  # 1 Dec at the store
