"""GS1 identifiers: GTIN-8/12/13/14 and SSCC-18 check digits.

The GS1 mod-10 check digit: from the right, digits (excluding the check digit) are
weighted 3, 1, 3, 1 …; the check digit brings the sum up to a multiple of ten.
"""

from __future__ import annotations

from app.errors import BadInput

GTIN_LENGTHS = (8, 12, 13, 14)
SSCC_LENGTH = 18


def gs1_check_digit(body: str) -> int:
    """Check digit for ``body`` (all digits, without its check digit)."""
    if not body.isdigit():
        raise BadInput(f"'{body}' is not all digits.", next_step="Scan or type digits only.")
    # weights 3, 1, 3 … from the right: every other digit from the last one counts thrice
    total = 3 * sum(map(int, body[::-1][::2])) + sum(map(int, body[::-1][1::2]))
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    """True when ``code`` is all digits and its last digit is the GS1 check digit."""
    return len(code) >= 2 and code.isdigit() and gs1_check_digit(code[:-1]) == int(code[-1])


def is_gtin(code: str) -> bool:
    """True for a GTIN-8, -12, -13 or -14 with a correct check digit."""
    return len(code) in GTIN_LENGTHS and has_valid_check_digit(code)


def validate_gtin(code: str) -> str:
    """Return ``code`` stripped if it is a valid GTIN, else raise ``BadInput``."""
    code = code.strip()
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        raise BadInput(
            f"'{code}' is not a GTIN.",
            next_step="A GTIN has 8, 12, 13 or 14 digits; scan the barcode again.",
        )
    if not has_valid_check_digit(code):
        raise BadInput(
            f"GTIN {code} has a wrong check digit.",
            next_step="Scan the barcode again or type the number printed under it.",
        )
    return code


def complete_gtin(body: str) -> str:
    """Append the check digit to a 7, 11, 12 or 13 digit body."""
    if len(body) + 1 not in GTIN_LENGTHS:
        raise BadInput(f"A GTIN body has 7, 11, 12 or 13 digits, not {len(body)}.")
    return body + str(gs1_check_digit(body))


def gtin14(code: str) -> str:
    """The GTIN-14 form of any valid GTIN (left-padded with zeros)."""
    return validate_gtin(code).zfill(14)


def gtin_forms(code: str) -> set[str]:
    """The forms a scanned or typed GTIN may be stored in: as given, and with the leading
    zeros that pad it to each GTIN length taken off or put on (a UPC-A scanned as EAN-13,
    GTIN-14 padding). None for a code that is not 8, 12, 13 or 14 digits."""
    code = code.strip()
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return set()
    stripped = code.lstrip("0")
    return {code, *(stripped.zfill(n) for n in GTIN_LENGTHS if len(stripped) <= n)}


def names_item(code: str, sku: str, gtin: str) -> bool:
    """Whether a scanned or typed ``code`` names the item ``sku``/``gtin``: its SKU in any
    case, or its GTIN in any of the forms of :func:`gtin_forms`."""
    text = code.strip()
    if not text:
        return False
    return text.casefold() == sku.casefold() or (bool(gtin) and gtin in gtin_forms(text))


def make_sscc(extension: int, company_prefix: str, serial: int) -> str:
    """Build an SSCC-18: extension digit, company prefix, serial reference, check digit."""
    if not 0 <= extension <= 9:
        raise BadInput("The SSCC extension digit is 0 to 9.")
    if not company_prefix.isdigit() or not 6 <= len(company_prefix) <= 12:
        raise BadInput("A GS1 company prefix has 6 to 12 digits.")
    serial_len = 16 - len(company_prefix)
    if not 0 <= serial < 10**serial_len:
        raise BadInput(f"The SSCC serial reference has at most {serial_len} digits here.")
    body = f"{extension}{company_prefix}{serial:0{serial_len}d}"
    return body + str(gs1_check_digit(body))


def validate_sscc(code: str) -> str:
    """Return ``code`` if it is an 18-digit SSCC with a correct check digit."""
    code = code.strip()
    if len(code) != SSCC_LENGTH or not code.isdigit():
        raise BadInput(f"'{code}' is not an SSCC: it has 18 digits.")
    if not has_valid_check_digit(code):
        raise BadInput(f"SSCC {code} has a wrong check digit.")
    return code
