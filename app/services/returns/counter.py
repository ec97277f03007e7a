"""Return intake at the counter: find what was bought, ask the ledger, take it back.

The screen drives it through ``app.ui.ports.ReturnsCounter``. ``find_here`` and ``take``
run on the DB worker and never wait on the network; ``ask_ledger`` runs on the network
worker and keeps what the ledger answers in the cache, so the same order is found here
next time, offline too. Each job lives in its own module: :mod:`.find` (the cache),
:mod:`.ask` (the ledger's lookup), :mod:`.take` (the one transaction), :mod:`.prints`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.config import SyncSettings
from app.domain.money import Money
from app.domain.reasons import ReasonUse
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.grades import DISPOSITION_WORDS
from app.domain.returns.lookup import WAY_WORDS, Look, LookFor, read_query
from app.domain.returns.receipt import METHOD_WORDS
from app.errors import KnownError, NotFound, Offline
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.returns import ask, find, prints, take
from app.services.returns.results import ReturnFound, ReturnReason, ReturnTaken
from app.storage import device, reasons, sold_orders
from app.storage.engine import Database, raw_connection
from app.sync.client import CertificateProblem, LedgerClient

LedgerFactory = Callable[[str, str | None, SyncSettings], LedgerClient]

ONE_FOUND = "Scan each item coming back."
ASKING = "Not found here. Asking the ledger…"
STATION_ASKS = "STATION"  # the ledger audit's "by" when the screen names no staff member
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

    def ask_ledger(self, text: str, staff: StaffSession | None = None) -> ReturnFound:
        """The ledger's orders for ``text`` (network worker: never on the DB worker while
        it waits), each kept in the cache as the ledger told it and answered as kept: units
        returned here that the ledger has not heard of yet still count. ``staff`` is who
        asks, for the ledger's audit (without one it names the station only). ``Offline``
        and ``NotFound`` say what the associate can do instead."""
        read_query(text)  # BadInput before any network
        with self._db.reading() as session:
            enrolment = device.enrolment(session)
        if enrolment is None:
            raise Offline("This counter is not connected to the ledger.", next_step=NO_RECEIPT)
        client = self._client_factory(
            enrolment.ledger_url, device.read_token(self._data_dir), self._settings
        )
        try:
            answer = ask.ask(client, text, staff.code if staff else STATION_ASKS)
        except CertificateProblem:
            raise  # its own words: call IT support
        except Offline:
            raise Offline(
                "The ledger cannot be reached, so only orders kept at this counter are found.",
                next_step=NO_RECEIPT,
            ) from None
        finally:
            client.close()
        if not answer.orders:
            raise NotFound(
                f"No order found for this {WAY_WORDS[answer.look.way]}, here or at the ledger.",
                next_step="Check the receipt with the customer and scan it again, or take it "
                "back without a receipt with a manager's approval (F4).",
            )
        with self._db.writing() as session:
            conn = raw_connection(session)
            for order in answer.orders:
                sold_orders.keep_order(conn, order, source="ledger", **_keys(answer.look))
                take.count_unsent(conn, order.order_number)
            numbers = [order.order_number for order in answer.orders]
            kept = {o.order_number: o for o in sold_orders.by_number(conn, numbers)}
        return ReturnFound(
            orders=tuple(kept.get(o.order_number, o) for o in answer.orders),  # as kept here
            way=answer.look.way,
            at_ledger=True,
            said=found_words(len(answer.orders), answer.look.way, online=True),
        )

    def reasons(self) -> tuple[ReturnReason, ...]:
        """The reasons a customer may give, in the retailer's order."""
        with self._db.reading() as session:
            rows = reasons.choices(raw_connection(session), ReasonUse.RETURN)
        return tuple(ReturnReason(r.code, r.label) for r in rows)

    def take(self, draft: ReturnDraft, staff: StaffSession) -> ReturnTaken:
        """Record the return in one transaction (:mod:`.take`), wake sync, then print its
        credit note and RMA labels (DB worker). A print failure is said, never undoes it."""
        recorded = take.record_return(self._db, draft, staff, self._clock())
        self._on_committed()
        made: prints.ReturnPrints | None = None
        try:
            made = prints.return_prints(self._db, recorded)
            printed = prints.print_return(self._printing, made, staff.code)
        except KnownError as exc:
            printed = f"Printing failed: {exc.message} {prints.REPRINT}."
        return ReturnTaken(
            return_id=recorded.return_id,
            order_number=draft.order.order_number,
            units=len(draft.units),
            refund_minor=recorded.refund.total_minor,
            method=recorded.method,
            credit_note=recorded.credit_note,
            held=bool(recorded.held),
            rma_ids=tuple(label.rma_id for label in made.labels) if made else (),
            said=taken_words(recorded, printed),
        )


def _keys(look: Look) -> dict[str, str]:
    """The search keys an order found by phone or e-mail is kept under (found again here)."""
    if look.way is LookFor.PHONE:
        return {"phone_key": look.value}
    if look.way is LookFor.EMAIL:
        return {"email_key": look.value}
    return {}


def taken_words(recorded: take.Recorded, printed: str) -> str:
    """What the counter says once a return is saved: the refund, the prints, put-away."""
    refund = Money(recorded.refund.total_minor).format()
    if recorded.held:
        head = f"Return saved; the refund of {refund} waits. {recorded.held}"
    elif recorded.credit_note:
        head = (
            f"Return saved. Credit note {recorded.credit_note}: refund {refund} "
            f"{METHOD_WORDS[recorded.method]}."
        )
    else:
        head = "Return saved; nothing is refunded."
    goes = Counter(unit.disposition for unit in recorded.draft.units)
    away = ", ".join(f"{n} {DISPOSITION_WORDS[d]}" for d, n in goes.items())
    return f"{head} {printed} Put the units away: {away}."


def found_words(count: int, way: LookFor, *, online: bool) -> str:
    """What the associate does next after a lookup that found ``count`` orders."""
    if count == 1:
        return ONE_FOUND
    if count > 1:
        return f"{count} orders for this {WAY_WORDS[way]}: ↑↓ and Enter to pick one."
    return ASKING if online else NO_RECEIPT
