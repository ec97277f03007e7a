"""GS1 element strings: application identifiers as they go into a GS1-128 symbol, and
as a scanner reads them back out of a GS1-128, GS1 DataMatrix or GS1 QR Code.

The data in the symbol never holds parentheses: ``(00)`` is printed for people only, in
the human-readable line. Fixed-length AIs need no separator; a variable-length AI that is
not last is ended with FNC1 (handled by the encoder in ``app.labels``), which a scanner
transmits as the group separator GS (ASCII 29). A scanner set to send AIM symbology
identifiers puts ``]C1`` (GS1-128), ``]d2`` (GS1 DataMatrix), ``]Q3`` (GS1 QR) … first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    date: bool = False  # YYMMDD, DD 00 meaning the end of the month


def _date_ai(code: str, title: str) -> ApplicationIdentifier:
    return ApplicationIdentifier(code, title, 6, fixed=True, numeric=True, date=True)


def _measure_ais(base: str, title: str) -> tuple[ApplicationIdentifier, ...]:
    """``310n`` and the like: six digits, the last digit of the AI places the decimal point."""
    return tuple(
        ApplicationIdentifier(f"{base}{n}", title, 6, fixed=True, numeric=True) for n in range(6)
    )


AIS: dict[str, ApplicationIdentifier] = {
    ai.code: ai
    for ai in (
        ApplicationIdentifier("00", "SSCC", 18, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("01", "GTIN", 14, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("02", "CONTENT", 14, fixed=True, numeric=True, check_digit=True),
        ApplicationIdentifier("10", "BATCH/LOT", 20, fixed=False, numeric=False),
        _date_ai("11", "PROD DATE"),
        _date_ai("12", "DUE DATE"),
        _date_ai("13", "PACK DATE"),
        _date_ai("15", "BEST BEFORE"),
        _date_ai("16", "SELL BY"),
        _date_ai("17", "USE BY OR EXPIRY"),
        ApplicationIdentifier("20", "VARIANT", 2, fixed=True, numeric=True),
        ApplicationIdentifier("21", "SERIAL", 20, fixed=False, numeric=False),
        ApplicationIdentifier("30", "VAR. COUNT", 8, fixed=False, numeric=True),
        ApplicationIdentifier("37", "COUNT", 8, fixed=False, numeric=True),
        ApplicationIdentifier("240", "ADDITIONAL ID", 30, fixed=False, numeric=False),
        ApplicationIdentifier("241", "CUST. PART No.", 30, fixed=False, numeric=False),
        ApplicationIdentifier("400", "ORDER NUMBER", 30, fixed=False, numeric=False),
        ApplicationIdentifier("410", "SHIP TO LOC", 13, fixed=True, numeric=True),
        ApplicationIdentifier("414", "LOC No.", 13, fixed=True, numeric=True),
        ApplicationIdentifier("420", "SHIP TO POST", 20, fixed=False, numeric=False),
        *_measure_ais("310", "NET WEIGHT (kg)"),
        *_measure_ais("320", "NET WEIGHT (lb)"),
    )
}
# GS1 General Specifications, "element strings with predefined length": AI and data
# together, by the AI's first two digits. Every other AI ends with FNC1 (GS) unless last.
_PREDEFINED_LENGTH = {
    "00": 20,
    "01": 16,
    "02": 16,
    "03": 16,
    "04": 18,
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19"), 8),
    "20": 4,
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), 10),
    "41": 16,
}
# GS1 General Specifications, AI lengths by the first two digits: 3 or 4 digits here, else 2.
_AI_LENGTH = {
    **dict.fromkeys(("23", "24", "25", "40", "41", "42", "71"), 3),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "39", "43", "70", "72"), 4),
    **dict.fromkeys(("80", "81", "82"), 4),
}
_UNLISTED_MAX_LENGTH = 90  # the longest GS1 data field (AIs 91-99)


def _unlisted_ai(code: str) -> ApplicationIdentifier:
    """An AI outside ``AIS`` as GS1's general rules read it: of predefined length by its
    first two digits (numeric), else variable up to 90 and ended by GS."""
    total = _PREDEFINED_LENGTH.get(code[:2])
    if total is not None:
        return ApplicationIdentifier(code, "data", total - len(code), fixed=True, numeric=True)
    return ApplicationIdentifier(code, "data", _UNLISTED_MAX_LENGTH, fixed=False, numeric=False)


GS = "\x1d"  # the group separator a scanner sends for FNC1
# AIM symbology identifiers whose data is a GS1 element string.
GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
_SYMBOLOGY_ID = re.compile(r"^\][A-Za-z][0-9A-Za-z]")

# GS1 "CSET 82": the characters allowed in alphanumeric AI data.
_CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
) - frozenset("()")


@dataclass(frozen=True)
class Element:
    """One AI and its data, validated: ``Element("00", "106141412345678908")``.

    ``scanned``: read from a scan, where an AI outside ``AIS`` is kept (by GS1's general
    rules) rather than refused, so the GTIN beside it still reads."""

    ai: str
    data: str
    scanned: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        spec = self._spec
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
        if spec.date and not _is_yymmdd(data):
            raise BadInput(f"GS1 ({self.ai}) {spec.title} '{data}' is not a YYMMDD date.")
        if spec.check_digit and not has_valid_check_digit(data):
            raise BadInput(
                f"GS1 ({self.ai}) {spec.title} {data} has a wrong check digit.",
                next_step="Check the number against the source; it was not printed.",
            )

    @property
    def _spec(self) -> ApplicationIdentifier:
        spec = AIS.get(self.ai)
        if spec is not None:
            return spec
        if self.scanned:
            return _unlisted_ai(self.ai)
        raise BadInput(f"GS1 application identifier ({self.ai}) is not supported here.")

    @property
    def fixed(self) -> bool:
        return self._spec.fixed

    def human_readable(self) -> str:
        """The line printed under the bars, e.g. ``(00) 106141412345678908``."""
        return f"({self.ai}) {self.data}"


def element_string(elements: tuple[Element, ...], *, separator: str = GS) -> str:
    """The data a scanner transmits: AIs and data, ``separator`` after variable fields."""
    parts: list[str] = []
    for index, element in enumerate(elements):
        parts.append(element.ai + element.data)
        if not element.fixed and index < len(elements) - 1:
            parts.append(separator)
    return "".join(parts)


def _is_yymmdd(data: str) -> bool:
    """A GS1 date: month 01-12, day 00-31 (00: the end of that month)."""
    return 1 <= int(data[2:4]) <= 12 and int(data[4:6]) <= 31


def split_symbology(scan: str) -> tuple[str, str]:
    """(AIM symbology identifier or '', the data): ``]C1011…`` is (``]C1``, ``011…``)."""
    if _SYMBOLOGY_ID.match(scan):
        return scan[:3], scan[3:]
    return "", scan


def parse_element_string(data: str, *, separator: str = GS) -> tuple[Element, ...]:
    """The elements of GS1 element string ``data`` as a scanner transmits it: AI after AI,
    ``separator`` after each variable-length field that is not last. A leading separator
    (FNC1 in first position, sent by some scanners) is skipped."""
    elements: list[Element] = []
    rest = data.removeprefix(separator)
    if not rest:
        raise BadInput("The GS1 code is empty.")
    while rest:
        ai = rest[: _AI_LENGTH.get(rest[:2], 2)]
        if not (ai.isdigit() and ai.isascii()):
            raise BadInput(f"GS1 application identifier ({rest[:4]}…) is not known here.")
        spec = AIS.get(ai) or _unlisted_ai(ai)
        rest = rest[len(ai) :]
        if spec.fixed:
            value, rest = rest[: spec.max_length], rest[spec.max_length :]
        else:
            value, _, rest = rest.partition(separator)
        elements.append(Element(ai, value, scanned=True))
        rest = rest.removeprefix(separator)  # a separator after a fixed field is tolerated
    return tuple(elements)


@dataclass(frozen=True)
class Gs1Scan:
    """A scanned GS1 element string, read by AI."""

    elements: tuple[Element, ...]

    def value(self, ai: str) -> str | None:
        """The data of the first element with ``ai``, or None."""
        return next((e.data for e in self.elements if e.ai == ai), None)

    @property
    def gtin(self) -> str | None:
        return self.value("01")

    @property
    def sscc(self) -> str | None:
        return self.value("00")

    @property
    def batch(self) -> str | None:
        return self.value("10")

    @property
    def expiry(self) -> str | None:
        """The expiry date as printed in the symbol, YYMMDD."""
        return self.value("17")

    @property
    def serial(self) -> str | None:
        return self.value("21")

    def human_readable(self) -> str:
        """``(01) 09501101530003 (17) 270331 (10) AB-12``."""
        return " ".join(e.human_readable() for e in self.elements)


def read_gs1(scan: str, *, separator: str = GS) -> Gs1Scan | None:
    """The GS1 data of a scan, or None when it is not a GS1 element string.

    With a GS1 symbology identifier (``]C1``, ``]d2``, ``]Q3`` …) the data is read as GS1.
    Without one, it is GS1 only when it reads cleanly and either holds a separator or
    starts with an SSCC, GTIN or content AI (00, 01, 02): a SKU, a bin, an order number
    or a plain GTIN stays what it is.
    """
    symbology, data = split_symbology(scan)
    if symbology and symbology not in GS1_SYMBOLOGIES:
        return None
    try:
        elements = parse_element_string(data, separator=separator)
    except BadInput:
        return None
    if symbology or separator in data or elements[0].ai in ("00", "01", "02"):
        return Gs1Scan(elements)
    return None


def item_code(scan: str) -> str:
    """The code a scan names an item (or a parcel) by: the GTIN of a GS1 element string,
    else its SSCC, else the scan itself without any symbology identifier. What every
    screen that reads item codes calls on a scan, so one GS1 scan works everywhere."""
    gs1 = read_gs1(scan)
    if gs1 is not None and (gs1.gtin or gs1.sscc):
        return gs1.gtin or gs1.sscc or ""
    return split_symbology(scan)[1]
