"""Request bodies held to the JSON types the contract documents.

FastAPI validates a body in pydantic's lax mode, which takes ``"5"`` or ``true`` for a
whole number, ``5.0`` for 5 and ``1`` for true: requests the OpenAPI document says are
invalid would be accepted. :func:`type_problems` validates the JSON text in strict mode
first (text stays text: times, decimals and enums are still read from strings), so what
is refused is what the contract says is refused. A push is left to FastAPI: its reader is
tolerant by design, and its bodies are the large ones.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.ledger.api.errors import FieldProblem, problems_of


def body_adapter(route: Any) -> TypeAdapter[Any] | None:
    """A strict reader for ``route``'s JSON body, or None when it takes none."""
    field = getattr(route, "body_field", None)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    if annotation is None:
        return None
    try:
        return TypeAdapter(annotation)
    except Exception:  # a body type pydantic cannot read alone: FastAPI's own check stays
        return None


def type_problems(adapter: TypeAdapter[Any], body: bytes) -> list[FieldProblem]:
    """What is wrong with ``body`` read strictly; none when it is right, or not JSON at all
    (FastAPI answers that itself)."""
    try:
        adapter.validate_json(body, strict=True)
    except ValidationError as exc:
        errors = list(exc.errors(include_url=False, include_input=False))
        if any(e["type"] == "json_invalid" for e in errors):
            return []
        return problems_of([{**e, "loc": ("body", *e["loc"])} for e in errors])
    return []
