"""Return intake at the counter: find what was bought, ask the ledger, take it back.

The screen drives it through ``app.ui.ports.ReturnsCounter``. ``find_here`` and ``take``
run on the DB worker and never wait on the network; ``ask_ledger`` runs on the network
worker and keeps what the ledger answers in the cache, so the same order is found here
next time, offline too. Each job lives in its own module: :mod:`.find` (the cache),
:mod:`.ask` (the ledger's lookup), :mod:`.take` (the one transaction), :mod:`.prints`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.config import SyncSettings
from app.domain.reasons import ReasonUse
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.lookup import WAY_WORDS, LookFor
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.returns import find
from app.services.returns.results import ReturnFound, ReturnReason, ReturnTaken
from app.storage import device, reasons
from app.storage.engine import Database, raw_connection
from app.sync.client import LedgerClient

LedgerFactory = Callable[[str, str | None, SyncSettings], LedgerClient]

ONE_FOUND = "Scan each item coming back."
ASKING = "Not found here. Asking the ledger…"
NO_RECEIPT = (
    "Not found here, and the ledger cannot be reached. "
    "To take it back without a receipt, call a manager to approve (F4)."
)


class ReturnCounter:
    """Return intake at this station; every recording call is one transaction."""

    def __init__(
        self,
        *,
        db: Database,
        data_dir: Path,
        clock: Callable[[], datetime],
        client_factory: LedgerFactory,
        settings: SyncSettings,
        printing: PrintService | None = None,
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._clock = clock
        self._client_factory = client_factory
        self._settings = settings
        self._printing = printing
        self._on_committed = on_committed

    def find_here(self, text: str) -> ReturnFound:
        """The orders this station's cache holds for ``text`` (offline too), with what to
        do next; when none, whether the ledger is worth asking."""
        with self._db.reading() as session:
            found = find.find_here(raw_connection(session), text)
            online = bool(device.sync_state(session).online)
        return ReturnFound(
            orders=found.orders,
            way=found.look.way,
            at_ledger=False,
            said=found_words(len(found.orders), found.look.way, online=online),
        )

    def ask_ledger(self, text: str) -> ReturnFound:
        """The ledger's answer for ``text``, kept here (network worker)."""
        raise NotImplementedError("ask_ledger: next commit")

    def reasons(self) -> tuple[ReturnReason, ...]:
        """The reasons a customer may give, in the retailer's order."""
        with self._db.reading() as session:
            rows = reasons.choices(raw_connection(session), ReasonUse.RETURN)
        return tuple(ReturnReason(r.code, r.label) for r in rows)

    def take(self, draft: ReturnDraft, staff: StaffSession) -> ReturnTaken:
        """Record the return in one transaction, then print (DB worker)."""
        raise NotImplementedError("take: next commit")


def found_words(count: int, way: LookFor, *, online: bool) -> str:
    """What the associate does next after a lookup that found ``count`` orders."""
    if count == 1:
        return ONE_FOUND
    if count > 1:
        return f"{count} orders for this {WAY_WORDS[way]}: ↑↓ and Enter to pick one."
    return ASKING if online else NO_RECEIPT
