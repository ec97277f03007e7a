"""The pickup clock while serving: a slow mail server never holds up hold expiry, and
the clock stops cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from app.ledger.api.expiry import PickupClock
from app.ledger.message_sending import send_messages
from app.ledger.models import FulfilmentOrder, table_of
from app.ledger.senders import FileSender, SmtpSettings, build_sender
from app.ledger.writes import utcnow
from tests.ledger.conftest import tiny_skus
from tests.ledger.message_support import make_ready, messages_of, place, quiet_ledger
from tests.ledger.pickup_support import Counter, state
from tests.ledger.smtp_support import SmtpInbox
from tests.support.ledger import RunningLedger, backend_params

WAIT_S = 120  # a guard against hanging, not a measurement


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from quiet_ledger(request, tmp_path_factory)


def test_holds_expire_on_time_while_the_mail_server_keeps_sending_waiting(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a, b = tiny_skus(ledger)[0:2]
    counter = Counter(ledger, "BLR-01")
    waiting = place(ledger, "WEB-8501", [(a, 1)], email="asha@example.in")
    make_ready(counter, waiting, [(a, 1)], channel="email")
    no_show = place(ledger, "WEB-8502", [(b, 1)])
    make_ready(counter, no_show, [(b, 1)])

    with SmtpInbox(hold_data=True) as inbox:  # takes the mail, then keeps the sender waiting
        smtp = SmtpSettings(host="127.0.0.1", port=inbox.port, timeout_s=WAIT_S)
        sender = build_sender(tmp_path / "other.jsonl", smtp)
        clock = PickupClock(ledger.engine, 0.05, sender)
        clock.start()
        try:
            assert inbox.data_received.wait(timeout=WAIT_S), "the mail never reached the server"
            with ledger.engine.begin() as conn:  # the no-show's hold ends now
                conn.execute(
                    update(table_of(FulfilmentOrder))
                    .where(table_of(FulfilmentOrder).c.id == no_show)
                    .values(pickup_by=utcnow() - timedelta(minutes=1))
                )
            rounds = clock.holds.rounds
            assert clock.holds.wait_rounds(rounds + 2, timeout_s=WAIT_S)
            during = state(ledger, no_show)
            still_sending = [m["state"] for m in messages_of(ledger, "WEB-8501")]
        finally:
            inbox.release()
            clock.stop()

    assert during == "cancelled"  # expired while the sender was still waiting on SMTP
    assert still_sending == ["sending"]
    assert [m["state"] for m in messages_of(ledger, "WEB-8501")] == ["sent"]


def test_the_clock_stops_cleanly(ledger: RunningLedger, tmp_path: Path) -> None:
    clock = PickupClock(ledger.engine, 0.05, FileSender(tmp_path / "sent.jsonl"))
    clock.start()
    assert clock.sending is not None
    assert clock.holds.wait_rounds(1, timeout_s=WAIT_S)
    assert clock.sending.wait_rounds(1, timeout_s=WAIT_S)

    clock.stop()

    assert not clock.holds.running and not clock.sending.running


def test_a_sending_run_asked_to_stop_takes_no_next_message(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    send_messages(ledger.engine, FileSender(tmp_path / "earlier.jsonl"))  # only ours is queued
    a = tiny_skus(ledger)[2]
    make_ready(Counter(ledger, "BLR-01"), place(ledger, "WEB-8503", [(a, 1)]), [(a, 1)])

    stopped = send_messages(
        ledger.engine, FileSender(tmp_path / "a.jsonl"), should_stop=lambda: True
    )
    going = send_messages(
        ledger.engine, FileSender(tmp_path / "b.jsonl"), should_stop=lambda: False
    )

    assert stopped.sent == [] and [m["state"] for m in messages_of(ledger, "WEB-8503")] == ["sent"]
    assert len(going.sent) == 1
