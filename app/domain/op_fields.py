"""The checks on plain fields of an operation's payload, pickup or ship: a whole number in
range, and text without control characters. Each refusal is ``BadInput`` naming the field.
"""

from __future__ import annotations

from typing import Any

from app.errors import BadInput

# Control characters other than tab and newline (NUL, a scanner's group separator …) are
# invisible, and PostgreSQL cannot store NUL in text. They are dropped rather than refused:
# a pick, a handover or a restock happened, and a stray character must not throw it away.
_CONTROL = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def whole(value: Any, what: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """``value`` if it is a whole number in range, else ``BadInput`` naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadInput(f"{what} must be a whole number of at least {minimum}.")
    if maximum is not None and value > maximum:
        raise BadInput(f"{what} must be at most {maximum}.")
    return value


def text(payload: dict[str, Any], key: str, default: str | None = None) -> str:
    """The text field ``key`` without control characters; ``BadInput`` when missing."""
    value = payload.get(key, default)
    if value is None:
        raise BadInput(f"The operation is missing '{key}'.")
    return str(value).translate(_CONTROL).strip()
