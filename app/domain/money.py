"""Money as integer minor units with a currency."""

from __future__ import annotations

from dataclasses import dataclass

_SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£"}
_MINOR_DIGITS = {"INR": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}
CURRENCIES = frozenset(_MINOR_DIGITS)  # the codes this shop prices in and knows how to print


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (paise for INR) of one currency."""

    minor: int
    currency: str = "INR"

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.minor * quantity, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def format(self) -> str:
        """Human form; INR uses Indian digit grouping: ₹1,23,456.00."""
        digits = _MINOR_DIGITS.get(self.currency, 2)
        sign = "-" if self.minor < 0 else ""
        major, minor = divmod(abs(self.minor), 10**digits) if digits else (abs(self.minor), 0)
        grouped = indian_grouping(major) if self.currency == "INR" else f"{major:,}"
        symbol = _SYMBOLS.get(self.currency, self.currency + " ")
        fraction = f".{minor:0{digits}d}" if digits else ""
        return f"{sign}{symbol}{grouped}{fraction}"


def indian_grouping(number: int) -> str:
    """Group digits the Indian way: last three, then pairs (12,34,567)."""
    text = str(number)
    if len(text) <= 3:
        return text
    head, tail = text[:-3], text[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    if head:
        pairs.insert(0, head)
    return ",".join([*pairs, tail])
