"""Where a returned unit goes when put into a bin by scan, and the words when it cannot."""

from __future__ import annotations

import pytest

from app.domain.returns.draft import ReturnDraft, parcel_of_scan
from app.domain.returns.put_away import (
    BinKind,
    ReturnPutAway,
    WaitingUnit,
    bin_kind,
    parse_put_away,
    put_away,
)
from app.domain.stock import Bucket
from app.errors import BadInput, RuleRefused
from tests.domain.returns.test_draft import ORDER

SHELF = {"A-01-1", "Z-11-1"}
HERE = SHELF | {"B-02-3"}


def _unit(bucket: Bucket, bin_code: str = "", *, shelved: bool = False) -> WaitingUnit:
    return WaitingUnit("C0001/2627/00007-2", "KURTA-M", bucket, bin_code, shelved)


@pytest.mark.parametrize(
    ("code", "kind"),
    [("A-01-1", BinKind.SHELF), ("B-02-3", BinKind.OTHER_SHELF), ("Q-01", BinKind.QUARANTINE),
     ("RTV-2", BinKind.VENDOR), ("Q-", BinKind.UNKNOWN), ("X-09-9", BinKind.UNKNOWN)],
)  # fmt: skip
def test_a_bin_is_read_against_this_locations_planogram(code: str, kind: BinKind) -> None:
    assert bin_kind(code, SHELF, HERE) is kind


@pytest.mark.parametrize("bucket", [Bucket.OPEN_BOX, Bucket.QUARANTINE, Bucket.DAMAGED])
def test_an_inspected_unit_back_on_its_shelf_is_sellable(bucket: Bucket) -> None:
    done = put_away(_unit(bucket, "Q-01"), "A-01-1", BinKind.SHELF, location="BLR-01",
                    inspector=True)  # fmt: skip
    assert (done.from_bucket, done.to_bucket, done.bin, done.moves) == (
        bucket, Bucket.SELLABLE, "A-01-1", True
    )  # fmt: skip


@pytest.mark.parametrize("kind", [BinKind.QUARANTINE, BinKind.VENDOR])
@pytest.mark.parametrize("bucket", [Bucket.SELLABLE, Bucket.OPEN_BOX, Bucket.DAMAGED, Bucket.RTV])
def test_a_quarantine_or_vendor_bin_keeps_the_bucket(kind: BinKind, bucket: Bucket) -> None:
    done = put_away(_unit(bucket), "Q-01", kind, location="BLR-01", inspector=False)
    assert (done.from_bucket, done.to_bucket, done.moves) == (bucket, bucket, False)


def test_a_sellable_unit_goes_back_on_its_shelf_without_a_lead() -> None:
    done = put_away(_unit(Bucket.SELLABLE), "A-01-1", BinKind.SHELF, location="BLR-01",
                    inspector=False)  # fmt: skip
    assert (done.to_bucket, done.moves) == (Bucket.SELLABLE, False)


@pytest.mark.parametrize(
    ("unit", "code", "kind", "said"),
    [
        (_unit(Bucket.OPEN_BOX), "A-01-1", BinKind.SHELF,
         "C0001/2627/00007-2 is open-box stock: a lead inspects it before it goes back on "
         "the shelf."),
        (_unit(Bucket.RTV), "A-01-1", BinKind.SHELF,
         "C0001/2627/00007-2 goes back to the vendor, not to the shelf."),
        (_unit(Bucket.DAMAGED), "X-09-9", BinKind.UNKNOWN, "X-09-9 is not a bin of this store."),
        (_unit(Bucket.DAMAGED), "B-02-3", BinKind.OTHER_SHELF,
         "B-02-3 is not a shelf bin of KURTA-M."),
        (_unit(Bucket.DAMAGED, "Q-01"), "Q-01", BinKind.QUARANTINE,
         "C0001/2627/00007-2 is in Q-01 already."),
        (_unit(Bucket.SELLABLE, "A-01-1", shelved=True), "Q-01", BinKind.QUARANTINE,
         "C0001/2627/00007-2 was put back on the shelf already, in A-01-1."),
    ],
)  # fmt: skip
def test_refused_with_what_to_do_next(
    unit: WaitingUnit, code: str, kind: BinKind, said: str
) -> None:
    with pytest.raises(RuleRefused) as refused:
        put_away(unit, code, kind, location="BLR-01", inspector=False)
    assert refused.value.message == said and refused.value.next_step


def test_the_payload_round_trips_and_refuses_a_bucket_it_cannot_move_to() -> None:
    done = ReturnPutAway("BLR-01", "R1-1", "KURTA-M", "A-01-1", Bucket.DAMAGED, Bucket.SELLABLE)
    assert parse_put_away({**done.to_payload(), "bin": " a-01-1 "}) == done
    with pytest.raises(BadInput, match="keeps the unit's bucket or makes it sellable"):
        parse_put_away({**done.to_payload(), "to_bucket": "rtv"})
    with pytest.raises(BadInput, match="not a stock bucket"):
        parse_put_away({**done.to_payload(), "from_bucket": "lost"})
    with pytest.raises(BadInput, match="does not wait in the in_transit bucket"):
        parse_put_away({**done.to_payload(), "from_bucket": "in_transit"})


def test_a_parcel_label_scanned_at_the_bench_goes_on_the_draft() -> None:
    sscc = "000000000000000017"  # check digit 7
    order = ORDER
    assert parcel_of_scan(f"(00){sscc}") == sscc == parcel_of_scan(sscc)
    assert parcel_of_scan("TRK123456IN") == "" == parcel_of_scan("  ")
    assert ReturnDraft(order).with_parcel(sscc).parcel == sscc
    with pytest.raises(BadInput, match="is not a parcel label"):
        ReturnDraft(order).with_parcel("TRK123456IN")
