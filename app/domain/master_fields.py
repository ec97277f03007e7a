"""Checks of single master-data fields: GSTIN, pincode, HSN code, GST rate, coordinates,
PINs, codes and amounts. Pure; each raises ``BadInput`` saying what to fix.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, InvalidOperation

from app.domain.gtin import validate_gtin
from app.errors import BadInput

GSTIN_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GSTIN_SHAPE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")
# GST state codes: 01-38 (states and union territories), 97 other territory, 99 centre.
_GST_STATES = {f"{n:02d}" for n in range(1, 39)} | {"97", "99"}
# GST rates in force (percent), as basis points: 0.1 % is 10, 18 % is 1800.
GST_RATES_BP = (0, 10, 25, 150, 300, 500, 1200, 1800, 2800, 4000)
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # no NUL or other control characters
_BIN_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")
# India's bounding box, to catch swapped or mistyped coordinates.
INDIA_LATITUDE = (6.0, 37.5)
INDIA_LONGITUDE = (68.0, 97.5)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also takes other scripts' digits)."""
    return text.isascii() and text.isdigit()


def check_gtin(text: str) -> str:
    """A GTIN with its check digit, in ASCII digits."""
    if not text.isascii():
        raise BadInput(f"'{text}' is not a GTIN: it has 8, 12, 13 or 14 digits 0-9.")
    return validate_gtin(text)


def gstin_check_char(first14: str) -> str:
    """The GSTIN check character of its first 14 characters (base-36 Luhn, factors 1, 2)."""
    total = 0
    for position, char in enumerate(first14):
        product = GSTIN_CHARS.index(char) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return GSTIN_CHARS[(36 - total % 36) % 36]


def check_gstin(text: str) -> str:
    """A GSTIN, upper-cased: 2-digit state, PAN, entity number, Z, check character."""
    gstin = text.strip().upper()
    if not _GSTIN_SHAPE.match(gstin):
        raise BadInput(
            f"'{text.strip()}' is not a GSTIN.",
            next_step="A GSTIN has 15 characters, like 29ABCDE1234F1Z5; copy it from the "
            "GST registration certificate.",
        )
    if gstin[:2] not in _GST_STATES:
        raise BadInput(f"GSTIN {gstin} starts with {gstin[:2]}, which is no GST state code.")
    if gstin_check_char(gstin[:14]) != gstin[14]:
        raise BadInput(
            f"GSTIN {gstin} has a wrong last (check) character.",
            next_step="One character is mistyped; copy it again from the registration.",
        )
    return gstin


def check_pincode(text: str) -> str:
    pin = text.strip().replace(" ", "")
    if len(pin) != 6 or not _digits(pin) or pin[0] == "0":
        raise BadInput(f"'{text.strip()}' is not a pincode: it has 6 digits, not starting with 0.")
    return pin


def check_hsn(text: str) -> str:
    code = text.strip().replace(" ", "").replace(".", "")
    if not _digits(code) or len(code) not in (4, 6, 8):
        raise BadInput(
            f"'{text.strip()}' is not an HSN code.",
            next_step="An HSN code has 4, 6 or 8 digits, e.g. 6109 or 61091000.",
        )
    return code


def gst_rate_bp(text: str) -> int:
    """A GST rate in percent ("18", "0.25", "18%") as basis points."""
    try:
        value = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal(-1)
    bp = value * 100
    if not bp.is_finite() or bp != bp.to_integral_value() or int(bp) not in GST_RATES_BP:
        rates = ", ".join(rate_text(r) for r in GST_RATES_BP)
        raise BadInput(f"'{text.strip()}' is not a GST rate; use one of {rates} (percent).")
    return int(bp)


