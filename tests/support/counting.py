"""Recording a count the way the count dialog does: counted again when far from the
book, with the first reason offered, so tests about sync can count any number."""

from __future__ import annotations

from app.domain.stock import Bucket
from app.services.results import CountCheck, CountRecorded, StaffSession
from app.services.stock import StockService


def count_settled(
    stock: StockService,
    staff: StaffSession | None,
    sku_or_gtin: str,
    observed: int,
    bucket: Bucket = Bucket.SELLABLE,
) -> CountRecorded:
    """Count ``observed``; if the station asks, the same number again, then a reason."""
    first: int | None = None
    reason = ""
    for _ in range(3):
        answer = stock.count(staff, sku_or_gtin, observed, bucket, first_count=first, reason=reason)
        if isinstance(answer, CountRecorded):
            return answer
        assert isinstance(answer, CountCheck)
        if answer.wants == "recount":
            first = observed
        else:
            reason = answer.reasons[0][0]
    raise AssertionError("the count was never recorded")
