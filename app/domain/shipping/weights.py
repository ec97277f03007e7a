"""The weight check at the pack step, a lead's override of it, and what a scale types. Pure.

A parcel should weigh its items plus its empty box. The check allows MIN_TOLERANCE_G or
TOLERANCE_PERCENT of the expected weight, whichever is more: item weights on record are
rounded, boxes vary, and filler weighs a little. Outside that, the packer checks the box;
only a lead or a manager may accept the weight as it is, with a reason, and the
acceptance (:class:`WeightOverride`) travels with the pack for the audit.

USB scales that type like a keyboard send a line such as ``1.325 kg``, ``1325 g`` or, in
the A&D style, ``ST,GS,+001.325kg`` (ST stable, US unstable, OL overload; GS gross, NT
net). :func:`read_scale` turns any of them, or a weight keyed by hand, into grams.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.approvals import LEAD, ROLE_RANK
from app.domain.shipping.boxes import BoxType, PackItem
from app.errors import BadInput, RuleRefused

MIN_TOLERANCE_G = 50
TOLERANCE_PERCENT = 5
MAX_PARCEL_G = 70_000  # no carrier here takes a heavier parcel, and a scale reading more is wrong
MIN_REASON_CHARS = 3

# Reasons a lead picks from when accepting a weight; free text of MIN_REASON_CHARS or more
# is taken too.
OVERRIDE_REASONS = {
    "item_weight": "Item weights on record are wrong",
    "box_weight": "The box weighs other than on record",
    "filler": "Extra packing material for fragile items",
    "recounted": "Items counted again and correct",
}

_GRAMS_PER = {
    "kg": Decimal(1000),
    "g": Decimal(1),
    "lb": Decimal("453.59237"),
    "lbs": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}
_STATUS = re.compile(r"^(ST|US|OL)\s*,\s*(?:(GS|NT|TR)\s*,\s*)?", re.IGNORECASE)
_WEIGHT = re.compile(r"^([+-]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$", re.IGNORECASE)


class WeightOutcome(StrEnum):
    WITHIN = "within"
    HEAVY = "heavy"
    LIGHT = "light"


def kg_text(grams: int) -> str:
    """Grams as kg with two decimals, halves rounded up: 1325 → "1.33 kg"."""
    centi = (grams + 5) // 10
    return f"{centi // 100}.{centi % 100:02d} kg"


@dataclass(frozen=True)
class WeightCheck:
    """A parcel's weight against what it should weigh."""

    weighed_g: int
    expected_g: int
    tolerance_g: int
    outcome: WeightOutcome

    @property
    def within(self) -> bool:
        return self.outcome is WeightOutcome.WITHIN

    @property
    def words(self) -> str:
        """What the packer reads beside the weight."""
        weighs = f"Parcel weighs {kg_text(self.weighed_g)}"
        expected = f"{kg_text(self.expected_g)} ± {kg_text(self.tolerance_g)}"
        if self.within:
            return f"{weighs}: within {expected}."
        return (
            f"{weighs}; expected {expected}. "
            "Check the items in the box, or ask a lead to accept this weight."
        )


def expected_weight(items: Iterable[PackItem], box: BoxType) -> int:
    """What a parcel of ``items`` in ``box`` should weigh, in grams."""
    return box.tare_g + sum(i.weight_g * i.quantity for i in items)


def tolerance(
    expected_g: int,
    *,
    min_tolerance_g: int = MIN_TOLERANCE_G,
    tolerance_percent: int = TOLERANCE_PERCENT,
) -> int:
    """How far a parcel may weigh from ``expected_g``: the larger of the two allowances."""
    share = (expected_g * tolerance_percent + 99) // 100  # rounded up to the gram
    return max(min_tolerance_g, share)


