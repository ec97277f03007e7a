"""GST rates as master data: by HSN code prefix, with an optional price band, from a date.

A row applies to every HSN code that starts with its prefix (2 to 8 digits); the longest
prefix in force wins, and of two rows with the same prefix the one in force latest. A
row with a price band charges ``rate_bp`` on units sold at up to and including
``band_limit_minor`` each and ``rate_above_bp`` above it: since 22 Sep 2025 apparel and
footwear (HSN chapters 61, 62, 64) pay 5 % up to ₹2,500 a piece and 18 % above.

The band is judged on the price the customer pays per unit, tax included, after the
order's discount (what the shop's prices are: MRP-style, tax inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.master_fields import GST_RATES_BP, rate_text
from app.domain.money import Money
from app.errors import BadInput


@dataclass(frozen=True)
class GstRate:
    """One row of the GST rate table (rates in basis points: 5 % is 500)."""

    hsn_prefix: str
    rate_bp: int
    effective_from: date
    band_limit_minor: int | None = None  # per unit, tax inclusive, after discount
    rate_above_bp: int | None = None

    def __post_init__(self) -> None:
        prefix = self.hsn_prefix
        if not (prefix.isascii() and prefix.isdigit() and 2 <= len(prefix) <= 8):
            raise BadInput(
                f"'{prefix}' is not an HSN code or chapter.",
                next_step="Give 2 to 8 digits: 61 for a chapter, 6109 or 61091000 for a code.",
            )
        for rate in (self.rate_bp, self.rate_above_bp):
            if rate is not None and rate not in GST_RATES_BP:
                raise BadInput(f"HSN {prefix}: {rate / 100:g} % is not a GST rate in force.")
        if (self.band_limit_minor is None) != (self.rate_above_bp is None):
            raise BadInput(
                f"HSN {prefix}: a price band needs both its limit and the rate above it.",
                next_step="Give both, or neither for one rate at every price.",
            )
        if self.band_limit_minor is not None and self.band_limit_minor <= 0:
            raise BadInput(f"HSN {prefix}: the price band's limit must be above ₹0.")

    def rate_on(self, value_minor: int, quantity: int) -> int:
        """The rate for ``quantity`` units sold together for ``value_minor`` (after
        discount, tax inclusive): judged per unit, without rounding the unit price."""
        if self.band_limit_minor is None or self.rate_above_bp is None:
            return self.rate_bp
        if value_minor <= self.band_limit_minor * quantity:
            return self.rate_bp
        return self.rate_above_bp

    def text(self) -> str:
        """As people say it: "5 %" or "5 % up to ₹2,500.00 a unit, 18 % above"."""
        if self.band_limit_minor is None or self.rate_above_bp is None:
            return f"{rate_text(self.rate_bp)} %"
        limit = Money(self.band_limit_minor).format()
        return (
            f"{rate_text(self.rate_bp)} % up to {limit} a unit, "
            f"{rate_text(self.rate_above_bp)} % above"
        )


def rate_row(rates: Iterable[GstRate], hsn: str, *, on: date) -> GstRate | None:
    """The row in force on ``on`` for ``hsn``: the longest prefix, then the latest."""
    best: GstRate | None = None
    for row in rates:
        if row.effective_from > on or not hsn.startswith(row.hsn_prefix):
            continue
        if best is None or (len(row.hsn_prefix), row.effective_from) > (
            len(best.hsn_prefix),
            best.effective_from,
        ):
            best = row
    return best
