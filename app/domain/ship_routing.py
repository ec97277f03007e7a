"""Routing a delivery (ship) order to the location(s) that pack and send it. Pure.

Which locations can ship to the customer, with which carrier and at what score, is
``ship_offers``. One location ships the whole order when any can: the best score wins,
the runner-up is named with why not. Only when none can is the order split, greedily
(the able location covering most of what is left, so the fewest parcels), each parcel
with its own carrier and SPLIT_PENALTY_PAISE for each parcel beyond the first. A
location in ``refused_by`` is never routed to. What no location can ship raises
``CannotShip`` (a ``RuleRefused``) naming what is short, for an HQ exception.

``ShipNetwork`` indexes the candidates and carriers once (who holds each SKU, who
serves each pincode) so ``route_ship`` only scores locations holding the order's items;
``route_ship_brute_force`` scores every location and must choose the same.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.ship_explain import offer_text, refusals, rupees, who, why_not, why_passed
from app.domain.ship_offers import (
    PAISE_PER_KM,
    Carrier,
    Located,
    Offer,
    ScoreParts,
    ShipCandidate,
    ShipOrder,
    ShipRequest,
    Verdict,
    chord2,
    has_all,
    holds_any,
    km_between,
    offer_from,
    unit_vector,
)
from app.errors import RuleRefused

SPLIT_PENALTY_PAISE = 15_000  # ₹150 for each parcel beyond the first
PASSED_OVER_SHOWN = 3  # nearest candidates passed over that the explanation names


@dataclass(frozen=True)
class ShipAssignment:
    location: str
    lines: tuple[tuple[str, int], ...]
    carrier: str
    ship_on: date
    delivers_on: date
    score: ScoreParts


@dataclass(frozen=True)
class ShipPlan:
    assignments: tuple[ShipAssignment, ...]
    explanation: tuple[str, ...]  # why this store: winner, runner-up, the ones passed over
    split_penalty_paise: int = 0


class CannotShip(RuleRefused):
    """No location can ship all of the order; ``short`` is (sku, needed, can ship)."""

    code = "cannot_ship"

    def __init__(
        self,
        message: str,
        *,
        next_step: str,
        short: tuple[tuple[str, int, int], ...],
        explanation: tuple[str, ...],
    ) -> None:
        super().__init__(message, next_step=next_step)
        self.short = short
        self.explanation = explanation


class ShipNetwork:
    """Ship candidates and carriers indexed once: who holds each SKU, who serves a pincode.

    A snapshot: build it again when stock, capacity or carriers change."""

    def __init__(self, candidates: Sequence[ShipCandidate], carriers: Sequence[Carrier]) -> None:
        self.located: tuple[Located, ...] = tuple(
            (c, unit_vector(c.latitude, c.longitude)) for c in candidates
        )
        self._holders: dict[str, set[int]] = {}
        for index, (cand, _) in enumerate(self.located):
            for sku, quantity in cand.available.items():
                if quantity > 0:
                    self._holders.setdefault(sku, set()).add(index)
        self._by_prefix: dict[str, list[Carrier]] = {}
        for carrier in carriers:
            for prefix in carrier.pincodes:
                self._by_prefix.setdefault(prefix, []).append(carrier)
        self._serving: dict[str, dict[str, Carrier]] = {}

    def carriers_for(self, pincode: str) -> dict[str, Carrier]:
        """Carriers serving the pincode, by code."""
        found = self._serving.get(pincode)
        if found is None:
            found = {}
            for end in range(1, len(pincode) + 1):
                for carrier in self._by_prefix.get(pincode[:end], ()):
                    found[carrier.code] = carrier
            self._serving[pincode] = found
        return found

    def holding_all(self, demand: Mapping[str, int]) -> list[Located]:
        """Locations with every SKU in the quantity wanted."""
        sets = sorted((self._holders.get(sku, set()) for sku in demand), key=len)
        indexes = sets[0].intersection(*sets[1:])
        found = [self.located[i] for i in sorted(indexes)]
        return [located for located in found if has_all(located[0], demand)]

    def holding_any(self, demand: Mapping[str, int]) -> list[Located]:
        """Locations with at least one unit of one of the SKUs."""
        indexes: set[int] = set().union(*(self._holders.get(sku, ()) for sku in demand))
        return [self.located[i] for i in sorted(indexes)]


def route_ship(request: ShipRequest, network: ShipNetwork) -> ShipPlan:
    """Choose the location(s) and carrier(s) for a delivery order and say why.

    Raises ``CannotShip`` when no location, nor any split, can ship all of it."""
    order = _order_of(request)
    serving = network.carriers_for(request.pincode)
    verdict = _verdicts(order, serving, {})
    floor = min((min(c.rate_paise.values(), default=0) for c in serving.values()), default=0)
    best = _best_two(order, network.holding_all(order.demand), verdict, floor)
    return _plan(order, best, network.holding_any(order.demand), verdict)


def route_ship_brute_force(
    request: ShipRequest, candidates: Sequence[ShipCandidate], carriers: Sequence[Carrier]
) -> ShipPlan:
    """The same choice as ``route_ship`` with no index and no pruning: every location is
    scored and all that have everything are ranked (the bench's baseline and the tests'
    reference; the split and the explanation are the same code)."""
    order = _order_of(request)
    serving = {c.code: c for c in carriers if c.serves(request.pincode)}
    located = [(c, unit_vector(c.latitude, c.longitude)) for c in candidates]
    verdicts = {cand.code: offer_from(order, (cand, v), serving) for cand, v in located}
    whole = [
        offer
        for cand, _ in located
        if isinstance(offer := verdicts[cand.code], Offer) and has_all(cand, order.demand)
    ]
    best = sorted(whole, key=lambda o: o.rank)[:2]
    holders = [(c, v) for c, v in located if holds_any(c, order.demand)]
    return _plan(order, best, holders, _verdicts(order, serving, verdicts))


def _order_of(request: ShipRequest) -> ShipOrder:
    order = ShipOrder.of(request)
    if not order.demand or min(order.demand.values()) <= 0:
        raise RuleRefused(
            "This order has no quantity to ship.", next_step="Check the order's lines."
        )
    return order


def _verdicts(
    order: ShipOrder, serving: Mapping[str, Carrier], known: dict[str, Verdict]
) -> Callable[[Located], Verdict]:
    """Each location's verdict, worked out once per order and kept in ``known``."""

    def verdict(located: Located) -> Verdict:
        code = located[0].code
        if code not in known:
            known[code] = offer_from(order, located, serving)
        return known[code]

    return verdict


