"""Run every benchmark module and print each figure beside its raw limit."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

from tests.bench import Figure

# Bench stations live in temporary folders: their secrets go to 0600 files there, never
# into the user's keyring (as in the test suite, tests/conftest.py).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


def _format(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.3f} {unit}"


def main(selected: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    figures: list[Figure] = []
    for name in names:
        started = time.perf_counter()
        print(f"== {name} …", flush=True)
        module = importlib.import_module(f"tests.bench.{name}")
        got = module.run()
        figures.extend(got)
        for fig in got:
            print(f"   {fig.name}: {_format(fig.value, fig.unit)}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print()
    width = max((len(f.name) for f in figures), default=10)
    print(f"{'figure':<{width}}  {'measured':>16}  {'target':>14}  {'met':>4}  raw limit beside it")
    for f in figures:
        base = f"{f.baseline_name}: {_format(f.baseline_value, f.baseline_unit)}"
        print(
            f"{f.name:<{width}}  {_format(f.value, f.unit):>16}  {f.target:>14}  "
            f"{'yes' if f.met else 'NO':>4}  {base}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
