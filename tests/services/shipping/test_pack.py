"""The pack step on a real station cache: an order opened by its number or its tote, items
scanned into parcels, each parcel weighed and closed with its own SSCC, ``ship.pack``
queued, its label and slip printed (decoded with a real decoder), a weight out of range
accepted only by a lead's PIN, a label voided and reprinted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.labels import LabelKind
from app.domain.shipping.op_parts import BinLine
from app.domain.shipping.ops import ShipPick
from app.domain.shipping.parcels import SsccScheme
from app.errors import LoginFailed, NotFound, RuleRefused
from app.services.results import StaffSession
from app.services.shipping.pack import COMPANY_PREFIX, LeadOverride, PackBench, station_number
from app.services.station import Station, build_station
from app.storage import outbox
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.services.conftest import Clock
from tests.storage.seed import T0, gtin, seed
from tests.support.ship_rows import ship_row, store_pulled


def picked_row(fid: int, number: str, units: dict[int, int], picked: bool = True) -> dict[str, Any]:
    """A ship order of BLR-01 for items ``n: units``, picked (in the tote) or not."""
    lines = [
        {"sku": f"SKU-{n:04d}", "item_id": n, "name": f"Item {n}", "quantity": q,
         "picked": q if picked else 0, "price_minor": 49900}
        for n, q in units.items()
    ]  # fmt: skip
    state = "picked" if picked else "accepted"
    # our own riders: the label prints at the pack (a booked carrier's: test_booking)
    return ship_row(fid, number, ship_by=T0, created_at=T0, state=state, lines=lines,
                    carrier="LOCAL", carrier_service="Local courier")  # fmt: skip


def prepare(station: Station, rows: list[dict[str, Any]]) -> None:
    """Item sizes and the store's pincode (master data), and the ship orders pulled."""
    with station.db.writing() as session:
        conn = raw_connection(session)
        conn.execute("UPDATE items SET length_mm = 200, width_mm = 150, height_mm = 80")
        conn.execute("UPDATE locations SET pincode = '560038' WHERE code = 'BLR-01'")
        store_pulled(conn, rows)


def queued(station: Station, op_type: str) -> list[dict[str, Any]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT payload FROM outbox WHERE type = ? ORDER BY device_seq", (op_type,)
        )
        return [json.loads(r[0]) for r in rows]


@pytest.fixture
def bench(station: Station) -> PackBench:
    prepare(station, [picked_row(1, "WEB-1", {1: 2, 2: 1}), picked_row(2, "WEB-2", {3: 1})])
    return station.pack


@pytest.fixture
def packer(station: Station) -> StaffSession:
    return station.auth.session_for("A100")


def close_at_expected(bench: PackBench, fid: int, packer: StaffSession) -> str:
    expected = bench.order(fid).expected_g
    return bench.close_parcel(fid, f"{expected} g", packer).sscc


