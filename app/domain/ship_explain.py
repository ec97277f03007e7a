"""The sentences that say why a delivery order went where it did, for a packer or lead."""

from __future__ import annotations

from app.domain.ship_offers import Located, Offer, ShipOrder, Verdict, km_between


def who(offer: Offer) -> str:
    """The location's code and name."""
    return f"{offer.candidate.code} {offer.candidate.name}"


def rupees(paise: float) -> str:
    """Paise as rupees, without the paise when whole: ₹40, ₹40.50."""
    return f"₹{paise / 100:,.0f}" if paise % 100 == 0 else f"₹{paise / 100:,.2f}"


def offer_text(offer: Offer) -> str:
    """Distance, zone, carrier and price, ship and delivery dates, capacity left."""
    score, carrier = offer.score, offer.carrier
    return (
        f"{score.distance_km:,.0f} km from the customer ({score.zone} zone), "
        f"{carrier.name} {rupees(score.shipping_paise)}, ships {offer.ship_on:%d %b} "
        f"(cut-off {carrier.cutoff:%H:%M}), delivers {offer.delivers_on:%d %b}"
        + (f", {score.days_late} day(s) late" if score.days_late else ", on promise")
        + f", {offer.candidate.remaining_capacity} orders of capacity left today"
    )


def why_not(winner: Offer, other: Offer) -> str:
    """What makes ``other`` worse than ``winner``, part by part."""
    w, o = winner.score, other.score
    reasons = []
    if o.distance_km > w.distance_km:
        reasons.append(f"farther ({o.distance_km:,.0f} km against {w.distance_km:,.0f} km)")
    if o.shipping_paise > w.shipping_paise:
        reasons.append(
            f"dearer to ship ({rupees(o.shipping_paise)} against {rupees(w.shipping_paise)})"
        )
    if o.days_late > w.days_late:
        reasons.append(f"delivers {o.days_late - w.days_late} day(s) later against the promise")
    if o.low_capacity_paise > w.low_capacity_paise:
        reasons.append(f"only {other.candidate.remaining_capacity} orders of capacity left")
    extra = o.total_paise - w.total_paise
    if not reasons or extra <= 0:
        return f"it scores the same; {winner.candidate.code} comes first by code"
    return "; ".join(reasons) + f" (costs {rupees(round(extra))} more in all)"


def refusals(order: ShipOrder) -> list[str]:
    """One sentence for each location that refused the order and was left out."""
    return [
        f"Not offered to {code} again: it refused this order."
        for code in sorted(order.request.refused_by)
    ]


def why_passed(order: ShipOrder, located: Located, seen: Verdict, winner: Offer | None) -> str:
    """Why a location holding some of the order does not ship it."""
    cand = located[0]
    km = km_between(order.point, located[1])
    head = f"Passed over {cand.code} {cand.name}, {km:,.0f} km away"
    if isinstance(seen, str):
        return f"{head}: {seen}."
    missing = [
        f"{sku} (needs {q}, has {cand.available.get(sku, 0)})"
        for sku, q in order.demand.items()
        if cand.available.get(sku, 0) < q
    ]
    if missing:
        return f"{head}: it is missing " + ", ".join(missing) + "."
    assert winner is not None  # a location with everything and an offer is in the ranking
    return f"{head}: {why_not(winner, seen)}."
