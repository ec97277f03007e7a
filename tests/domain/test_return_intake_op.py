"""The ``return.intake`` payload: what a counter sends comes back the same, is a physical
fact in the registry, and a bad one is refused in an associate's words."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.domain.op_types import known, parse_payload
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE, ReturnIntake
from app.errors import BadInput


def _payload(**change: Any) -> dict[str, Any]:
    return {
        "location": "BLR-01",
        "return_id": str(uuid.UUID(int=7)),
        "order": "WEB-240001",
        "parcel": None,
        "lines": [{"line_no": 2, "sku": "GRO-00001", "quantity": 1, "grade": "defective",
                   "disposition": "scrap", "reason": "broken_seal", "refund_minor": 45_000}],
        "refund": {"method": "store_credit", "shipping_minor": 0,
                   "restocking_fee_minor": 5_000, "total_minor": 40_000},
        "credit_note": "CN/BLR01/26/000012",
        "customer_phone": None,
        **change,
    }  # fmt: skip


def test_a_return_reads_back_as_it_was_sent_and_is_a_physical_fact() -> None:
    parsed = parse_payload(RETURN_INTAKE, _payload())

    assert isinstance(parsed, ReturnIntake)
    assert parsed.return_id == uuid.UUID(int=7).hex and not parsed.without_lookup
    assert parsed.lines[0].grade is Grade.DEFECTIVE
    assert parsed.lines[0].disposition is Disposition.SCRAP
    assert ReturnIntake.from_payload(parsed.to_payload()) == parsed
    op_type = known(RETURN_INTAKE)
    assert op_type is not None and op_type.is_fact and op_type.words == "return"


def test_a_return_without_lookup_names_no_order_and_no_lines_of_one() -> None:
    line = {**_payload()["lines"][0], "line_no": None}
    parsed = ReturnIntake.from_payload(_payload(order=None, lines=[line], customer_phone=" 98 "))

    assert parsed.without_lookup and parsed.customer_phone == "98"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"location": ""}, "A return needs the location code of the station."),
        ({"refund": None}, "The return needs its refund: method and amounts."),
        ({"lines": "GRO-00001"}, "A return holds a list of 1 to 200 lines."),
        ({"lines": [7]}, "Line 1 of the return is not a line."),
        ({"order": "W" * 41}, "The order or receipt number is longer than 40 characters."),
    ],
    ids=["no-location", "no-refund", "lines-not-a-list", "line-not-a-line", "long-order"],
)
def test_a_bad_return_is_refused_in_words(change: dict[str, Any], words: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_payload(RETURN_INTAKE, _payload(**change))
    assert refused.value.message == words
