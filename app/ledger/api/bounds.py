"""Bounds on what a request may say, so the database never sees what it cannot hold.

* :data:`RowId`: a row id in a path, 0 … 2**31 - 1, the range of an id column on
  PostgreSQL (a bigger one is 422, an absent one 404);
* :data:`ServerTime`: a time an admin asks the ledger to act at, as ISO 8601 text with its
  zone, in 2000 … 2099 (``{"now": 0}`` is not 1970, it is refused).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import AwareDatetime, BeforeValidator, WithJsonSchema

MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL holds no bigger one (a 500)

RowId = Annotated[int, Path(ge=0, le=MAX_ID, description="a row id (0 … 2**31 - 1)")]

SERVER_TIME_PATTERN = (
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]"
    r":[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_SERVER_TIME = re.compile(SERVER_TIME_PATTERN)
SERVER_TIME_HINT = "ISO 8601 text with its zone, in 2000 … 2099, e.g. 2026-12-06T10:00:00Z"


def _plausible_text(value: object) -> object:
    """The time ``value`` says (read here, so strict and lax reading agree)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _SERVER_TIME.match(value):
        raise ValueError(f"a time must be {SERVER_TIME_HINT}")
    return datetime.fromisoformat(value)


ServerTime = Annotated[
    AwareDatetime,
    BeforeValidator(_plausible_text),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": SERVER_TIME_PATTERN,
            "description": SERVER_TIME_HINT,
        }
    ),
]
