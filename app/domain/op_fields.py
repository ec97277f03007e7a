"""What the payloads of pickup and ship operations share: the order they are for (the
location and the ledger's fulfilment order id), and the checks on plain fields (a whole
number in range, text without control characters). Each refusal is ``BadInput`` naming
the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

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


@dataclass(frozen=True)
class OrderPayload:
    """The order a pickup or ship step is for: the location the station belongs to and
    the ledger's fulfilment order id (as in the fulfilment scope rows)."""

    NO_LOCATION: ClassVar[str] = "The operation needs the location code."
    location: str
    fulfilment_id: int

    def _check_target(self) -> None:
        if not self.location:
            raise BadInput(self.NO_LOCATION)
        whole(self.fulfilment_id, "The fulfilment order id", minimum=1)

    @staticmethod
    def _target(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "location": text(payload, "location"),
            "fulfilment_id": payload.get("fulfilment_id"),
        }

    def to_payload(self) -> dict[str, Any]:
        return {"location": self.location, "fulfilment_id": self.fulfilment_id}
