"""Routing an order to the locations that fulfil it. Pure: no I/O, the ledger runs it.

Candidates are locations with the capability for the delivery method, remaining daily
capacity and available stock. One location that has everything is preferred; the
nearest wins (haversine distance to the customer). Only when no single location can
fill the order, or when splitting is much nearer even after the split penalty, is the
order split, greedily taking the location that covers most units each time.

A pickup goes to the store the customer chose. When that store cannot fill it, and the
retailer lets the store be supplied from a warehouse (the store's ``ship_for_pickup``
capability) and the shop asked for it, the nearest warehouse that has everything ships
it to the store (ship-for-pickup). Otherwise the refusal names the nearest pickup stores
that can fill the whole order, so the shop can offer them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.domain.geo import haversine_km
from app.errors import RuleRefused

SPLIT_PENALTY_KM = 150.0  # one more parcel costs about as much as shipping this far
SHIP_FOR_PICKUP = "ship_for_pickup"  # store capability: a warehouse may supply its pickups
MAX_ALTERNATIVES = 3  # pickup stores offered when the chosen one cannot fill the order


@dataclass(frozen=True)
class Candidate:
    """A location as routing sees it."""

    code: str
    name: str
    latitude: float
    longitude: float
    capabilities: frozenset[str]
    remaining_capacity: int  # fulfilment orders it can still take today
    available: Mapping[str, int] = field(default_factory=dict)  # sku -> available to promise
    city: str = ""
    kind: str = "store"  # store | warehouse | dark_store


@dataclass(frozen=True)
class RouteRequest:
    method: str  # "pickup" | "ship"
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)
    pickup_location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    ship_for_pickup: bool = False  # the shop takes ship-for-pickup where the store allows it


@dataclass(frozen=True)
class Assignment:
    location: str
    lines: tuple[tuple[str, int], ...]
    distance_km: float | None
    ship_from: str | None = None  # ship-for-pickup: the warehouse reserving and sending it


@dataclass(frozen=True)
class PickupAlternative:
    """A pickup store that can fill the whole order the chosen store cannot."""

    code: str
    name: str
    city: str
    distance_km: float | None
    measured_from: str  # "customer" (their coordinates) or "store" (the one they chose)


class StoreCannotFill(RuleRefused):
    """The chosen pickup store cannot fill the order; ``alternatives`` can, nearest first."""

    code = "store_cannot_fill"

    def __init__(
        self, message: str, *, next_step: str, alternatives: tuple[PickupAlternative, ...]
    ) -> None:
        super().__init__(message, next_step=next_step)
        self.alternatives = alternatives


@dataclass(frozen=True)
class RoutePlan:
    assignments: tuple[Assignment, ...]
    explanation: tuple[str, ...]


def _demand(lines: tuple[tuple[str, int], ...]) -> dict[str, int]:
    demand: dict[str, int] = {}
    for sku, quantity in lines:
        demand[sku] = demand.get(sku, 0) + quantity
    return demand


def _distance(request: RouteRequest, cand: Candidate) -> float | None:
    if request.latitude is None or request.longitude is None:
        return None
    return haversine_km(request.latitude, request.longitude, cand.latitude, cand.longitude)


def _km(distance: float | None) -> str:
    return "distance unknown" if distance is None else f"{distance:,.0f} km from the customer"


def route_order(request: RouteRequest, candidates: list[Candidate]) -> RoutePlan:
    """Choose the location(s) for an order and say why; ``RuleRefused`` if impossible."""
    demand = _demand(request.lines)
    if request.method == "pickup":
        return _route_pickup(request, candidates, demand)
    return _route_ship(request, candidates, demand)


def _route_pickup(
    request: RouteRequest, candidates: list[Candidate], demand: dict[str, int]
) -> RoutePlan:
    store = next((c for c in candidates if c.code == request.pickup_location), None)
    if store is None or "bopis" not in store.capabilities:
        raise RuleRefused(
            f"Location {request.pickup_location} does not offer store pickup.",
            next_step="Choose a store that offers click & collect.",
        )
    short = {sku: q for sku, q in demand.items() if store.available.get(sku, 0) < q}
    if short:
        return _when_store_is_short(request, candidates, demand, store, short)
    notes = [f"Pickup at {store.code} {store.name}, the store the customer chose."]
    notes.append(f"{store.code} has every item in stock; reserved for the customer.")
    if store.remaining_capacity <= 0:
        notes.append(f"{store.code} is over today's capacity; the pickup is still honoured.")
    lines = tuple(sorted(demand.items()))
    return RoutePlan((Assignment(store.code, lines, _distance(request, store)),), tuple(notes))


def _has_all(cand: Candidate, demand: Mapping[str, int]) -> bool:
    return all(cand.available.get(sku, 0) >= q for sku, q in demand.items())


def _between(a: Candidate, b: Candidate) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _when_store_is_short(
    request: RouteRequest,
    candidates: list[Candidate],
    demand: dict[str, int],
    store: Candidate,
    short: dict[str, int],
) -> RoutePlan:
    """Ship-for-pickup from the nearest warehouse when allowed; else refuse with options."""
    detail = ", ".join(
        f"{sku} (needs {q}, {store.available.get(sku, 0)} available)" for sku, q in short.items()
    )
    allowed = request.ship_for_pickup and SHIP_FOR_PICKUP in store.capabilities
    source = transfer_source(candidates, demand, store) if allowed else None
    if source is not None:
        notes = (
            f"Ship-for-pickup at {store.code} {store.name}, the store the customer chose: "
            f"it is short of {detail}.",
            f"{source.code} {source.name} has every item, {_between(store, source):,.0f} km "
            f"from the store: reserved there and sent to {store.code} on a transfer.",
            f"The order is ready to stage when {store.code} receives the transfer by scan.",
        )
        lines = tuple(sorted(demand.items()))
        assignment = Assignment(store.code, lines, _distance(request, store), source.code)
        return RoutePlan((assignment,), notes)
    alternatives = pickup_alternatives(request, candidates, demand, store)
    message = f"{store.name} cannot hold this pickup order: {detail}."
    if allowed:
        message += " No warehouse can send all of it to the store either."
    if alternatives:
        message += " Nearest stores that can: " + "; ".join(
            f"{a.code} {a.name}, {a.city} ({_alt_km(a)})" for a in alternatives
        )
        message += "."
        next_step = "Offer the customer one of these stores, or home delivery."
    else:
        message += " No other pickup store has all of it."
        next_step = "Offer home delivery or a smaller quantity."
    raise StoreCannotFill(message, next_step=next_step, alternatives=alternatives)


def _alt_km(alt: PickupAlternative) -> str:
    if alt.distance_km is None:
        return "distance unknown"
    where = "the customer" if alt.measured_from == "customer" else "the chosen store"
    return f"{alt.distance_km:,.0f} km from {where}"


def pickup_alternatives(
    request: RouteRequest,
    candidates: list[Candidate],
    demand: Mapping[str, int],
    store: Candidate,
) -> tuple[PickupAlternative, ...]:
    """Up to MAX_ALTERNATIVES other pickup stores that can fill the whole order, nearest
    first: to the customer when their coordinates are known, else to the chosen store."""
    by_customer = request.latitude is not None and request.longitude is not None

    def km(cand: Candidate) -> float:
        if by_customer:
            return _distance(request, cand) or 0.0
        return _between(store, cand)

    able = [
        c
        for c in candidates
        if c.code != store.code and "bopis" in c.capabilities and _has_all(c, demand)
    ]
    able.sort(key=lambda c: (km(c), c.code))
    return tuple(
        PickupAlternative(
            c.code, c.name, c.city, round(km(c), 1), "customer" if by_customer else "store"
        )
        for c in able[:MAX_ALTERNATIVES]
    )


def transfer_source(
    candidates: list[Candidate], demand: Mapping[str, int], store: Candidate
) -> Candidate | None:
    """The nearest warehouse able to ship that has every item and capacity left today."""
    able = [
        c
        for c in candidates
        if c.kind == "warehouse"
        and "ship_from_store" in c.capabilities
        and c.remaining_capacity > 0
        and _has_all(c, demand)
    ]
    return min(able, key=lambda c: (_between(store, c), c.code), default=None)


def _route_ship(
    request: RouteRequest, candidates: list[Candidate], demand: dict[str, int]
) -> RoutePlan:
    notes: list[str] = []
    eligible = []
    for cand in candidates:
        if "ship_from_store" not in cand.capabilities:
            continue
        if cand.remaining_capacity <= 0:
            notes.append(f"{cand.code} skipped: no fulfilment capacity left today.")
            continue
        eligible.append(cand)

    def score(cand: Candidate) -> tuple[float, int, str]:
        dist = _distance(request, cand)
        return (dist if dist is not None else 0.0, -cand.remaining_capacity, cand.code)

    whole = sorted(
        (c for c in eligible if all(c.available.get(s, 0) >= q for s, q in demand.items())),
        key=score,
    )
    if whole:
        best = whole[0]
        near = _nearest_split(sorted(eligible, key=score), demand)
        if near is not None and len(near) > 1:
            best_km = score(best)[0]
            split_km = sum(score(c)[0] for c, _ in near) + SPLIT_PENALTY_KM * (len(near) - 1)
            if split_km < best_km:
                return _split_plan(request, near, notes, reason="splitting is much nearer")
        dist = _distance(request, best)
        notes.insert(
            0,
            f"Ship from {best.code} {best.name}: it has every item, {_km(dist)}, "
            f"{best.remaining_capacity} orders of capacity left today.",
        )
        others = [f"{c.code} ({_km(_distance(request, c))})" for c in whole[1:4]]
        if others:
            notes.append("Also able to ship it all: " + ", ".join(others) + ".")
        lines = tuple(sorted(demand.items()))
        return RoutePlan((Assignment(best.code, lines, dist),), tuple(notes))
    split = _greedy_split(eligible, demand, score)
    if split is None:
        total = {s: sum(c.available.get(s, 0) for c in eligible) for s in demand}
        short = ", ".join(
            f"{s} (needs {q}, {total[s]} available)" for s, q in demand.items() if total[s] < q
        )
        raise RuleRefused(
            f"Not enough stock in the network for this order: {short}.",
            next_step="Offer the customer a smaller quantity or a back-order.",
        )
    return _split_plan(request, split, notes, reason="no single location has every item")


def _nearest_split(
    by_distance: list[Candidate], demand: dict[str, int]
) -> list[tuple[Candidate, dict[str, int]]] | None:
    """Take what each location has, nearest first, until the order is filled."""
    remaining = dict(demand)
    chosen: list[tuple[Candidate, dict[str, int]]] = []
    for cand in by_distance:
        take = {s: min(q, cand.available.get(s, 0)) for s, q in remaining.items()}
        take = {s: q for s, q in take.items() if q > 0}
        if not take:
            continue
        chosen.append((cand, take))
        for sku, q in take.items():
            remaining[sku] -= q
        remaining = {s: q for s, q in remaining.items() if q > 0}
        if not remaining:
            return chosen
    return None


def _greedy_split(
    eligible: list[Candidate],
    demand: dict[str, int],
    score: Callable[[Candidate], tuple[float, int, str]],
) -> list[tuple[Candidate, dict[str, int]]] | None:
    remaining = dict(demand)
    chosen: list[tuple[Candidate, dict[str, int]]] = []
    pool = list(eligible)
    while remaining:
        best: tuple[int, float, Candidate, dict[str, int]] | None = None
        for cand in pool:
            take = {s: min(q, cand.available.get(s, 0)) for s, q in remaining.items()}
            take = {s: q for s, q in take.items() if q > 0}
            units = sum(take.values())
            if units == 0:
                continue
            rank = score(cand)[0]
            if best is None or (units, -rank) > (best[0], -best[1]):
                best = (units, rank, cand, take)
        if best is None:
            return None
        _, _, cand, take = best
        chosen.append((cand, take))
        pool.remove(cand)
        for sku, q in take.items():
            remaining[sku] -= q
            if remaining[sku] == 0:
                del remaining[sku]
    return chosen


def _split_plan(
    request: RouteRequest,
    split: list[tuple[Candidate, dict[str, int]]],
    notes: list[str],
    *,
    reason: str,
) -> RoutePlan:
    head = (
        f"Split into {len(split)} shipments because {reason} "
        f"(each extra parcel counts as {SPLIT_PENALTY_KM:.0f} km)."
    )
    lines = [head]
    assignments = []
    for cand, take in split:
        dist = _distance(request, cand)
        units = sum(take.values())
        lines.append(f"{cand.code} {cand.name} ships {units} unit(s), {_km(dist)}.")
        assignments.append(Assignment(cand.code, tuple(sorted(take.items())), dist))
    return RoutePlan(tuple(assignments), tuple(lines + notes))
