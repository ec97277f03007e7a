"""A station process for the crash test: counts in a loop while its sync engine runs.

``python -m tests.faults.count_loop DATA_DIR SKU [SKU …]`` prints ``DONE <op_id> <sku>
<observed>`` after each count is committed, and runs until it is killed.
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

from app.services.station import build_station
from tests.support.counting import count_settled
from tests.sync.stations import FAST


def main(argv: list[str]) -> int:
    data_dir, skus = Path(argv[0]), argv[1:]
    station = build_station(data_dir, sync_settings=FAST)
    station.sync.start()
    rng = random.Random()
    for n in itertools.count():
        sku = skus[n % len(skus)]
        observed = rng.randrange(0, 60)
        recorded = count_settled(station.stock, None, sku, observed)
        print(f"DONE {recorded.op_id} {sku} {observed}", flush=True)
        if n % 7 == 0:
            station.sync.wake()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
