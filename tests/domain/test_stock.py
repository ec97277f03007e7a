import pytest

from app.domain.op_types import parse_payload
from app.domain.operations import OperationType, StockCount
from app.domain.stock import Bucket, available_to_promise, count_difference
from app.errors import BadInput


def test_available_to_promise_subtracts_reservations_and_safety_stock() -> None:
    assert available_to_promise(10, 3, 2) == 5
    assert available_to_promise(2, 3, 0) == 0


def test_count_posts_the_difference_against_the_book_seen() -> None:
    assert count_difference(observed=7, book_at_observation=10) == -3
    assert count_difference(observed=12, book_at_observation=10) == 2


def test_count_payload_round_trips() -> None:
    count = StockCount(location="BLR-01", sku="SKU-1", bucket=Bucket.DAMAGED, observed=4)
    again = parse_payload(OperationType.STOCK_COUNT, count.to_payload())
    assert again == count


@pytest.mark.parametrize(
    "payload",
    [
        {"location": "BLR-01", "sku": "X", "observed": -1},
        {"location": "BLR-01", "sku": "X", "observed": 1.5},
        {"location": "BLR-01", "sku": "X", "observed": True},
        {"location": "BLR-01", "observed": 3},
        {"location": "BLR-01", "sku": "X", "observed": 3, "bucket": "lost"},
    ],
)
def test_bad_counts_are_refused_with_a_clear_error(payload: dict[str, object]) -> None:
    with pytest.raises(BadInput) as info:
        parse_payload("stock.count", payload)
    assert info.value.message


def test_unknown_operation_type_is_refused() -> None:
    with pytest.raises(BadInput, match="Unknown operation"):
        parse_payload("stock.teleport", {})


def test_a_count_beyond_what_a_shelf_holds_is_refused() -> None:
    with pytest.raises(BadInput, match="more than one shelf"):
        StockCount(location="BLR-01", sku="X", bucket=Bucket.SELLABLE, observed=3_000_000_000)
