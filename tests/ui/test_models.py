"""The Qt models over service rows pass Qt's model tester and show rows as the shop reads them."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from app.domain.stock import Bucket
from app.services.results import BucketStock, ExceptionRow, ItemSummary, NearbyStock
from app.ui.models import (
    KEY_ROLE,
    ROW_ROLE,
    BucketStockModel,
    ExceptionModel,
    ItemSummaryModel,
    NearbyStockModel,
)

ITEMS = [
    ItemSummary(1, "SKU-0001", "8901234567893", "Steel tumbler 300 ml", "₹249.00", 12),
    ItemSummary(2, "SKU-0002", "8901234567800", "Cotton kurta, indigo, M", "₹1,299.00", 0),
]


def test_item_summary_model(qtmodeltester: ModelTester) -> None:
    model = ItemSummaryModel()
    model.set_rows(ITEMS)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "Steel tumbler 300 ml"
    assert model.index(1, 4).data() == "0"
    assert model.index(1, 0).data(ROW_ROLE) is ITEMS[1]
    assert model.index(1, 0).data(KEY_ROLE) == "2"
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Available here"
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row(), b.column())))
    model.replace_row(ItemSummary(2, "SKU-0002", "8901234567800", "Cotton kurta", "₹1,299.00", 4))
    assert changed == [(1, 1, 4)]
    assert model.index(1, 4).data() == "4"
    assert model.index(0, 4).data() == "12"
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0


def test_bucket_model_shows_pending_changes(qtmodeltester: ModelTester) -> None:
    model = BucketStockModel()
    model.set_rows(
        [BucketStock(Bucket.SELLABLE, 10, 2, 8, -2), BucketStock(Bucket.DAMAGED, 1, 0, 1, 0)]
    )
    qtmodeltester.check(model, force_py=True)
    assert [model.index(0, c).data() for c in range(5)] == ["Sellable", "10", "2", "8", "−2"]
    assert model.index(1, 4).data() == ""
    assert "not confirmed" in model.headerData(
        4, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )


def test_nearby_model(qtmodeltester: ModelTester) -> None:
    model = NearbyStockModel()
    model.set_rows(
        [
            NearbyStock("MUM-01", "Mumbai Bandra", "Mumbai", 842.4, 5),
            NearbyStock("BLR-02", "Indiranagar", "Bengaluru", 6.34, 2),
            NearbyStock("XXX-01", "No coordinates", "", float("inf"), 1),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "MUM-01"  # the code fits at 1024 px, the name not
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Mumbai Bandra, Mumbai"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Where"
    assert [model.index(r, 1).data() for r in range(3)] == ["842", "6.3", "—"]


def test_exception_model(qtmodeltester: ModelTester) -> None:
    row = ExceptionRow(
        "op:abc", "count_refused", "Count not recorded", "detail", "Count again",
        datetime.now(UTC), "open", about="Tea 250 g (SKU-9)", sku="SKU-9", age_s=3 * 3600 + 60,
    )  # fmt: skip
    model = ExceptionModel()
    model.set_rows([row])
    qtmodeltester.check(model, force_py=True)
    assert [model.index(0, c).data() for c in range(3)] == [
        "Count not recorded", "SKU-9", "3 h 1 min",
    ]  # fmt: skip
    assert model.index(0, 0).data(KEY_ROLE) == "op:abc"
