"""A GST rate row of a master-data file (kind ``gst_rates``) from its text fields:
``hsn_prefix,rate,effective_from,[band_limit],[rate_above]``, e.g.
``61,5,2025-09-22,2500.00,18``: apparel 5 % up to ₹2,500 a unit, 18 % above, from
22 Sep 2025. Pure; a bad field raises ``BadInput`` naming its column.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.domain import master_fields as f
from app.domain.master_records import Columns
from app.domain.tax.rates import GstRate
from app.errors import BadInput

GST_RATE_COLUMNS = Columns(
    required=("hsn_prefix", "rate", "effective_from"), optional=("band_limit", "rate_above")
)


def gst_rate_record(fields: Mapping[str, str]) -> GstRate:
    """A row of the GST rate table from text fields (CSV columns of ``GST_RATE_COLUMNS``);
    the row's own checks (HSN digits, a band with both its limit and upper rate) name
    the HSN code."""
    column = ""

    def text(name: str) -> str:
        nonlocal column
        column = name
        return (fields.get(name) or "").strip()

    try:
        prefix = text("hsn_prefix").replace(" ", "").replace(".", "")
        rate = f.gst_rate_bp(text("rate"))
        since = _day(text("effective_from"))
        limit = f.price_minor(text("band_limit")) if text("band_limit") else None
        above = f.gst_rate_bp(text("rate_above")) if text("rate_above") else None
    except BadInput as exc:
        raise BadInput(f"{column}: {exc.message}", next_step=exc.next_step) from None
    return GstRate(prefix, rate, since, band_limit_minor=limit, rate_above_bp=above)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"'{text}' is not a date.", next_step="Write it as YYYY-MM-DD, e.g. 2025-09-22."
        ) from None
