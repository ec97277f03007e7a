"""Resolving an exception the ledger opened (oversell, collected after cancel …).

Only a lead or a manager may resolve one, and only with a note that says what they did;
the ledger re-checks both, records who resolved it, and every station of the store sees
it closed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from app.errors import BadInput

RESOLVE_EXCEPTION = "exception.resolve"
RESOLVING_ROLES = frozenset({"lead", "manager"})
MAX_NOTE = 500


@dataclass(frozen=True)
class ResolveException:
    """ "Exception N at this store is dealt with: here is what was done"."""

    TYPE: ClassVar[str] = RESOLVE_EXCEPTION

    location: str
    exception_id: int
    note: str

    def __post_init__(self) -> None:
        if not self.location:
            raise BadInput("Resolving an exception needs the store it belongs to.")
        if isinstance(self.exception_id, bool) or not isinstance(self.exception_id, int):
            raise BadInput("An exception is named by its number.")
        if not self.note.strip():
            raise BadInput(
                "Say what was done before closing the exception.",
                next_step="Type a short note, e.g. 'found 2 units in the back room'.",
            )
        if len(self.note) > MAX_NOTE:
            raise BadInput(f"Keep the note under {MAX_NOTE} characters.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ResolveException:
        try:
            return cls(
                location=str(payload["location"]),
                exception_id=payload["exception_id"],
                note=str(payload["note"]),
            )
        except KeyError as exc:
            raise BadInput(f"Resolving an exception needs {exc}.") from exc

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)