def check_weight(
    weighed_g: int,
    expected_g: int,
    *,
    min_tolerance_g: int = MIN_TOLERANCE_G,
    tolerance_percent: int = TOLERANCE_PERCENT,
) -> WeightCheck:
    """Whether ``weighed_g`` is within the tolerance of ``expected_g``, heavy or light."""
    if weighed_g <= 0:
        raise BadInput(f"{weighed_g} g is not a weight.", next_step="Weigh the parcel again.")
    if expected_g < 0:
        raise BadInput(f"An expected weight of {expected_g} g is not possible.")
    allowed = tolerance(
        expected_g, min_tolerance_g=min_tolerance_g, tolerance_percent=tolerance_percent
    )
    if weighed_g > expected_g + allowed:
        outcome = WeightOutcome.HEAVY
    elif weighed_g < expected_g - allowed:
        outcome = WeightOutcome.LIGHT
    else:
        outcome = WeightOutcome.WITHIN
    return WeightCheck(weighed_g, expected_g, allowed, outcome)


@dataclass(frozen=True)
class WeightOverride:
    """A lead accepted a parcel weight outside the tolerance: who, why, and the weights."""

    lead: str  # the staff code of the lead or manager
    reason: str  # a code of OVERRIDE_REASONS, or the lead's own words
    weighed_g: int
    expected_g: int

    @property
    def reason_text(self) -> str:
        return OVERRIDE_REASONS.get(self.reason, self.reason)


def override_weight(check: WeightCheck, *, lead: str, role: str, reason: str) -> WeightOverride:
    """A lead's (or manager's) acceptance of a weight outside the tolerance, for the audit."""
    if check.within:
        raise RuleRefused(
            f"The weight {kg_text(check.weighed_g)} is within range; there is nothing to accept.",
            next_step="Go on and print the label.",
        )
    if ROLE_RANK.get(role, -1) < ROLE_RANK[LEAD]:
        raise RuleRefused(
            f"{lead or 'This staff member'} is {role or 'not known'}; "
            "only a lead or a manager may accept a parcel weight outside the range.",
            next_step="Ask a lead to scan their badge.",
        )
    reason = reason.strip()
    if reason not in OVERRIDE_REASONS and len(reason) < MIN_REASON_CHARS:
        raise BadInput(
            "Say why this weight is right.",
            next_step="Pick a reason from the list or type a few words.",
        )
    return WeightOverride(lead, reason, check.weighed_g, check.expected_g)


def read_scale(text: str) -> int:
    """Grams from what a keyboard-wedge scale typed, or from a weight keyed by hand.

    A number without a unit is grams ("1325"); with a decimal point it needs its unit."""
    line = text.strip()
    status = _STATUS.match(line)
    if status:
        _check_status(status[1].upper())
        line = line[status.end() :].strip()
    match = _WEIGHT.match(line)
    if not line or match is None:
        raise BadInput(
            f"'{text.strip()}' is not a weight." if text.strip() else "No weight came through.",
            next_step="Weigh the parcel again, or type grams (1325) or kg (1.325 kg).",
        )
    sign, number, unit = match[1], match[2], match[3].lower()
    return _grams(text.strip(), sign, Decimal(number), unit)


def _check_status(status: str) -> None:
    if status == "US":
        raise BadInput(
            "The scale is not steady yet.", next_step="Wait for it to settle, then weigh again."
        )
    if status == "OL":
        raise BadInput(
            "The scale is overloaded.", next_step="Take the parcel off and check the scale."
        )


def _grams(shown: str, sign: str, number: Decimal, unit: str) -> int:
    if unit and unit not in _GRAMS_PER:
        raise BadInput(
            f"'{shown}' is in '{unit}', a unit the bench does not read.",
            next_step="Set the scale to kg or g.",
        )
    if not unit and number != number.to_integral_value():
        raise BadInput(
            f"'{shown}' has no unit.", next_step="Type grams (1325) or kg with its unit (1.325 kg)."
        )
    if sign == "-":
        raise BadInput(
            f"The scale reads {shown}, less than nothing.",
            next_step="Empty the scale, zero it, and weigh again.",
        )
    grams = int((number * _GRAMS_PER[unit or "g"]).quantize(Decimal(1), ROUND_HALF_UP))
    if grams == 0:
        raise BadInput("The scale reads 0 g.", next_step="Put the parcel on the scale.")
    if grams > MAX_PARCEL_G:
        raise BadInput(
            f"{kg_text(grams)} is more than the {MAX_PARCEL_G // 1000} kg a parcel may weigh.",
            next_step="Split the items over two parcels, or weigh again.",
        )
    return grams
