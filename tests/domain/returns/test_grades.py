"""Grade → disposition → the stock movements at the location that takes the unit in."""

from __future__ import annotations

import pytest

from app.domain.returns.grades import (
    GRADE_KEYS,
    GRADE_WORDS,
    Disposition,
    Grade,
    StockMove,
    disposition_for,
    grade_for_key,
    stock_moves,
)
from app.domain.stock import Bucket, MovementKind
from app.errors import BadInput

RETURN, WRITE_OFF = MovementKind.RETURN, MovementKind.WRITE_OFF


@pytest.mark.parametrize(
    ("key", "grade", "disposition", "bucket"),
    [
        ("A", Grade.A, Disposition.SELLABLE, Bucket.SELLABLE),
        ("b", Grade.B, Disposition.OPEN_BOX, Bucket.OPEN_BOX),
        ("C", Grade.C, Disposition.DAMAGED, Bucket.DAMAGED),
        ("d", Grade.DEFECTIVE, Disposition.RTV, Bucket.RTV),
    ],
)
def test_each_grade_goes_by_default_into_its_bucket(
    key: str, grade: Grade, disposition: Disposition, bucket: Bucket
) -> None:
    assert grade_for_key(key) is grade
    assert disposition_for(grade) is disposition
    assert stock_moves(disposition, 2) == (StockMove(bucket, RETURN, 2),)


def test_a_defective_unit_can_be_scrapped_a_return_then_a_write_off() -> None:
    assert disposition_for(Grade.DEFECTIVE, Disposition.SCRAP) is Disposition.SCRAP
    moves = stock_moves(Disposition.SCRAP, 3)
    assert moves == (
        StockMove(Bucket.DAMAGED, RETURN, 3),
        StockMove(Bucket.DAMAGED, WRITE_OFF, -3),
    )
    assert sum(move.quantity for move in moves) == 0  # no bucket keeps a scrapped unit


def test_a_grade_cannot_go_where_it_does_not_belong() -> None:
    with pytest.raises(BadInput, match="graded A cannot go to damaged stock") as refused:
        disposition_for(Grade.A, Disposition.DAMAGED)
    assert refused.value.next_step == "It goes back to sellable stock."
    with pytest.raises(BadInput, match="graded C cannot go scrapped"):
        disposition_for(Grade.C, Disposition.SCRAP)


def test_one_key_per_grade_with_its_words() -> None:
    assert set(GRADE_KEYS) == {"A", "B", "C", "D"}
    for key, grade in GRADE_KEYS.items():
        assert GRADE_WORDS[grade].startswith(key + " ")
    with pytest.raises(BadInput, match="'E' is not a grade") as refused:
        grade_for_key("E")
    assert refused.value.next_step == "Press A, B, C or D."