def test_an_order_packs_into_two_parcels_each_with_its_own_sscc(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    view = bench.open_order("web-1")
    assert view.next_step == "Scan each item into the parcel."
    assert [(ln.sku, ln.to_pack) for ln in view.lines] == [("SKU-0001", 2), ("SKU-0002", 1)]
    scanned = bench.scan_item(1, gtin(1))
    assert scanned.view.parcel == (("SKU-0001", 1),)
    assert scanned.view.box == "BX-S" and scanned.view.expected_g == 150 + 500
    first = bench.close_parcel(1, "0.652 kg", packer)
    assert first.weight_g == 652 and first.carrier == "LOCAL"
    assert first.tracking == first.sscc
    go_offline(station)
    bench.scan_item(1, gtin(1))
    view = bench.scan_item(1, "SKU-0002").view
    assert view.next_step.startswith("Everything is in the parcel")
    second = close_at_expected(bench, 1, packer)
    assert second != first.sscc
    number = bench.scheme.read(second)
    assert number.station == station_number("dev-test") and number.counter == 1
    done = bench.order(1)
    assert done.all_packed and done.state == "packed"
    assert [p.sscc for p in done.parcels] == [first.sscc, second]
    packs = queued(station, "ship.pack")
    assert [p["parcel"]["lines"] for p in packs] == [
        [{"sku": "SKU-0001", "quantity": 1}],
        [{"sku": "SKU-0001", "quantity": 1}, {"sku": "SKU-0002", "quantity": 1}],
    ]
    assert packs[0]["location"] == "BLR-01" and packs[0]["parcel"]["box"] == "BX-S"
    assert [p["parcel"]["carrier"] for p in packs] == ["LOCAL", "LOCAL"]  # offline too
    assert packs[1]["parcel"]["tracking"] == second


def go_offline(station: Station) -> None:
    with station.db.writing() as session:
        raw_connection(session).execute("UPDATE sync_state SET online = 0")


def test_the_shipping_label_prints_and_decodes_with_the_sscc(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    bench.open_order("WEB-2")
    bench.scan_item(2, gtin(3))
    closed = close_at_expected(bench, 2, packer)
    jobs = [(j.kind, j.reprint) for j in bench_history(station, closed)]
    assert jobs == [(LabelKind.SHIPPING.value, False)]
    assert decoded_sscc(station, closed)
    # our own riders: "Own fleet", and the tracking barcode is the SSCC itself
    zpl = b"".join(p.read_bytes() for p in (station.data_dir / "printed").glob("*.zpl"))
    assert b"^FDOwn fleet^FS" in zpl
    assert ("Code128", closed, "]C0") in read_labels(station)


def bench_history(station: Station, reference: str) -> list[Any]:
    assert station.printing is not None
    return station.printing.history(reference)


def decoded_sscc(station: Station, sscc: str) -> bool:
    """Whether a spooled shipping label decodes to ``sscc`` (as GS1-128 with AI 00)."""
    return ("Code128", f"00{sscc}", "]C1") in read_labels(station)


def read_labels(station: Station) -> list[tuple[str, str, str]]:
    """What zxing reads off every spooled shipping label."""
    assert station.printing is not None
    profile = station.printing.profile_for(LabelKind.SHIPPING)
    found = []
    for spooled in sorted((station.data_dir / "printed").iterdir()):
        body = spooled.read_bytes()
        pages = pdf_pages(body, profile.dpi) if spooled.suffix == ".pdf" else []
        if spooled.suffix == ".zpl":
            pages = zpl_pages(body, profile)
        for page in pages:
            found += decode(page)
    return found


def test_a_weight_out_of_range_needs_a_lead_with_the_right_pin(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    bench.scan_item(2, gtin(3))
    with pytest.raises(RuleRefused, match=r"expected 0\.65 kg") as refused:
        bench.close_parcel(2, "1.4 kg", packer)
    assert "ask a lead" in refused.value.next_step
    with pytest.raises(LoginFailed, match="Wrong staff code or PIN"):
        bench.close_parcel(2, "1.4 kg", packer, LeadOverride("L200", "9999", "filler"))
    with pytest.raises(RuleRefused, match="only a lead or a manager"):
        bench.close_parcel(2, "1.4 kg", packer, LeadOverride("A100", "1111", "filler"))
    assert queued(station, "ship.pack") == []
    closed = bench.close_parcel(2, "1.4 kg", packer, LeadOverride("L200", "2222", "filler"))
    assert closed.override_by == "L200"
    (pack,) = queued(station, "ship.pack")
    assert pack["parcel"]["override"] == {"lead": "L200", "reason": "filler"}
    assert (pack["parcel"]["weight_g"], pack["parcel"]["expected_g"]) == (1400, 650)


def test_a_voided_label_frees_its_units_to_repack_and_a_reprint_is_recorded(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    bench.scan_item(2, gtin(3))
    first = close_at_expected(bench, 2, packer)
    bench.reprint(first, packer)
    assert [j.reprint for j in bench_history(station, first)] == [False, True]
    view = bench.void_label(2, first, "misprint", packer)
    assert view.parcels[0].void and [ln.to_pack for ln in view.lines] == [1]
    (void,) = queued(station, "ship.label_void")
    assert (void["sscc"], void["reason"]) == (first, "misprint")
    with pytest.raises(RuleRefused, match="not a packed parcel"):
        bench.void_label(2, first, "misprint", packer)
    bench.scan_item(2, gtin(3))
    again = close_at_expected(bench, 2, packer)
    assert again != first and bench.order(2).all_packed


def test_an_item_not_in_the_order_or_beyond_it_is_refused_with_the_reason(
    bench: PackBench, packer: StaffSession
) -> None:
    with pytest.raises(RuleRefused, match="Item SKU-0005 is not part of order WEB-2"):
        bench.scan_item(2, gtin(5))
    with pytest.raises(NotFound, match="not an item"):
        bench.scan_item(2, "0000000000000")
    bench.scan_item(2, gtin(3))
    with pytest.raises(RuleRefused, match="packed or in this parcel already"):
        bench.scan_item(2, gtin(3))
    with pytest.raises(RuleRefused, match="The parcel is empty"):
        bench.close_parcel(1, "500", packer)
    assert bench.order(2).parcel == (("SKU-0003", 1),)


def test_an_order_opens_by_the_tote_its_units_were_picked_into(
    station: Station, packer: StaffSession
) -> None:
    prepare(station, [picked_row(5, "WEB-5", {4: 1}, picked=False)])
    pick = ShipPick("BLR-01", 5, (BinLine("SKU-0004", 1, "A-01"),), tote="PB-7-T03", batch="PB-7")
    with station.db.writing() as session:
        outbox.append(session, op_type=pick.TYPE.value, payload=pick.to_payload(),
                      actor="A100", base_ledger_seq=0, now=T0)  # fmt: skip
    view = station.pack.open_order("pb-7-t03")
    assert view.order_number == "WEB-5" and view.lines[0].to_pack == 1
    with pytest.raises(NotFound, match="neither a tote nor a ship order"):
        station.pack.open_order("PB-9-T01")


def test_sscc_numbers_never_repeat_across_reopening_the_cache(tmp_path: Path, clock: Clock) -> None:
    made = []
    for round_ in range(3):
        station = build_station(tmp_path / "station", clock=clock)
        if round_ == 0:
            seed(station.db)
            prepare(station, [picked_row(9, "WEB-9", {1: 3})])
        packer = station.auth.session_for("A100")
        station.pack.scan_item(9, gtin(1))
        made.append(close_at_expected(station.pack, 9, packer))
        station.close()
    assert len(set(made)) == 3
    assert [SsccScheme(COMPANY_PREFIX).read(s).counter for s in made] == [0, 1, 2]


def test_the_parcel_being_filled_survives_closing_the_station(tmp_path: Path, clock: Clock) -> None:
    station = build_station(tmp_path / "station", clock=clock)
    seed(station.db)
    prepare(station, [picked_row(9, "WEB-9", {1: 2, 2: 1})])
    station.pack.scan_item(9, gtin(1))
    station.pack.scan_item(9, gtin(2))
    station.close()  # as a crash would leave it: every scan was committed on its own
    again = build_station(tmp_path / "station", clock=clock)
    try:
        view = again.pack.open_order("WEB-9")
        assert view.parcel == (("SKU-0001", 1), ("SKU-0002", 1))
        assert [ln.to_pack for ln in view.lines] == [1, 0]
        assert again.pack.empty_parcel(9).parcel == ()
    finally:
        again.close()


def test_a_label_that_cannot_print_leaves_the_parcel_packed(
    station: Station, bench: PackBench, packer: StaffSession
) -> None:
    with station.db.writing() as session:
        raw_connection(session).execute("UPDATE locations SET pincode = NULL")
    bench.scan_item(2, gtin(3))
    closed = bench.close_parcel(2, "650", packer)
    assert closed.printed.startswith("Its label did not print: This store has no city or pincode")
    assert len(queued(station, "ship.pack")) == 1 and bench.order(2).all_packed


def test_an_order_with_units_on_the_shelf_says_to_pick_them_not_that_it_is_packed(
    station: Station, packer: StaffSession
) -> None:
    prepare(station, [picked_row(6, "WEB-6", {5: 2}, picked=False)])
    view = station.pack.open_order("WEB-6")
    assert view.next_step == (
        "Nothing of WEB-6 is picked yet: pick it first (F10 Batch pick), then scan its tote here."
    )
    pick = ShipPick("BLR-01", 6, (BinLine("SKU-0005", 1, "A-01"),), tote="PB-8-T01", batch="PB-8")
    with station.db.writing() as session:
        outbox.append(session, op_type=pick.TYPE.value, payload=pick.to_payload(),
                      actor="A100", base_ledger_seq=0, now=T0)  # fmt: skip
    station.pack.scan_item(6, gtin(5))
    close_at_expected(station.pack, 6, packer)
    view = station.pack.order(6)
    assert view.next_step == (
        "Everything picked is packed; 1 unit of WEB-6 is still to pick (F10 Batch pick)."
    )
    assert view.state == "picking"  # not packed: a unit is still on the shelf
