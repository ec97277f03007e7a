from hypothesis import given
from hypothesis import strategies as st

from app.domain.money import Money, indian_grouping


def test_inr_uses_indian_digit_grouping() -> None:
    assert Money(12345600, "INR").format() == "₹1,23,456.00"
    assert Money(99, "INR").format() == "₹0.99"
    assert Money(100000000_00, "INR").format() == "₹10,00,00,000.00"
    assert Money(-129900, "INR").format() == "-₹1,299.00"


def test_other_currencies_use_thousands_grouping() -> None:
    assert Money(123456789, "USD").format() == "$1,234,567.89"


def test_mixing_currencies_is_refused() -> None:
    try:
        Money(1, "INR") + Money(1, "USD")
    except ValueError as exc:
        assert "INR" in str(exc)
    else:
        raise AssertionError("adding INR to USD must fail")


@given(st.integers(min_value=0, max_value=10**15))
def test_indian_grouping_keeps_the_digits(number: int) -> None:
    grouped = indian_grouping(number)
    assert grouped.replace(",", "") == str(number)
    parts = grouped.split(",")
    assert len(parts[-1]) == min(3, len(str(number)))
    assert all(len(p) == 2 for p in parts[1:-1])
