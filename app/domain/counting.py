"""Conflict rule 3 for counts: what a count posts when others moved or counted the same shelf.

A count says "observed N at base_ledger_seq" (the ledger position the station had seen),
never "set to N". For a count by station X with base b of one shelf (location, item,
bucket) the ledger posts ``observed − book``, where the book is chosen like this:

1. X's own movements are in its book: X saw them, and ops apply in device order.
2. Movements by others after b that are not counts (sales, picks, handovers, receipts,
   transfers) could not have been seen by X, so they are taken as made after X looked:
   they survive the count. The shelf becomes ``observed + those movements``.
3. Counts by others after b are not movements: they are other looks at the same shelf.
   The newer look wins.

   a. Count Y is *known newer* than X when Y saw a movement of (2) that X did not (its
      seq is at or below Y's base, or it is Y's own earlier movement): by (2) X looked
      before that movement and Y after it. X is then stale: it posts nothing, and the
      shelf keeps Y's answer and what moved since.
   b. Otherwise neither saw anything the other did not, so the one that reaches the
      ledger later supersedes the earlier: X is measured against a book that holds Y's
      adjustment, which undoes it, and the shelf becomes ``observed_X + (2)``.

Worked examples, every station synced to seq 100 before it went offline:

* Three stations count offline. Book 1 and each counts 0: the first posts −1 (0); the
  second's book is 0 (the first count is superseded, not kept), it posts 0; so does the
  third. On hand 0, not −2.
* A sale between two counts that neither saw, 5 on hand: A counts 4 (posts −1, on hand 4), another
  station sells 1 (3), then C, also at base 100, counts 4. C supersedes A and keeps the
  sale: book = 3 − (−1) = 4, C posts 0, on hand 3 = 4 counted − 1 sold after.
* A sale seen by one count only, 5 on hand: C counts 5 offline. A sale at seq 105 (4). A syncs to
  105 and counts 2: two went missing, A posts −2 (2). C arrives last, but A saw the sale
  and C did not: C looked before the sale, A after it. C posts 0; on hand stays 2
  (letting C win would bring the two missing units back: 5 − 1 = 4).
* A sale of a unit counted gone: the book says 1, A counts 0 and another station picks
  that unit. Whichever reaches the ledger first, the pick is taken as made after A
  looked: on hand −1, and the count leaves fewer on the shelf than promised, which
  opens an oversell exception for a person. The ledger cannot tell whether the pick
  came first; it does not guess it away.

A base the ledger cannot vouch for (see :func:`base_vouched`) has no book at all: the
count then sets the shelf to what was counted, and a person is asked to check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.stock import count_difference


@dataclass(frozen=True)
class LaterMove:
    """A movement of the counted shelf after the count's base, not by the counting station.

    ``count_base`` is set for a count: the base its station had seen (0 when unknown).
    """

    seq: int
    quantity: int
    device_id: str | None
    count_base: int | None = None

    @property
    def is_count(self) -> bool:
        return self.count_base is not None

    def saw(self, move: LaterMove) -> bool:
        """Whether this count's station had seen ``move`` when it counted."""
        if self.count_base is None or move.is_count:
            return False
        own_earlier = move.device_id is not None and move.device_id == self.device_id
        return move.seq <= self.count_base or (own_earlier and move.seq < self.seq)


@dataclass(frozen=True)
class CountPosting:
    """What one count posts, and why."""

    posted: int  # the movement: observed − book (0 when a newer count stands)
    book: int  # what the count was measured against
    superseded: tuple[int, ...] = ()  # ledger_seq of earlier counts it replaces
    newer_count: int | None = None  # ledger_seq of a newer count that stands instead
    unvouched: bool = False  # no book: the shelf was set to what was counted


def post_count(observed: int, on_hand: int, later: Sequence[LaterMove]) -> CountPosting:
    """The movement a count posts given the shelf's ``on_hand`` now and the ``later``
    movements by others since the count's base (rules 1-3 above)."""
    counts = [m for m in later if m.is_count]
    moves = [m for m in later if not m.is_count]
    newer = next((c for c in reversed(counts) if any(c.saw(m) for m in moves)), None)
    if newer is not None:
        return CountPosting(posted=0, book=on_hand, newer_count=newer.seq)
    book = on_hand - sum(m.quantity for m in moves)
    superseded = tuple(c.seq for c in counts)
    return CountPosting(count_difference(observed, book), book, superseded=superseded)


def set_to_counted(observed: int, on_hand: int) -> CountPosting:
    """A count with no book the ledger can vouch for: the shelf becomes what was counted."""
    return CountPosting(count_difference(observed, on_hand), on_hand, unvouched=True)


def base_vouched(base: int, head: int, others_since_start: bool) -> bool:
    """Whether the ledger can say what the shelf held at ``base``.

    Not when the base lies beyond the ledger's ``head`` (seen on a timeline the ledger
    lost in a restore), nor when the base is 0 (the station had seen nothing: never
    synced, or a ledger restore had just been found) while others have moved the shelf
    (``others_since_start``). Base 0 on a shelf nobody else touched is a true book of 0.
    """
    if base > head:
        return False
    return not (base == 0 and others_since_start)
