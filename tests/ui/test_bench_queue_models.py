"""What the bench queue's rows and summary say: times in the store's day, the marks with
their words (the cut-off's in red, the promise's in amber), the summary line; the queue
model passes Qt's model tester."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from app.domain.fulfilment import FulfilmentState
from app.services.shipping.results import ShipQueue, ShipSummary
from app.ui.screens.bench.queue_models import (
    PROMISED,
    ShipQueueModel,
    day_text,
    leaves_by_text,
    picker_text,
    promised_text,
    promised_words,
    summary_text,
)
from app.ui.theme import ERROR, WARN

IST = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 14:30 in Bengaluru
M = timedelta(minutes=1)
S = FulfilmentState


def _row(n: int, ship_by: datetime | None, *, late: bool = False, **extra: object) -> ShipSummary:
    values: dict[str, object] = {
        "fulfilment_id": n, "order_number": f"WEB-{n}", "state": S.ROUTED, "units": 1,
        "carrier": "DLV", "ship_by": ship_by, "promised_by": date(2026, 12, 9),
        "created_at": NOW - 90 * M, "will_miss": late, **extra,
    }  # fmt: skip
    return ShipSummary(**values)  # type: ignore[arg-type]


def _queue(orders: list[ShipSummary], **counts: object) -> ShipQueue:
    values: dict[str, object] = {
        "orders": tuple(orders), "total": len(orders), "due_today": len(orders),
        "will_miss": 0, "missed_cutoffs": (), "as_of": NOW, "zone": IST, **counts,
    }  # fmt: skip
    return ShipQueue(**values)  # type: ignore[arg-type]


def test_leaves_by_is_the_store_clock_with_the_mark_and_words_when_late() -> None:
    cut = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)  # 16:00 in Bengaluru
    assert leaves_by_text(_row(1, cut), NOW, IST) == "16:00"
    assert leaves_by_text(_row(1, cut, late=True), NOW, IST) == "⚠ 16:00 will miss"
    assert leaves_by_text(_row(1, NOW - 5 * M, late=True), NOW, IST) == "⚠ 14:25 missed"
    tomorrow = cut + timedelta(days=1)
    assert leaves_by_text(_row(1, tomorrow), NOW, IST) == "tomorrow 16:00"
    assert leaves_by_text(_row(1, None), NOW, IST) == "no cut-off yet"


def test_days_are_words_near_today_else_day_and_month() -> None:
    today = date(2026, 12, 7)
    assert [day_text(today + timedelta(days=d), today) for d in (-1, 0, 1, 2)] == [
        "yesterday",
        "today",
        "tomorrow",
        "9 Dec",
    ]


def test_the_summary_line_counts_today_and_names_the_cut_offs_missed() -> None:
    cut = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
    rows = [_row(n, cut) for n in range(1, 13)]
    assert summary_text(_queue([])) == "No ship orders here now."
    assert summary_text(_queue(rows, due_today=12)) == (
        "12 to ship today · all in time for today's cut-off"
    )
    late = _queue(rows, due_today=10, will_miss=3, missed_cutoffs=(cut,))
    assert summary_text(late) == "10 to ship today, 2 later · ⚠ 3 will miss the 16:00 cut-off"
    two = _queue(rows, due_today=0, will_miss=0)
    assert summary_text(two) == "Nothing to ship today, 12 later"
    many = _queue(rows, will_miss=4, missed_cutoffs=(cut - 60 * M, cut))
    assert summary_text(many).endswith("⚠ 4 will miss their cut-off (15:00, 16:00)")


def test_the_queue_model_shows_each_order_and_marks_the_late_ones(
    qtmodeltester: ModelTester,
) -> None:
    model = ShipQueueModel()
    late = _row(2, NOW + 10 * M, late=True, picker_name="Asha Rao", picker_code="A100")
    model.set_queue(_queue([late, _row(3, NOW + 90 * M, state=S.PACKED)]))
    qtmodeltester.check(model, force_py=True)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == [
        "Order", "Items", "Carrier", "Leaves by", "Promised", "Age", "State", "Picker",
    ]  # fmt: skip
    assert [model.index(0, c).data() for c in range(8)] == [
        "WEB-2", "1", "DLV", "⚠ 14:40 will miss", "9 Dec", "1 h", "To pick", "Asha",
    ]  # fmt: skip
    assert model.index(1, 6).data() == "Packed" and model.index(1, 7).data() == "—"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.row_of(3) == 1 and model.row_of(99) == -1
    assert picker_text(late) == "Asha"


def test_a_promise_that_will_not_be_kept_is_marked_in_words_and_amber() -> None:
    model = ShipQueueModel()
    broken = _row(4, NOW + 90 * M, late_for_promise=True)
    both = _row(5, NOW - 5 * M, late=True, late_for_promise=True)
    model.set_queue(_queue([broken, both, _row(6, NOW + 90 * M)]))

    assert promised_text(broken, NOW, IST) == "⚠ late: 9 Dec"
    assert promised_words(broken, NOW, IST) == "⚠ late for promise 9 Dec"  # an open order
    assert promised_words(_row(6, NOW), NOW, IST) == "9 Dec"
    assert [model.index(r, PROMISED).data() for r in range(3)] == [
        "⚠ late: 9 Dec", "⚠ late: 9 Dec", "9 Dec",
    ]  # fmt: skip
    assert model.index(0, PROMISED).data(Qt.ItemDataRole.ToolTipRole) == (
        "Late for promise 9 Dec: it reaches the customer after the day promised"
    )
    colours = [model.index(r, c).data(Qt.ItemDataRole.ForegroundRole) for r, c in ((0, 4), (1, 4))]
    assert [c.color().name() for c in colours] == [WARN, WARN]
    assert model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is None  # cut-off made
    assert model.index(1, 3).data(Qt.ItemDataRole.ForegroundRole).color().name() == ERROR
    assert model.index(2, PROMISED).data(Qt.ItemDataRole.ForegroundRole) is None


def test_the_summary_line_counts_the_promises_that_will_not_be_kept() -> None:
    cut = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
    rows = [_row(n, cut) for n in range(1, 5)]
    kept = _queue(rows, due_today=4)
    broken = _queue(rows, due_today=4, will_miss=1, missed_cutoffs=(cut,), late_for_promise=2)
    assert "promise" not in summary_text(kept)
    assert summary_text(broken) == (
        "4 to ship today · ⚠ 1 will miss the 16:00 cut-off · ⚠ 2 late for promise"
    )
