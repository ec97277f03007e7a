"""Till sales, pure: the keys an order is found by, the masked customer, a till export's
rows read and gathered into whole receipts, the time of sale, and the sale's digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.master_rows import MasterKind, read_rows
from app.domain.till_receipts import receipts_of, whole_receipts
from app.domain.till_sales import (
    SaleLine,
    TillSale,
    email_key,
    first_name,
    phone_key,
    phone_last4,
    sale_digest,
    stored_time,
)
from app.errors import BadInput

HEADER = "receipt,location,sold_at,sku,quantity,unit_paid,payment,phone,email\n"
KOLKATA = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed", ["+91 98450 12345", "098450-12345", "9845012345", "91 (98450) 12345"]
)
def test_one_phone_number_however_typed_has_one_key(typed: str) -> None:
    assert phone_key(typed) == "9845012345"


def test_short_numbers_have_no_key_and_emails_are_case_folded() -> None:
    assert phone_key("12345") == "" and phone_key("") == ""
    assert email_key("  Asha.Rao@Example.COM ") == "asha.rao@example.com"


def test_a_lookup_shows_the_first_name_and_the_phones_last_4_digits_only() -> None:
    assert first_name("  Priya  Rao Sharma") == "Priya" and first_name("") == ""
    assert phone_last4("+91 98450 12345") == "2345" and phone_last4("12") == ""


def sale(**change: object) -> TillSale:
    base = TillSale(
        receipt="R-1",
        location="BLR-01",
        sold_at=datetime(2026, 12, 6, 14, 30),
        payment="cash",
        lines=(SaleLine("KUR-001", 1, 14950), SaleLine("KUR-002", 2, 9900)),
    )
    return TillSale(**{**base.__dict__, **change})


def test_a_time_without_a_zone_is_the_stores_and_a_time_ahead_of_now_is_refused() -> None:
    at = stored_time(datetime(2026, 12, 6, 14, 30), KOLKATA, NOW)
    ahead = datetime(2026, 12, 6, 12, 30, tzinfo=UTC)

    assert at == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert stored_time(NOW + timedelta(minutes=5), KOLKATA, NOW) == NOW + timedelta(minutes=5)
    with pytest.raises(BadInput, match="later than now") as refused:
        stored_time(ahead, KOLKATA, NOW)
    assert "till's clock" in refused.value.next_step


def test_the_digest_tells_the_same_sale_from_another_under_its_receipt() -> None:
    at = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    same = sale_digest(sale(email="A@B.example"), at)

    assert sale_digest(sale(email="a@b.example "), at) == same  # how an address is typed
    assert sale_digest(sale(email="A@B.example", payment="card"), at) != same
    assert sale_digest(sale(email="A@B.example"), at + timedelta(minutes=1)) != same
    other_lines = sale(email="A@B.example", lines=(SaleLine("KUR-001", 2, 14950),))
    assert sale_digest(other_lines, at) != same


@settings(max_examples=30)
@given(st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 10**9)), min_size=1, max_size=20))
def test_a_sales_total_is_what_each_line_paid_for_its_units(
    lines: list[tuple[int, int]],
) -> None:
    made = sale(lines=tuple(SaleLine(f"S-{n}", q, p) for n, (q, p) in enumerate(lines)))

    assert made.total_minor == sum(q * p for q, p in lines)


def test_a_till_export_is_read_into_whole_receipts_with_each_bad_row_by_line() -> None:
    rows = [
        "R-1,blr-01,2026-12-06 14:30,kur-001,1,149.50,cash,98450 12345,\n",
        "R-1,BLR-01,2026-12-06 14:30,KUR-002,2,99,cash,98450 12345,\n",
        "R-2,BLR-01,2026-12-06 15:00,KUR-001,1,10,card,,\n",
        "R-2,BLR-01,2026-12-06 15:00,KUR-003,one,10,card,,\n",
        "R-3,BLR-01,2026-12-06 16:00,KUR-001,1,10,upi,,\n",
        "R-3,BLR-01,2026-12-06 16:05,KUR-002,1,10,upi,,\n",
        ",BLR-01,2026-12-06 16:00,KUR-001,1,10,upi,,\n",
        "R-4,BLR-01,2026-12-06 16:00,KUR-001,1,10,upi,,\n",
        "R-4,BLR-01,2026-12-06 16:00,KUR-001,3,10,upi,,\n",
    ]
    parsed = read_rows(MasterKind.SALES, [HEADER, *rows])

    receipts, problems = receipts_of(parsed.rows)
    bad = {p.line for p in [*parsed.problems, *problems]}
    whole = whole_receipts(receipts, bad)

    said = {p.line: p.message for p in [*parsed.problems, *problems, *whole]}
    assert said == {
        4: "Receipt R-2 has a bad line, so none of it is taken in.",
        5: "quantity: The quantity 'one' is not a whole number.",
        6: "Receipt R-3 has a bad line, so none of it is taken in.",
        7: "Receipt R-3 says another store, time, payment or customer on line 6.",
        8: "receipt: '' cannot be a receipt number.",
        10: "R-4 KUR-001 1000 is also on line 9.",
    }
    first = next(s for _, s in receipts if s.receipt == "R-1")
    assert (first.location, first.phone, first.total_minor) == ("BLR-01", "98450 12345", 34750)
    assert [x.sku for x in first.lines] == ["KUR-001", "KUR-002"]


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("sold_at", "06/12/2026", "is not a time of sale"),
        ("sold_at", "1999-12-31 10:00", "not plausible"),
        ("payment", "cheque", "is not a payment method"),
        ("phone", "12", "is not a phone number"),
        ("email", "asha at example", "is not an e-mail address"),
        ("unit_paid", "-1", "is not a price"),
        ("quantity", "0", "it must be 1 to 1,000"),
    ],
)
def test_each_bad_field_of_a_sales_row_is_named(field: str, value: str, words: str) -> None:
    fields = dict(
        zip(
            HEADER.strip().split(","),
            ["R-9", "BLR-01", "2026-12-06 10:00", "KUR-001", "1", "10", "cash", "", ""],
            strict=True,
        )
    )
    parsed = read_rows(
        MasterKind.SALES, [HEADER, ",".join({**fields, field: value}.values()) + "\n"]
    )

    ((_, row),) = parsed.rows
    assert row.problem is not None
    assert row.problem[0].startswith(f"{field}: ") and words in row.problem[0]
