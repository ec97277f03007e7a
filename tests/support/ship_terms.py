"""The delivery terms a ship order must carry (app.domain.ship_intake), for tests that
place ship orders: an address in the customer's city, a paid price per line, prepaid."""

from __future__ import annotations

from typing import Any

# city (as tests write it, any case) -> (state, pincode)
PLACES = {
    "mumbai": ("Maharashtra", "400053"),
    "bengaluru": ("Karnataka", "560034"),
    "bhiwandi": ("Maharashtra", "421302"),
    "new delhi": ("Delhi", "110017"),
    "chennai": ("Tamil Nadu", "600020"),
}
PAID_MINOR = 10_000  # ₹100 a unit, whatever the list price


def with_ship_terms(order: dict[str, Any], **terms: Any) -> dict[str, Any]:
    """``order`` (an OrderIntake body) with what a ship order needs added where missing:
    ``ship_to`` in the customer's city, ``paid_minor`` on each line, prepaid. ``terms``
    override the top-level fields (``payment``, ``cod_minor``, ``ship_to`` …)."""
    if order.get("method") != "ship":
        return order
    customer = order.get("customer", {})
    city = customer.get("city") or "Mumbai"
    state, pincode = PLACES.get(city.casefold(), PLACES["mumbai"])
    address = {
        "name": customer.get("name", "Customer"),
        "line1": "12 Test Street",
        "city": city,
        "state": state,
        "pincode": pincode,
        "phone": customer.get("phone") or "+91 98450 00000",
    }
    lines = [{"paid_minor": PAID_MINOR, **line} for line in order["lines"]]
    return {"ship_to": address, "payment": "prepaid", **order, "lines": lines, **terms}
