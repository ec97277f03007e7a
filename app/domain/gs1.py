"""GS1 element strings: application identifiers as they go into a GS1-128 symbol.

The data in the symbol never holds parentheses: ``(00)`` is printed for people only, in
the human-readable line. Fixed-length AIs need no separator; a variable-length AI that is
not last is ended with FNC1 (handled by the encoder in ``app.labels``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.gtin import has_valid_check_digit
from app.errors import BadInput


@dataclass(frozen=True)
class ApplicationIdentifier:
    """One GS1 AI: its code, title, data length and whether it is numeric."""

    code: str
    title: str
    max_length: int
    fixed: bool
    numeric: bool
    check_digit: bool = False


AIS: dict[str, ApplicationIdentifier] = {
    ai.code: ai
    for ai in (
        ApplicationIdentifier("00", "SSCC", 18, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("01", "GTIN", 14, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("02", "CONTENT", 14, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("10", "BATCH/LOT", 20, fixed=False, numeric=False),
        ApplicationIdentifier("21", "SERIAL", 20, fixed=False, numeric=False),
        ApplicationIdentifier("37", "COUNT", 8, fixed=False, numeric=True),
        ApplicationIdentifier("400", "ORDER NUMBER", 30, fixed=False, numeric=False),
        ApplicationIdentifier("420", "SHIP TO POST", 20, fixed=False, numeric=False),
    )
}

# GS1 "CSET 82": the characters allowed in alphanumeric AI data.
_CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
) - frozenset("()")


@dataclass(frozen=True)
class Element:
    """One AI and its data, validated: ``Element("00", "106141412345678908")``."""

    ai: str
    data: str

    def __post_init__(self) -> None:
        spec = AIS.get(self.ai)
        if spec is None:
            raise BadInput(f"GS1 application identifier ({self.ai}) is not supported here.")
        data = self.data
        if "(" in data or ")" in data:
            raise BadInput(
                f"GS1 data for ({self.ai}) contains parentheses: '{data}'.",
                next_step="Give the digits only; the (AI) is printed for people, never encoded.",
            )
        if not data:
            raise BadInput(f"GS1 data for ({self.ai}) {spec.title} is empty.")
        if spec.fixed and len(data) != spec.max_length:
            raise BadInput(
                f"GS1 ({self.ai}) {spec.title} has {spec.max_length} digits, not {len(data)}."
            )
        if len(data) > spec.max_length:
            raise BadInput(f"GS1 ({self.ai}) {spec.title} is at most {spec.max_length} long.")
        if spec.numeric and not data.isdigit():
            raise BadInput(f"GS1 ({self.ai}) {spec.title} is digits only: '{data}'.")
        if not spec.numeric and not set(data) <= _CSET82:
            raise BadInput(f"GS1 ({self.ai}) {spec.title} has characters GS1 does not allow.")
        if spec.check_digit and not has_valid_check_digit(data):
            raise BadInput(
                f"GS1 ({self.ai}) {spec.title} {data} has a wrong check digit.",
                next_step="Check the number against the source; it was not printed.",
            )

    @property
    def fixed(self) -> bool:
        return AIS[self.ai].fixed

    def human_readable(self) -> str:
        """The line printed under the bars, e.g. ``(00) 106141412345678908``."""
        return f"({self.ai}) {self.data}"


def element_string(elements: tuple[Element, ...], *, separator: str = "\x1d") -> str:
    """The data a scanner transmits: AIs and data, ``separator`` after variable fields."""
    parts: list[str] = []
    for index, element in enumerate(elements):
        parts.append(element.ai + element.data)
        if not element.fixed and index < len(elements) - 1:
            parts.append(separator)
    return "".join(parts)
