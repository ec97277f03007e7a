"""The demo retailer's tax and shipping master data: per category an HSN code, a GST rate
and a typical packed size; per place its pincode, a GSTIN and the carriers serving it.

The HSN codes and rates are typical for each category, good enough for a demo; a real
retailer imports its own (``counterbench ledger import items``).
"""

from __future__ import annotations

import re
from datetime import date

from app.domain.master_fields import gstin_check_char
from app.domain.tax.rates import GstRate

# category -> (HSN code, GST rate in basis points, packed length/width/height in mm)
CATEGORY_TAX: dict[str, tuple[str, int, tuple[int, int, int]]] = {
    "Grocery": ("2106", 500, (200, 150, 80)),
    "Personal Care": ("3304", 1800, (150, 60, 40)),
    "Home & Kitchen": ("7323", 500, (300, 250, 150)),
    "Electronics": ("8504", 1800, (180, 120, 60)),
    "Apparel": ("6109", 500, (300, 250, 30)),
    "Footwear": ("6403", 500, (320, 200, 120)),
    "Stationery": ("4820", 1800, (300, 220, 20)),
    "Toys & Games": ("9503", 500, (300, 250, 80)),
    "Sports": ("9506", 500, (600, 200, 100)),
}
_UNKNOWN = ("9999", 1800, (0, 0, 0))

# The GST rate table's rows: apparel and footwear (HSN chapters 61, 62, 64) 5 % up to
# ₹2,500 a piece and 18 % above, since 22 Sep 2025; other items keep their own rate.
DEMO_GST_RATES = tuple(
    GstRate(chapter, 500, date(2025, 9, 22), band_limit_minor=2_500_00, rate_above_bp=1800)
    for chapter in ("61", "62", "64")
)

# GST state code of each demo city.
STATE_CODES = {
    "Bengaluru": "29", "Mumbai": "27", "Bhiwandi": "27", "Pune": "27", "New Delhi": "07",
    "Chennai": "33", "Hyderabad": "36", "Kolkata": "19", "Ahmedabad": "24", "Jaipur": "08",
}  # fmt: skip
DEMO_PAN = "AABCK1234K"  # the demo retailer's (made-up) PAN: one GSTIN per state
DEMO_CARRIERS = ("LOCAL", "SWIFT", "INDPOST")  # app.ledger.seed_carriers


def item_master(category: str) -> dict[str, object]:
    """The item columns of :data:`CATEGORY_TAX` for a seeded item of ``category``."""
    hsn, gst, (length, width, height) = CATEGORY_TAX.get(category, _UNKNOWN)
    return {
        "hsn_code": hsn,
        "gst_rate_bp": gst,
        "length_mm": length,
        "width_mm": width,
        "height_mm": height,
        "return_category": re.sub(r"[^a-z]+", "_", category.lower()).strip("_"),
    }


def place_master(city: str, address: str) -> dict[str, object]:
    """Pincode (the address's last six digits), GSTIN and carriers of a seeded place."""
    pins = re.findall(r"\b[1-9]\d{5}\b", address)
    state = STATE_CODES.get(city, "")
    gstin = ""
    if state:
        first14 = f"{state}{DEMO_PAN}1Z"
        gstin = first14 + gstin_check_char(first14)
    return {"pincode": pins[-1] if pins else "", "gstin": gstin, "carriers": list(DEMO_CARRIERS)}
