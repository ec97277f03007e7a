"""``counterbench label`` configures logging once per process (into the station's log
file, never stderr); each test gets the logging it started with back."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from app import log


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger(log.ROOT)
    handlers, configured = list(root.handlers), getattr(root, "_counterbench_configured", False)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root._counterbench_configured = configured  # type: ignore[attr-defined]
