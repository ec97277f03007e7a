"""Benchmarks, apart from the test suite: ``make bench`` runs ``python -m tests.bench``.

Each module ``tests/bench/bench_*.py`` exposes ``run() -> list[Figure]``. A figure is
printed next to the raw limit measured in the same run and the target it is held to.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str  # what was measured, e.g. "scan lookup p99"
    value: float
    unit: str  # "ms", "rows/s", "ops/s"
    target: str  # e.g. "<= 5 ms"
    met: bool
    baseline_name: str  # the raw limit beside it, e.g. "raw SQLite indexed lookup p99"
    baseline_value: float
    baseline_unit: str


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (0..100) of samples, by nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[rank]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
