"""Ship routing on the demo geography: stock, carriers for the pincode, capacity, cut-offs,
splits only when needed, refusals never routed back, an explanation for every decision."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from app.domain.ship_offers import Carrier, ShipCandidate, ShipRequest, Zone, zone_for
from app.domain.ship_routing import (
    SPLIT_PENALTY_PAISE,
    CannotShip,
    ShipNetwork,
    ShipPlan,
    route_ship,
    route_ship_brute_force,
)
from app.errors import RuleRefused

# Carriers as master data: riders in one city, a courier booked per parcel.
BLR_RIDERS = Carrier(
    "BLR-RIDERS", "Bengaluru Riders", "local", frozenset({"560"}), time(18, 0),
    {Zone.LOCAL: 4000}, {Zone.LOCAL: 0},
)  # fmt: skip
MUM_RIDERS = Carrier(
    "MUM-RIDERS", "Mumbai Riders", "local", frozenset({"400", "421"}), time(18, 0),
    {Zone.LOCAL: 4500}, {Zone.LOCAL: 0},
)  # fmt: skip
SWIFT = Carrier(
    "SWIFT", "Swift Couriers", "booked", frozenset({"56", "40", "41", "11"}), time(16, 0),
    {Zone.LOCAL: 6000, Zone.REGIONAL: 9000, Zone.NATIONAL: 14000},
    {Zone.LOCAL: 1, Zone.REGIONAL: 2, Zone.NATIONAL: 4},
)  # fmt: skip
NORTHLINE = Carrier(
    "NORTHLINE", "Northline Express", "booked", frozenset({"11", "30"}), time(20, 0),
    {Zone.LOCAL: 5000, Zone.REGIONAL: 8000, Zone.NATIONAL: 12000},
    {Zone.LOCAL: 1, Zone.REGIONAL: 2, Zone.NATIONAL: 3},
)  # fmt: skip
CARRIERS = (BLR_RIDERS, MUM_RIDERS, SWIFT, NORTHLINE)

STORE = frozenset({"bopis", "ship_from_store", "returns"})


def place(
    code: str, name: str, lat: float, lon: float, stock: dict[str, int], carriers: set[str]
) -> ShipCandidate:
    kind = "warehouse" if code.startswith("WH") else "store"
    caps = frozenset({"ship_from_store", "returns"}) if kind == "warehouse" else STORE
    return ShipCandidate(code, name, kind, caps, lat, lon, 50, stock, frozenset(carriers))


# The demo stores and warehouse (app/ledger/seed_data.py), stock as each test needs it.
BLR_01 = place("BLR-01", "Bengaluru Koramangala", 12.9352, 77.6245, {}, {"BLR-RIDERS", "SWIFT"})
BLR_02 = place("BLR-02", "Bengaluru Indiranagar", 12.9719, 77.6412, {}, {"NORTHLINE"})
MUM_01 = place("MUM-01", "Mumbai Bandra West", 19.0596, 72.8295, {}, {"MUM-RIDERS", "SWIFT"})
PUN_01 = place("PUN-01", "Pune Koregaon Park", 18.5362, 73.8940, {}, {"SWIFT"})
DEL_01 = place("DEL-01", "Delhi Connaught Place", 28.6315, 77.2167, {}, {"NORTHLINE", "SWIFT"})
WH_BHW = place("WH-BHW", "Bhiwandi Central Warehouse", 19.2813, 73.0483, {}, {"SWIFT"})

WHITEFIELD = ("560066", 12.9698, 77.7500)
ANDHERI = ("400053", 19.1136, 72.8697)
NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)  # 10:30 in the stores
TODAY = date(2026, 12, 7)


def stocked(cand: ShipCandidate, **stock: int) -> ShipCandidate:
    return replace(cand, available=stock)


def ask(
    where: tuple[str, float, float],
    lines: tuple[tuple[str, int], ...],
    *,
    refused_by: frozenset[str] = frozenset(),
    now: datetime = NOW,
    promised_by: date = date(2026, 12, 10),
) -> ShipRequest:
    pincode, lat, lon = where
    return ShipRequest(lines, pincode, lat, lon, promised_by, now, refused_by)


def route(request: ShipRequest, candidates: list[ShipCandidate]) -> ShipPlan:
    return route_ship(request, ShipNetwork(candidates, CARRIERS))


def where_to(plan: ShipPlan) -> list[str]:
    return [a.location for a in plan.assignments]


def test_the_nearest_location_with_stock_and_a_carrier_for_the_pincode_wins() -> None:
    network = [
        stocked(BLR_02, A=3),  # the nearest to Whitefield, but no carrier there serves 560066
        stocked(BLR_01, A=3),
        stocked(MUM_01, A=3),
        stocked(DEL_01, B=1),
    ]
    plan = route(ask(WHITEFIELD, (("A", 2),)), network)
    assert where_to(plan) == ["BLR-01"]
    only = plan.assignments[0]
    assert only.lines == (("A", 2),)
    assert only.carrier == "BLR-RIDERS"  # the city's riders carry the local zone cheaper
    assert only.score.zone is Zone.LOCAL and only.delivers_on == TODAY
    assert plan.explanation[0].startswith("Ship from BLR-01 Bengaluru Koramangala")
    assert plan.explanation[1].startswith("Runner-up MUM-01")
    passed = [line for line in plan.explanation if line.startswith("Passed over BLR-02")]
    assert passed and "serves pincode 560066" in passed[0]


def test_the_nearest_of_several_able_locations_wins_and_the_runner_up_says_why_not() -> None:
    network = [stocked(PUN_01, A=5), stocked(WH_BHW, A=5), stocked(MUM_01, A=5)]
    plan = route(ask(ANDHERI, (("A", 1),)), network)
    assert where_to(plan) == ["MUM-01"]
    assert plan.explanation[1].startswith("Runner-up WH-BHW")
    assert "not chosen: farther" in plan.explanation[1]


def test_lines_of_one_sku_are_added_up_before_checking_stock() -> None:
    network = [stocked(MUM_01, A=1), stocked(WH_BHW, A=2)]
    plan = route(ask(ANDHERI, (("A", 1), ("A", 1))), network)
    assert where_to(plan) == ["WH-BHW"]
    assert plan.assignments[0].lines == (("A", 2),)


def test_a_location_at_capacity_overflows_to_the_next() -> None:
    full = replace(stocked(MUM_01, A=5), remaining_capacity=0)
    plan = route(ask(ANDHERI, (("A", 1),)), [full, stocked(WH_BHW, A=5), stocked(PUN_01, A=5)])
    assert where_to(plan) == ["WH-BHW"]
    assert any("MUM-01" in line and "at capacity today" in line for line in plan.explanation)


def test_little_capacity_left_counts_against_a_location() -> None:
    nearly_full = replace(stocked(MUM_01, A=5), remaining_capacity=1)
    plan = route(ask(ANDHERI, (("A", 1),)), [nearly_full, stocked(WH_BHW, A=5)])
    assert where_to(plan) == ["WH-BHW"]  # ₹90 for 9 orders below 10 outweighs ~20 km
    assert plan.assignments[0].score.low_capacity_paise == 0


def test_no_split_when_one_location_can_fill_the_order() -> None:
    network = [stocked(MUM_01, A=1), stocked(WH_BHW, B=1), stocked(PUN_01, A=1, B=1)]
    plan = route(ask(ANDHERI, (("A", 1), ("B", 1))), network)
    assert where_to(plan) == ["PUN-01"]  # farther than both, but one parcel
    assert plan.split_penalty_paise == 0


def test_a_split_happens_only_when_no_single_location_can_fill_the_order() -> None:
    network = [stocked(MUM_01, A=1), stocked(WH_BHW, B=1), stocked(PUN_01, A=1)]
    plan = route(ask(ANDHERI, (("A", 1), ("B", 1))), network)
    assert where_to(plan) == ["MUM-01", "WH-BHW"]
    assert [a.lines for a in plan.assignments] == [(("A", 1),), (("B", 1),)]
    assert [a.carrier for a in plan.assignments] == ["MUM-RIDERS", "SWIFT"]
    assert plan.split_penalty_paise == SPLIT_PENALTY_PAISE
    assert plan.explanation[0].startswith("Split into 2 parcels")


def test_a_split_takes_the_fewest_parcels() -> None:
    network = [stocked(MUM_01, A=1), stocked(PUN_01, B=1), stocked(DEL_01, A=1, B=1, C=1)]
    network.append(stocked(WH_BHW, C=1))
    plan = route(ask(ANDHERI, (("A", 1), ("B", 1), ("C", 1))), network[:3])
    assert where_to(plan) == ["DEL-01"]
    split = route(ask(ANDHERI, (("A", 1), ("B", 1), ("C", 2))), network)
    assert where_to(split) == ["DEL-01", "WH-BHW"]  # not MUM-01, PUN-01 and WH-BHW


def test_a_rejected_order_never_goes_back_to_the_refuser() -> None:
    network = [stocked(MUM_01, A=5), stocked(WH_BHW, A=5), stocked(PUN_01, A=5)]
    first = route(ask(ANDHERI, (("A", 1),)), network)
    assert where_to(first) == ["MUM-01"]
    again = route(ask(ANDHERI, (("A", 1),), refused_by=frozenset({"MUM-01"})), network)
    assert where_to(again) == ["WH-BHW"]
    assert "Not offered to MUM-01 again: it refused this order." in again.explanation
    twice = frozenset({"MUM-01", "WH-BHW"})
    assert where_to(route(ask(ANDHERI, (("A", 1),), refused_by=twice), network)) == ["PUN-01"]


def test_a_rejected_split_line_goes_elsewhere_or_to_hq_never_back() -> None:
    network = [stocked(MUM_01, A=1), stocked(WH_BHW, B=1), stocked(PUN_01, B=1)]
    rerouted = route(ask(ANDHERI, (("B", 1),), refused_by=frozenset({"WH-BHW"})), network)
    assert where_to(rerouted) == ["PUN-01"]
    with pytest.raises(CannotShip) as refused:
        route(ask(ANDHERI, (("B", 1),), refused_by=frozenset({"WH-BHW", "PUN-01"})), network)
    assert refused.value.short == (("B", 1, 0),)


def test_what_no_location_can_fill_becomes_an_hq_exception() -> None:
    network = [stocked(MUM_01, A=3), stocked(WH_BHW, A=4), stocked(BLR_02, A=9)]
    with pytest.raises(CannotShip) as refused:
        route(ask(ANDHERI, (("A", 10), ("B", 1))), network)
    error = refused.value
    assert isinstance(error, RuleRefused)
    assert error.short == (("A", 10, 7), ("B", 1, 0))  # BLR-02 has no carrier for 400053
    assert "A needs 10, 7 can ship; B needs 1, 0 can ship" in error.message
    assert "HQ" in error.next_step
    passed = [line for line in error.explanation if line.startswith("Passed over BLR-02")]
    assert passed and "serves pincode 400053" in passed[0]
    assert any(line.startswith("Passed over MUM-01") for line in error.explanation)


def test_after_the_cut_off_a_parcel_ships_tomorrow_and_may_miss_the_promise() -> None:
    swift_only = replace(stocked(MUM_01, A=1), carriers=frozenset({"SWIFT"}))
    riders = replace(stocked(WH_BHW, A=1), carriers=frozenset({"MUM-RIDERS", "SWIFT"}))
    tomorrow = date(2026, 12, 8)
    morning = route(ask(ANDHERI, (("A", 1),), promised_by=tomorrow), [riders, swift_only])
    assert where_to(morning) == ["MUM-01"]  # SWIFT's 16:00 cut-off is hours away
    assert morning.assignments[0].delivers_on == tomorrow
    evening = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)  # 17:00 in the stores
    request = ask(ANDHERI, (("A", 1),), now=evening, promised_by=tomorrow)
    plan = route(request, [riders, swift_only])
    sent = plan.assignments[0]
    assert where_to(plan) == ["WH-BHW"]  # its riders collect until 18:00 and deliver today
    assert (sent.carrier, sent.ship_on, sent.delivers_on) == ("MUM-RIDERS", TODAY, TODAY)
    assert plan.explanation[1].startswith("Runner-up MUM-01")
    assert "delivers 1 day(s) later against the promise" in plan.explanation[1]


def test_a_carrier_only_carries_the_zones_it_has_rates_for() -> None:
    assert [zone_for(km) for km in (50.0, 50.1, 500.0, 500.1)] == [
        Zone.LOCAL, Zone.REGIONAL, Zone.REGIONAL, Zone.NATIONAL
    ]  # fmt: skip
    riders_only = replace(stocked(PUN_01, A=1), carriers=frozenset({"MUM-RIDERS"}))
    with pytest.raises(CannotShip) as refused:
        route(ask(ANDHERI, (("A", 1),)), [riders_only])
    assert "do not carry the regional zone" in " ".join(refused.value.explanation)


def test_carriers_for_a_pincode_are_found_by_prefix() -> None:
    network = ShipNetwork([], CARRIERS)
    assert sorted(network.carriers_for("560066")) == ["BLR-RIDERS", "SWIFT"]
    assert sorted(network.carriers_for("110001")) == ["NORTHLINE", "SWIFT"]
    assert network.carriers_for("700016") == {}


def test_an_order_without_quantities_is_refused() -> None:
    with pytest.raises(RuleRefused):
        route(ask(ANDHERI, ()), [stocked(MUM_01, A=1)])


def _random_network(rng: random.Random) -> list[ShipCandidate]:
    demo = [BLR_01, BLR_02, MUM_01, PUN_01, DEL_01, WH_BHW]
    codes = [c.code for c in CARRIERS]
    found = []
    for n in range(60):
        base = demo[n % len(demo)]
        stock = {f"S{k}": rng.randint(0, 3) for k in rng.sample(range(40), 12)}
        found.append(
            replace(
                base,
                code=f"{base.code}-{n}",
                latitude=base.latitude + rng.uniform(-0.5, 0.5),
                longitude=base.longitude + rng.uniform(-0.5, 0.5),
                remaining_capacity=rng.choice((0, 1, 5, 50)),
                available=stock,
                carriers=frozenset(rng.sample(codes, rng.randint(0, 3))),
            )
        )
    return found


def test_the_fast_router_decides_as_scoring_every_location_does() -> None:
    rng = random.Random(7)
    candidates = _random_network(rng)
    network = ShipNetwork(candidates, CARRIERS)
    outcomes = {"single": 0, "split": 0, "refused": 0}
    for _ in range(300):
        pincode, lat, lon = rng.choice((WHITEFIELD, ANDHERI, ("110001", 28.63, 77.21)))
        lines = tuple(
            (f"S{rng.randrange(40)}", rng.randint(1, 3)) for _ in range(rng.randint(1, 3))
        )
        refused = frozenset(rng.sample([c.code for c in candidates], 3))
        request = ShipRequest(lines, pincode, lat, lon, date(2026, 12, 9), NOW, refused)
        try:
            fast = route_ship(request, network)
        except CannotShip as error:
            with pytest.raises(CannotShip) as slow_error:
                route_ship_brute_force(request, candidates, CARRIERS)
            assert slow_error.value.short == error.short
            outcomes["refused"] += 1
            continue
        assert fast == route_ship_brute_force(request, candidates, CARRIERS)
        assert not refused & set(where_to(fast))
        assert all(a.location in " ".join(fast.explanation) for a in fast.assignments)
        outcomes["split" if len(fast.assignments) > 1 else "single"] += 1
    assert min(outcomes.values()) >= 5, outcomes  # every path was exercised
