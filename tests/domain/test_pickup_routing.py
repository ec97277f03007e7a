"""Pickup routing when the chosen store is short: alternatives, or ship-for-pickup."""

from __future__ import annotations

import pytest

from app.domain.routing import (
    MAX_ALTERNATIVES,
    SHIP_FOR_PICKUP,
    Candidate,
    RouteRequest,
    StoreCannotFill,
    route_order,
)

ALL = frozenset({"bopis", "ship_from_store", "returns"})
SHIP = frozenset({"ship_from_store", "returns"})


def store(
    code: str, city: str, lat: float, lon: float, a: int, caps: frozenset[str] = ALL
) -> Candidate:
    return Candidate(code, f"{city} {code}", lat, lon, caps, 50, {"A": a, "B": 5}, city=city)


KORAMANGALA = store("BLR-01", "Bengaluru", 12.9352, 77.6245, 1)
INDIRANAGAR = store("BLR-02", "Bengaluru", 12.9719, 77.6412, 4)
CHENNAI = store("CHE-01", "Chennai", 13.0418, 80.2341, 9)
HYDERABAD = store("HYD-01", "Hyderabad", 17.4156, 78.4347, 9)
MUMBAI = store("MUM-01", "Mumbai", 19.0596, 72.8295, 9)
DELHI = store("DEL-01", "New Delhi", 28.6315, 77.2167, 9)
NO_PICKUP = store("PUN-01", "Pune", 18.5362, 73.8940, 9, SHIP)  # ships, but no pickup
BHIWANDI = Candidate(
    "WH-BHW", "Bhiwandi Central Warehouse", 19.2813, 73.0483, SHIP, 500, {"A": 99, "B": 99},
    city="Bhiwandi", kind="warehouse",
)  # fmt: skip
DELHI_WH = Candidate(
    "WH-DEL", "Delhi Warehouse", 28.5, 77.1, SHIP, 500, {"A": 99, "B": 99}, kind="warehouse"
)
NETWORK = [KORAMANGALA, INDIRANAGAR, CHENNAI, HYDERABAD, MUMBAI, DELHI, NO_PICKUP, BHIWANDI]
WHITEFIELD = (12.9698, 77.7500)


def pickup(
    at: str, a: int, *, near: tuple[float, float] | None = WHITEFIELD, sfp: bool = True
) -> RouteRequest:
    lat, lon = near if near else (None, None)
    return RouteRequest("pickup", (("A", a), ("B", 1)), at, lat, lon, ship_for_pickup=sfp)


def refused(request: RouteRequest, candidates: list[Candidate]) -> StoreCannotFill:
    with pytest.raises(StoreCannotFill) as caught:
        route_order(request, candidates)
    return caught.value


def test_a_short_store_names_the_nearest_stores_that_can_fill_it_whole() -> None:
    err = refused(pickup("BLR-01", 3), NETWORK)

    codes = [a.code for a in err.alternatives]
    assert codes == ["BLR-02", "CHE-01", "HYD-01"]  # nearest to the customer in Whitefield
    assert len(codes) == MAX_ALTERNATIVES and "PUN-01" not in codes and "WH-BHW" not in codes
    first = err.alternatives[0]
    assert (first.name, first.city, first.measured_from) == (
        "Bengaluru BLR-02",
        "Bengaluru",
        "customer",
    )
    assert first.distance_km is not None and 10 < first.distance_km < 14
    assert "A (needs 3, 1 available)" in err.message
    assert "BLR-02 Bengaluru BLR-02, Bengaluru (12 km from the customer)" in err.message
    assert err.code == "store_cannot_fill" and "Offer the customer one of these" in err.next_step


def test_a_store_that_has_too_few_is_no_alternative() -> None:
    err = refused(pickup("BLR-01", 5), NETWORK)  # Indiranagar has 4
    assert [a.code for a in err.alternatives] == ["CHE-01", "HYD-01", "MUM-01"]


def test_without_customer_coordinates_distances_are_from_the_chosen_store() -> None:
    err = refused(
        pickup("MUM-01", 12, near=None), [*NETWORK, store("PUN-02", "Pune", 18.5, 73.9, 12)]
    )
    assert [(a.code, a.measured_from) for a in err.alternatives] == [("PUN-02", "store")]
    assert "km from the chosen store" in err.message


def test_no_store_can_fill_it_says_so_and_offers_delivery() -> None:
    err = refused(pickup("BLR-01", 50), NETWORK)
    assert err.alternatives == ()
    assert "No other pickup store has all of it." in err.message
    assert "home delivery" in err.next_step


def test_ship_for_pickup_takes_stock_from_the_nearest_warehouse_with_everything() -> None:
    allowed = store("BLR-01", "Bengaluru", 12.9352, 77.6245, 1, ALL | {SHIP_FOR_PICKUP})
    empty = Candidate("WH-BLR", "Hoskote", 13.07, 77.79, SHIP, 500, {"A": 1}, kind="warehouse")
    full = Candidate("WH-HSR", "HSR", 12.91, 77.64, SHIP, 0, {"A": 99, "B": 99}, kind="warehouse")

    plan = route_order(pickup("BLR-01", 3), [allowed, INDIRANAGAR, empty, full, DELHI_WH, BHIWANDI])

    (assignment,) = plan.assignments
    assert assignment.location == "BLR-01" and assignment.ship_from == "WH-BHW"
    assert assignment.lines == (("A", 3), ("B", 1))
    assert "Ship-for-pickup at BLR-01" in plan.explanation[0]
    assert plan.explanation[1].startswith("WH-BHW Bhiwandi Central Warehouse has every item")
    assert "receives the transfer" in plan.explanation[2]


def test_ship_for_pickup_needs_the_store_policy_and_the_shops_consent() -> None:
    allowed = store("BLR-01", "Bengaluru", 12.9352, 77.6245, 1, ALL | {SHIP_FOR_PICKUP})
    not_asked = refused(pickup("BLR-01", 3, sfp=False), [allowed, INDIRANAGAR, BHIWANDI])
    not_allowed = refused(pickup("BLR-01", 3), [KORAMANGALA, INDIRANAGAR, BHIWANDI])
    no_warehouse = refused(pickup("BLR-01", 3), [allowed, INDIRANAGAR])

    assert [a.code for a in not_asked.alternatives] == ["BLR-02"]
    assert [a.code for a in not_allowed.alternatives] == ["BLR-02"]
    assert "No warehouse can send all of it" in no_warehouse.message
    assert "No warehouse" not in not_allowed.message


def test_a_store_that_has_everything_is_not_sent_a_transfer() -> None:
    allowed = store("BLR-01", "Bengaluru", 12.9352, 77.6245, 5, ALL | {SHIP_FOR_PICKUP})
    plan = route_order(pickup("BLR-01", 3), [allowed, BHIWANDI])
    assert plan.assignments[0].ship_from is None
