"""Routing as a pure function: nearest single location first, split only when needed."""

from __future__ import annotations

import pytest

from app.domain.routing import Candidate, RouteRequest, route_order
from app.errors import RuleRefused

ALL = frozenset({"bopis", "ship_from_store", "returns"})
MUMBAI = Candidate("MUM-01", "Mumbai Bandra West", 19.0596, 72.8295, ALL, 50, {"A": 5, "B": 1})
PUNE = Candidate("PUN-01", "Pune Koregaon Park", 18.5362, 73.8940, ALL, 50, {"A": 5, "B": 5})
DELHI = Candidate("DEL-01", "Delhi Connaught Place", 28.6315, 77.2167, ALL, 50, {"A": 9, "B": 9})
WAREHOUSE = Candidate(
    "WH-BHW", "Bhiwandi", 19.2813, 73.0483, frozenset({"ship_from_store"}), 500, {"A": 2}
)
ANDHERI = (19.1136, 72.8697)


def ship(lines: tuple[tuple[str, int], ...]) -> RouteRequest:
    return RouteRequest("ship", lines, latitude=ANDHERI[0], longitude=ANDHERI[1])


def test_the_nearest_location_that_has_everything_wins() -> None:
    plan = route_order(ship((("A", 2), ("B", 2))), [DELHI, MUMBAI, PUNE])
    assert [a.location for a in plan.assignments] == ["PUN-01"]  # Mumbai lacks a second B
    assert plan.assignments[0].lines == (("A", 2), ("B", 2))
    assert "PUN-01" in plan.explanation[0] and "every item" in plan.explanation[0]


def test_lines_of_one_sku_are_added_up_before_checking_stock() -> None:
    plan = route_order(ship((("B", 1), ("B", 1))), [MUMBAI, PUNE])
    assert [a.location for a in plan.assignments] == ["PUN-01"]


def test_a_location_without_capacity_is_skipped_and_said_so() -> None:
    full = Candidate("PUN-01", "Pune", PUNE.latitude, PUNE.longitude, ALL, 0, PUNE.available)
    plan = route_order(ship((("A", 1),)), [full, DELHI, MUMBAI])
    assert plan.assignments[0].location == "MUM-01"
    assert any("PUN-01 skipped" in line for line in plan.explanation)


def test_split_when_no_single_location_can_fill() -> None:
    plan = route_order(ship((("A", 12),)), [MUMBAI, PUNE, WAREHOUSE])
    taken = {a.location: dict(a.lines)["A"] for a in plan.assignments}
    assert sum(taken.values()) == 12 and len(taken) == 3
    assert plan.explanation[0].startswith("Split into 3 shipments")


def test_prefer_one_location_even_when_far_unless_splitting_is_much_nearer() -> None:
    # Delhi has it all, ~1,150 km away; Mumbai + Pune are near: splitting saves more than
    # the split penalty, so it splits.
    near = route_order(ship((("A", 8),)), [DELHI, MUMBAI, PUNE])
    assert {a.location for a in near.assignments} == {"MUM-01", "PUN-01"}
    # Without coordinates distances are unknown, so one location is preferred.
    blind = route_order(RouteRequest("ship", (("A", 8),)), [DELHI, MUMBAI, PUNE])
    assert [a.location for a in blind.assignments] == ["DEL-01"]


def test_pickup_goes_to_the_chosen_store_only() -> None:
    request = RouteRequest(
        "pickup", (("A", 1),), pickup_location="DEL-01", latitude=19.1, longitude=72.9
    )
    plan = route_order(request, [MUMBAI, DELHI])
    assert [a.location for a in plan.assignments] == ["DEL-01"]
    with pytest.raises(RuleRefused, match="cannot hold"):
        route_order(RouteRequest("pickup", (("B", 3),), pickup_location="MUM-01"), [MUMBAI])
    with pytest.raises(RuleRefused, match="does not offer store pickup"):
        route_order(RouteRequest("pickup", (("A", 1),), pickup_location="WH-BHW"), [WAREHOUSE])


def test_not_enough_stock_anywhere_is_refused_with_the_shortfall() -> None:
    with pytest.raises(RuleRefused, match=r"B \(needs 20, 15 available\)"):
        route_order(ship((("B", 20),)), [MUMBAI, PUNE, DELHI])
