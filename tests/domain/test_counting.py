"""Conflict rule 3 for counts, as plain arithmetic: the worked examples of app.domain.counting."""

from __future__ import annotations

from app.domain.counting import LaterMove, base_vouched, post_count, set_to_counted


def test_three_counts_of_one_shelf_at_one_base_end_at_what_was_counted() -> None:
    # Book 1 at seq 100; stations A, B and C each count 0 offline and sync in that order.
    a = post_count(0, 1, [])
    on_hand = 1 + a.posted
    b = post_count(0, on_hand, [LaterMove(101, a.posted, "A", count_base=100)])
    on_hand += b.posted
    c = post_count(
        0,
        on_hand,
        [LaterMove(101, a.posted, "A", count_base=100), LaterMove(102, 0, "B", count_base=100)],
    )
    on_hand += c.posted

    assert (a.posted, b.posted, c.posted) == (-1, 0, 0)
    assert on_hand == 0  # not -2: a count supersedes an earlier count, it does not keep it
    assert b.superseded == (101,) and c.superseded == (101, 102)


def test_a_sale_neither_count_saw_survives_the_later_count() -> None:
    # 5 at seq 100. A counts 4 (4); a sale at 105 (3); C, also at base 100, counts 4.
    later = [LaterMove(101, -1, "A", count_base=100), LaterMove(105, -1, "S")]

    c = post_count(4, 3, later)

    assert c.book == 4 and c.posted == 0  # the shelf: 4 counted, less 1 sold after
    assert 3 + c.posted == 3 and c.superseded == (101,)


def test_a_count_that_looked_before_a_sale_does_not_undo_a_count_made_after_it() -> None:
    # 5 at seq 100. C counts 5 offline; a sale at 105 (4); A synced to 105 counts 2 (2).
    later = [LaterMove(105, -1, "S"), LaterMove(106, -2, "A", count_base=105)]

    c = post_count(5, 2, later)

    assert c.posted == 0 and c.newer_count == 106 and c.book == 2
    # Letting C win by arrival would have brought the two missing units back: 5 - 1 = 4.


def test_a_count_that_saw_its_own_sale_is_newer_than_one_that_did_not() -> None:
    # A sold one itself (seq 105, offline, base 100) and then counted 2: it looked after the
    # sale, C (base 100, arriving last) before it.
    later = [LaterMove(105, -1, "A"), LaterMove(106, -2, "A", count_base=100)]

    assert post_count(5, 2, later).newer_count == 106


def test_movements_by_others_after_the_base_survive_a_count() -> None:
    # 10 at 100; a receipt of 6 and a sale of 2 after the base; counted 7 at base 100.
    c = post_count(7, 14, [LaterMove(101, 6, None), LaterMove(102, -2, "S")])

    assert c.book == 10 and c.posted == -3 and 14 + c.posted == 11


def test_a_count_with_no_book_sets_the_shelf_to_what_was_counted() -> None:
    c = set_to_counted(8, 10)

    assert c.unvouched and c.posted == -2 and 10 + c.posted == 8


def test_bases_the_ledger_cannot_vouch_for() -> None:
    assert base_vouched(120, 130, True)
    assert base_vouched(0, 130, False)  # nobody else moved the shelf: a true book of 0
    assert not base_vouched(0, 130, True)  # saw nothing, others moved it
    assert not base_vouched(140, 130, False)  # a base the ledger never reached: lost timeline