def _plan(
    order: ShipOrder,
    best: list[Offer],
    holders: list[Located],
    verdict: Callable[[Located], Verdict],
) -> ShipPlan:
    """One parcel from the best of ``best`` (the two best offers to ship it all), else
    a split, else ``CannotShip``."""
    if best:
        winner = best[0]
        runner_up = best[1] if len(best) > 1 else None
        shown = {o.candidate.code for o in best}
        passed = _passed_over(order, holders, winner, shown, verdict)
        return _single_plan(order, winner, runner_up, passed)
    return _split_plan(order, holders, verdict)


def _best_two(
    order: ShipOrder, whole: list[Located], verdict: Callable[[Located], Verdict], floor: int
) -> list[Offer]:
    """The two best offers among locations with everything, nearest first, stopping once
    the distance alone (plus the cheapest rate, ``floor``) cannot beat the second."""
    point = order.point
    best: list[Offer] = []
    for _, _, located in sorted((chord2(point, v), c.code, (c, v)) for c, v in whole):
        if len(best) == 2:
            bound = km_between(point, located[1]) * PAISE_PER_KM + floor
            if bound > best[1].score.total_paise:
                break
        seen = verdict(located)
        if isinstance(seen, Offer):
            best = sorted([*best, seen], key=lambda o: o.rank)[:2]
    return best


def _passed_over(
    order: ShipOrder,
    holders: list[Located],
    winner: Offer | None,
    shown: set[str],
    verdict: Callable[[Located], Verdict],
) -> list[str]:
    """Why the nearest locations holding some of the order (nearer than the winner, if
    there is one) were passed over, nearest first."""
    reach = math.inf
    if winner is not None:
        reach = chord2(
            order.point, unit_vector(winner.candidate.latitude, winner.candidate.longitude)
        )
    point, refused = order.point, order.request.refused_by
    near = heapq.nsmallest(
        PASSED_OVER_SHOWN,
        (
            (chord2(point, v), c.code, (c, v))
            for c, v in holders
            if c.code not in shown and c.code not in refused
        ),
    )
    notes = []
    for far, _, located in near:
        if far > reach:
            break
        notes.append(why_passed(order, located, verdict(located), winner))
    return notes


