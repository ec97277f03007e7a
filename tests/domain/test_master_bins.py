"""Shelf-bin rows of a planogram file: the bin code's shape, the rank, one rank per bin of
an item, and the made-up planogram the demo seed and the stand-in share."""

from __future__ import annotations

import pytest

from app.domain import master_fields as f
from app.domain.master_rows import MasterKind, read_rows, same_ranks
from app.domain.planogram import plan_bins
from app.errors import BadInput


def _bins(*rows: str) -> list[str]:
    return "".join(["location,sku,bin,rank\n", *(r + "\n" for r in rows)]).splitlines(keepends=True)


def test_a_bin_row_upper_cases_codes_and_ranks_from_one() -> None:
    parsed = read_rows(MasterKind.BINS, _bins("blr-01,kur-001,a-01-2,1", "BLR-01,KUR-001,Z-11-2,"))
    assert parsed.problems == ()
    (_, home), (_, overflow) = parsed.rows
    assert (home.location, home.sku, home.bin_code, home.rank) == ("BLR-01", "KUR-001", "A-01-2", 1)
    assert (overflow.bin_code, overflow.rank) == ("Z-11-2", 1)  # rank left out: 1


def test_bad_bin_rows_are_reported_by_line_with_what_to_write() -> None:
    parsed = read_rows(
        MasterKind.BINS,
        _bins(
            "BLR-01,KUR-001,A_01_2,1",
            "BLR-01,KUR-001,A-01-2-LEFT-TOP,1",
            "BLR-01,KUR-001,-A-01,1",
            "BLR-01,KUR-001,A-01-2,0",
            "BLR-01,KUR-001,A-01-3,first",
            "BLR-01,KUR-001,,1",
            "BLR-01,KUR-001,a-01-3,2",
            "BLR-01,KUR-001,A-01-3,3",
        ),
    )
    said = {p.line: p for p in parsed.problems}
    assert sorted(said) == [2, 3, 4, 5, 6, 7, 9]
    assert said[2].message == "bin: 'A_01_2' is not a bin code."
    assert "e.g. A-01-2" in said[2].next_step and "up to 12" in said[2].next_step
    assert "not a bin code" in said[3].message and "not a bin code" in said[4].message
    assert said[5].message == "rank: The rank is 0; it must be 1 to 99."
    assert "rank: The rank 'first' is not a whole number" in said[6].message
    assert said[7].message == "bin: '' is not a bin code."
    assert "A-01-3 is also on line 8" in said[9].message
    assert [line for line, _ in parsed.rows] == [8]


def test_two_bins_of_an_item_with_one_rank_are_named_with_both_lines() -> None:
    parsed = read_rows(
        MasterKind.BINS,
        _bins("BLR-01,KUR-001,A-01-2,1", "BLR-01,KUR-001,Z-11-2,1", "MUM-01,KUR-001,B-01-1,1"),
    )
    (problem,) = same_ranks(parsed.rows)
    assert problem.line == 3
    assert problem.message == "KUR-001 at BLR-01 has rank 1 in bin A-01-2 too, on line 2."
    assert "1 for the home bin" in problem.next_step


@pytest.mark.parametrize("text", ["A-01-2", "b-3", "12", "AA-100-12", "R2-D2"])
def test_bin_codes_of_the_shelf_labels_read(text: str) -> None:
    assert f.check_bin_code(text) == text.upper()


@pytest.mark.parametrize("text", ["A 01 2", "ß-01", "Ä-01-2", "A-01-2\x00", "A-01-2345678901"])
def test_other_text_is_not_a_bin_code(text: str) -> None:
    with pytest.raises(BadInput, match="not a bin code"):
        f.check_bin_code(text)


def test_the_made_up_planogram_is_the_same_every_time_home_bins_first() -> None:
    items = [(1, "home"), (2, "home"), (3, "home"), (4, "toys"), (6, "")]
    rows = plan_bins(items)
    assert rows == plan_bins(list(reversed(items)))
    assert rows == [
        (6, "A-01-1", 1), (6, "Z-11-1", 2), (1, "B-01-1", 1), (2, "B-01-2", 1),
        (3, "B-01-3", 1), (3, "Z-21-3", 2), (4, "C-01-1", 1),
    ]  # fmt: skip
