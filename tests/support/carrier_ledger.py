"""A real ledger wired to the carrier simulator both ways, as the demo wires them: the
ledger books SWIFT parcels at the simulator (SWIFT's booking address), knows SWIFT's
tracking token and pulls its event feed; the simulator pushes each event to the ledger's
``/v1/carriers/SWIFT/events`` webhook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.carrier_sim import CODE, RunningSim, serve_carrier_sim
from tests.support.ledger import RunningLedger, fresh_pg_database

TOKEN = "swift-tracking-token-0123456789"
PULL_EVERY_S = 0.2  # the ledger's own pull of the simulator's feed


@contextmanager
def carrier_ledger(
    backend: str, workdir: Path, profile: str = "demo"
) -> Iterator[tuple[RunningLedger, RunningSim]]:
    """A ledger on ``backend`` seeded with ``profile``, serving, and its simulator."""
    workdir.mkdir(parents=True, exist_ok=True)
    tokens = workdir / "carrier-tokens"
    tokens.write_text(f"# carrier code and its token\n{CODE} {TOKEN}\n")
    tokens.chmod(0o600)
    with _database(backend, workdir) as url:
        ledger = RunningLedger(url, workdir)
        webhook = f"{ledger.url}/v1/carriers/{CODE}/events?token={TOKEN}"
        try:
            with serve_carrier_sim(webhook=webhook) as sim:
                ledger.serve_args = (
                    "--carrier-tokens-file", str(tokens),
                    "--carrier-feed", f"{CODE}={sim.url}", "--track-every", str(PULL_EVERY_S),
                )  # fmt: skip
                ledger.seed(profile)
                ledger.sql(
                    "UPDATE carriers SET booking_url = :u WHERE code = :c",
                    {"u": sim.url, "c": CODE},
                )
                ledger.start()
                yield ledger, sim
        finally:
            ledger.close()


@contextmanager
def _database(backend: str, workdir: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'ledger.sqlite3'}"
        return
    with fresh_pg_database() as url:
        yield url