def _single_plan(
    order: ShipOrder, winner: Offer, runner_up: Offer | None, passed: list[str]
) -> ShipPlan:
    lines = tuple(sorted(order.demand.items()))
    notes = [f"Ship from {who(winner)}: it has every item; {offer_text(winner)}."]
    if runner_up is None:
        notes.append("No runner-up: no other location can ship the whole order.")
    else:
        notes.append(
            f"Runner-up {who(runner_up)}: {offer_text(runner_up)}; "
            f"not chosen: {why_not(winner, runner_up)}."
        )
    notes.extend(passed)
    notes.extend(refusals(order))
    return ShipPlan((_assignment(winner, lines),), tuple(notes))


def _split_plan(
    order: ShipOrder, holders: list[Located], verdict: Callable[[Located], Verdict]
) -> ShipPlan:
    parts = _greedy_split(order.demand, holders, verdict)
    if parts is None:
        raise _cannot_ship(order, holders, verdict)
    penalty = SPLIT_PENALTY_PAISE * (len(parts) - 1)
    notes = [
        f"Split into {len(parts)} parcels: no single location can ship every item "
        f"(each extra parcel counts {rupees(SPLIT_PENALTY_PAISE)})."
    ]
    for offer, take in parts:
        units = sum(q for _, q in take)
        notes.append(
            f"{who(offer)} ships {units} unit(s) of "
            + ", ".join(sku for sku, _ in take)
            + f": {offer_text(offer)}."
        )
    used = {offer.candidate.code for offer, _ in parts}
    notes.extend(_passed_over(order, holders, None, used, verdict))
    notes.extend(refusals(order))
    assignments = tuple(_assignment(offer, take) for offer, take in parts)
    return ShipPlan(assignments, tuple(notes), penalty)


Take = tuple[tuple[str, int], ...]


def _greedy_split(
    demand: Mapping[str, int], holders: list[Located], verdict: Callable[[Located], Verdict]
) -> list[tuple[Offer, Take]] | None:
    """Each time the able location covering most of what is left (best score on a tie)."""
    remaining = dict(demand)
    pool = list(holders)
    parts: list[tuple[Offer, Take]] = []
    while remaining:
        covering = []
        for located in pool:
            available = located[0].available
            units = sum(min(q, available.get(sku, 0)) for sku, q in remaining.items())
            if units:
                covering.append((-units, located))
        covering.sort(key=lambda pair: pair[0])
        best: tuple[int, Offer] | None = None
        for minus_units, located in covering:
            if best is not None and minus_units > best[0]:
                break
            seen = verdict(located)
            if isinstance(seen, Offer) and (best is None or seen.rank < best[1].rank):
                best = (minus_units, seen)
        if best is None:
            return None
        offer = best[1]
        take = tuple(
            (sku, min(q, offer.candidate.available.get(sku, 0)))
            for sku, q in sorted(remaining.items())
            if offer.candidate.available.get(sku, 0) > 0
        )
        parts.append((offer, take))
        pool = [p for p in pool if p[0].code != offer.candidate.code]
        for sku, q in take:
            remaining[sku] -= q
            if remaining[sku] == 0:
                del remaining[sku]
    return parts


def _cannot_ship(
    order: ShipOrder, holders: list[Located], verdict: Callable[[Located], Verdict]
) -> CannotShip:
    able = [c for c, v in holders if isinstance(verdict((c, v)), Offer)]
    short = tuple(
        (sku, q, can)
        for sku, q in sorted(order.demand.items())
        if (can := sum(c.available.get(sku, 0) for c in able)) < q
    )
    what = "; ".join(f"{sku} needs {q}, {can} can ship" for sku, q, can in short)
    notes = (*_passed_over(order, holders, None, set(), verdict), *refusals(order))
    return CannotShip(
        f"No location can ship all of this order to pincode {order.request.pincode}: {what}.",
        next_step="Raise it to HQ as an exception: offer a smaller quantity or a back-order.",
        short=short,
        explanation=notes,
    )


def _assignment(offer: Offer, lines: Take) -> ShipAssignment:
    return ShipAssignment(
        offer.candidate.code,
        lines,
        offer.carrier.code,
        offer.ship_on,
        offer.delivers_on,
        offer.score,
    )
