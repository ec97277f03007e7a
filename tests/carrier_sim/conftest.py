"""The carrier simulator on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.carrier_sim import RunningSim, serve_carrier_sim


@pytest.fixture
def sim() -> Iterator[RunningSim]:
    with serve_carrier_sim() as running:
        yield running
