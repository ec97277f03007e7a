"""The rate table the worked examples use: the rules in force since 22 Sep 2025, and the
apparel rule before it (5 % up to ₹1,000 a piece, 12 % above) to test effective dates."""

from __future__ import annotations

from datetime import date

from app.domain.tax.rates import GstRate

GST_2_0 = date(2025, 9, 22)
GST_2017 = date(2017, 7, 1)

RATES = (
    GstRate("61", 500, GST_2017, band_limit_minor=1_000_00, rate_above_bp=1200),
    GstRate("62", 500, GST_2017, band_limit_minor=1_000_00, rate_above_bp=1200),
    GstRate("61", 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800),
    GstRate("62", 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800),
    GstRate("64", 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800),
    GstRate("7323", 500, GST_2_0),  # steel kitchenware
    GstRate("85", 1800, GST_2017),  # electrical machinery: speakers, chargers
    GstRate("10", 0, GST_2017),  # cereals, loose
    GstRate("1006", 500, GST_2017),  # rice, packed and labelled
)