def rate_text(bp: int) -> str:
    """Basis points as the percent people write: 1800 -> "18", 25 -> "0.25"."""
    return f"{Decimal(bp) / 100:f}".rstrip("0").rstrip(".") if bp % 100 else str(bp // 100)


def check_coordinates(latitude: float, longitude: float) -> tuple[float, float]:
    """Latitude and longitude inside India; says so when they look swapped."""

    def inside(lat: float, lon: float) -> bool:
        return (
            INDIA_LATITUDE[0] <= lat <= INDIA_LATITUDE[1]
            and INDIA_LONGITUDE[0] <= lon <= INDIA_LONGITUDE[1]
        )

    if inside(latitude, longitude):
        return latitude, longitude
    if inside(longitude, latitude):
        raise BadInput(
            f"Latitude {latitude} and longitude {longitude} look swapped.",
            next_step="Latitude (north) comes first, e.g. 12.9352, 77.6245 for Bengaluru.",
        )
    raise BadInput(
        f"{latitude}, {longitude} is not in India.",
        next_step="Copy the coordinates from a map: latitude 6 to 37.5, longitude 68 to 97.5.",
    )


def check_code(text: str, what: str, max_length: int) -> str:
    code = text.strip()
    if not code or len(code) > max_length or not _CODE.match(code):
        raise BadInput(
            f"'{code}' cannot be a {what}.",
            next_step=f"Use up to {max_length} letters, digits, '-', '_' or '.'.",
        )
    return code


def check_bin_code(text: str) -> str:
    """A shelf bin code, upper-cased: 1 to 12 letters, digits and '-', like A-01-2."""
    code = text.strip()
    code = code.upper() if code.isascii() else code  # "ß".upper() is "SS": not a bin
    if not _BIN_CODE.fullmatch(code):
        raise BadInput(
            f"'{text.strip()}' is not a bin code.",
            next_step="Write aisle-bay-level as on the shelf label, e.g. A-01-2: up to 12 "
            "letters, digits and '-'.",
        )
    return code


def check_text(text: str, what: str, max_length: int, *, required: bool = True) -> str:
    value = " ".join(text.split())
    if required and not value:
        raise BadInput(f"The {what} is empty.")
    if len(value) > max_length:
        raise BadInput(f"The {what} is longer than {max_length} characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. "\udcff" sent as JSON
        raise BadInput(f"The {what} holds a character that is not text.") from None
    if _CONTROL.search(value):
        raise BadInput(f"The {what} holds a control character; type it again.")
    return value


def whole_number(text: str, what: str, *, low: int = 0, high: int = 10**9) -> int:
    value = text.strip().replace(",", "")
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"The {what} '{text.strip()}' is not a whole number.") from None
    if not low <= number <= high:
        raise BadInput(f"The {what} is {number}; it must be {low} to {high:,}.")
    return number


def decimal_number(text: str, what: str) -> float:
    try:
        number = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        raise BadInput(f"The {what} '{text.strip()}' is not a number.")
    return float(number)


def price_minor(text: str) -> int:
    """A price in rupees ("149", "149.50", "1,499.00") as paise."""
    value = text.strip().replace(",", "").removeprefix("₹").strip()
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal(-1)
    paise = amount * 100
    if not amount.is_finite() or amount < 0 or paise != paise.to_integral_value() or paise > 10**11:
        raise BadInput(
            f"'{text.strip()}' is not a price.",
            next_step="Write rupees with up to 2 decimals, e.g. 149.50.",
        )
    return int(paise)


def yes_no(text: str, what: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise BadInput(f"The {what} '{text.strip()}' is neither yes nor no.")


def word_list(text: str) -> tuple[str, ...]:
    """ "a; b; c" (or "a, b" or "a|b") as ("a", "b", "c"), without empties or repeats."""
    parts = re.split(r"[;,|]", text)
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


PIN_LENGTHS = (4, 6)  # as a station's security settings allow (``pin_digits``)


def check_pin(pin: str, *, lengths: tuple[int, ...] = PIN_LENGTHS) -> str:
    """A staff PIN: 4 or 6 digits, not one digit repeated nor a run like 1234."""
    if not _digits(pin) or len(pin) not in lengths:
        said = " or ".join(str(n) for n in lengths)
        raise BadInput(f"A PIN has {said} digits.", next_step="Choose another PIN.")
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise BadInput(
            "That PIN is too easy to guess (one digit repeated or a run like 1234).",
            next_step="Choose another PIN.",
        )
    return pin
