"""How the person collecting a pickup was verified at the counter, as a handover's payload
carries it (:class:`app.domain.pickup_ops.PickupHandover`): the method, never the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.op_fields import text
from app.errors import BadInput


class Verification(StrEnum):
    """How the person collecting was verified at the counter."""

    PICKUP_CODE = "pickup_code"  # the customer's code matched (checked at the station)
    ID_CHECK = "id_check"  # an ID document, recorded by type and its last 4 characters
    THIRD_PARTY = "third_party"  # someone the customer authorised, recorded by name


@dataclass(frozen=True)
class Proof:
    """How the person collecting was verified (no pickup code travels, only the method)."""

    method: Verification
    collected_by: str  # the name of the person who took the goods
    id_type: str = ""  # for ID_CHECK, e.g. "aadhaar", "driving_licence"
    id_last4: str = ""  # for ID_CHECK: the last 4 characters of the ID number
    third_party_name: str = ""  # for THIRD_PARTY: the authorised person's name

    def __post_init__(self) -> None:
        if not self.collected_by:
            raise BadInput("Record the name of the person collecting.")
        if self.method is Verification.ID_CHECK and (
            not self.id_type or len(self.id_last4) != 4 or not self.id_last4.isalnum()
        ):
            raise BadInput("An ID check needs the ID type and the last 4 characters of its number.")
        if self.method is Verification.THIRD_PARTY and not self.third_party_name:
            raise BadInput("Record the name of the authorised person collecting.")

    @classmethod
    def parse(cls, raw: Any) -> Proof:
        if not isinstance(raw, dict):
            raise BadInput("The handover needs its verification.")
        try:
            method = Verification(raw.get("method", ""))
        except ValueError as exc:
            raise BadInput("Verify by pickup code, ID check or authorised third party.") from exc
        return cls(
            method=method,
            collected_by=text(raw, "collected_by", ""),
            id_type=text(raw, "id_type", ""),
            id_last4=text(raw, "id_last4", "").upper(),
            third_party_name=text(raw, "third_party_name", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "collected_by": self.collected_by,
            "id_type": self.id_type,
            "id_last4": self.id_last4,
            "third_party_name": self.third_party_name,
        }
