"""The Pickup screen's table models: the queue's groups with their counts, an order's lines."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupQueue, PickupSummary, RestockLine, RestockTask
from app.ui.screens.pickup_models import PickupLineModel, PickupQueueModel, queue_entries
from tests.storage.seed import T0
from tests.ui.test_pickup_checks import _order

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

S = FulfilmentState


def _summary(n: int, state: S) -> PickupSummary:
    return PickupSummary(
        fulfilment_id=n, order_number=f"WEB-{n:07d}", state=state, customer_name="Asha",
        customer_phone="", bin=None, units=1, created_at=T0 - timedelta(hours=n),
        pickup_by=None, pending_ops=0,
    )  # fmt: skip


def test_each_group_heads_its_page_with_the_count_of_all(qtmodeltester: ModelTester) -> None:
    task = RestockTask(9, "WEB-0000009", S.CANCELLED, "H-04", (RestockLine("SKU-1", "", "", 2),))
    queue = PickupQueue(
        to_pick=(_summary(1, S.ROUTED), _summary(2, S.ACCEPTED)),
        to_stage=(),
        staged=(_summary(3, S.STAGED),),
        ready=(),
        collected=(_summary(4, S.COLLECTED),),
        cancelled=(),
        to_restock=(task,),
        as_of=T0,
        counts={"to_pick": 1200, "staged": 1, "collected": 30, "to_restock": 1},
    )
    model = PickupQueueModel()
    model.set_rows(queue_entries(queue))

    headings = [model.row_at(i).order for i in model.heading_rows()]
    assert headings == [
        "To pick (1,200)  ·  oldest 2 shown", "To stage (0)", "Staged (1)", "Ready (0)",
        "Restock (1)", "Collected (30)  ·  latest 1 shown", "Cancelled (0)",
    ]  # fmt: skip
    rows = model.rows()
    assert [r.age for r in rows[1:3]] == ["1 h", "2 h"]
    restock = next(i for i, r in enumerate(rows) if r.order == "Restock (1)")
    assert (rows[restock + 1].order, rows[restock + 1].customer) == ("WEB-0000009", "Bin H-04")
    qtmodeltester.check(model, force_py=True)


def test_the_next_orders_lines_replace_the_shown_ones_in_place(qtmodeltester: ModelTester) -> None:
    model = PickupLineModel()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_rows(_order().lines)
    other = _order(bins=()).lines[::-1]

    model.set_rows(other)  # as many lines: changed in place, the view keeps its header
    assert resets == [True]
    assert [model.row_at(i).sku for i in range(2)] == ["SKU-2", "SKU-1"]
    assert model.index(0, 1).data(Qt.ItemDataRole.DisplayRole) == "SKU-2"
    model.set_rows(other[:1])
    assert resets == [True, True] and model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)
