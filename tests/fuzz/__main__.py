"""Fuzz the real ledger's HTTP API from its own OpenAPI document with schemathesis.

A ``tiny`` ledger serves on a loopback port (as the tests start it; on PostgreSQL when
``COUNTERBENCH_TEST_PG`` is set, as in CI), and schemathesis runs
every endpoint as each kind of caller: a station's device token, the admin token, the
order-intake token and no token. The checks: no 5xx, every answer's status, content type,
headers and body as documented, invalid requests refused, auth not ignored, Allow headers
true (see ``fuzz`` for the one left out). Examples are capped so the
whole run takes about a minute on two cores; ``FUZZ_EXAMPLES`` and ``FUZZ_SEED`` change
that. Exits 1 when any run found a failure (the ledger's log then follows).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.ledger import INTAKE_TOKEN, RunningLedger, fresh_pg_database, pg_server_url

# Test cases per endpoint and phase, for each caller; FUZZ_EXAMPLES sets them all.
EXAMPLES = {"device": 20, "admin": 20, "order intake": 10, "no token": 5}
SEED = os.environ.get("FUZZ_SEED", "20261206")  # fixed: the same cases every run
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@contextlib.contextmanager
def ledger_database(workdir: Path) -> Iterator[str]:
    """PostgreSQL (what a retailer runs) when ``COUNTERBENCH_TEST_PG`` is set, as in CI:
    it refuses what SQLite lets by (NUL in text, ids beyond 32 bits). Else a SQLite file."""
    if pg_server_url():
        with fresh_pg_database() as url:
            yield url
    else:
        yield f"sqlite:///{workdir / 'ledger.sqlite3'}"


def callers(ledger: RunningLedger) -> dict[str, str | None]:
    """Each kind of caller and its token."""
    device = ledger.enrol("BLR-01", name="fuzz station")
    return {
        "device": device["token"],
        "admin": ledger.admin_token,
        "order intake": INTAKE_TOKEN,
        "no token": None,
    }


def fuzz(ledger: RunningLedger, caller: str, token: str | None, workdir: Path) -> bool:
    """One schemathesis run as ``caller``; True when it found nothing."""
    command = [
        str(SCHEMATHESIS), "run", f"{ledger.url}/openapi.json",
        "--checks", "all",
        # Not this one: business rules refuse some schema-valid requests with 422 (an
        # unknown location, coordinates outside India), which no schema can say.
        "--exclude-checks", "positive_data_acceptance",
        "--max-examples", os.environ.get("FUZZ_EXAMPLES", str(EXAMPLES[caller])),
        "--seed", SEED,
        "--workers", "1",  # hypothesis parses lambdas' source: not safe across threads
        "--no-shrink",
        "--request-timeout", "30",
        "--suppress-health-check", "too_slow,filter_too_much",
    ]  # fmt: skip
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    print(f"\n=== schemathesis as {caller} ===", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=workdir, check=False)
    print(f"=== {caller}: exit {result.returncode} in {time.monotonic() - started:.0f} s ===")
    return result.returncode == 0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cb-fuzz-") as tmp, ledger_database(Path(tmp)) as url:
        workdir = Path(tmp)
        print(f"Fuzzing a tiny ledger on {url.partition(':')[0]}", flush=True)
        ledger = RunningLedger(url, workdir)
        ledger.seed("tiny")
        with ledger:
            results = {c: fuzz(ledger, c, t, workdir) for c, t in callers(ledger).items()}
            failed = [caller for caller, ok in results.items() if not ok]
            if failed:
                print(f"\nLedger log (tail):\n{ledger.log_tail(8000)}")
    print(f"\nfuzz: {len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        print(f"schemathesis found failures as: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
