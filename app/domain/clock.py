"""The one wall clock: timezone-aware UTC now. Code takes a clock as a collaborator
(``Clock``) and defaults to :func:`utcnow`, so tests can move time by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
