from __future__ import annotations

from app.storage.engine import Database
from app.storage.print_jobs import prints_for, record_print


def test_prints_are_recorded_and_listed_per_reference(db: Database) -> None:
    first = record_print(
        db,
        kind="shipping_label",
        reference="WEB-1001",
        profile="zd421-203",
        format="zpl",
        staff_code="A100",
    )
    again = record_print(
        db,
        kind="shipping_label",
        reference="WEB-1001",
        profile="zd421-203",
        format="zpl",
        reprint=True,
        copies=2,
        staff_code="L200",
    )
    record_print(
        db,
        kind="shelf_label",
        reference="SKU-1",
        profile="a4",
        format="pdf",
        status="failed",
        error="printer offline",
    )
    jobs = prints_for(db, "WEB-1001")
    assert [j.id for j in jobs] == [first.id, again.id]
    assert [j.reprint for j in jobs] == [False, True]
    assert jobs[1].copies == 2 and jobs[1].staff_code == "L200"
    assert jobs[0].printed_at.tzinfo is not None
    assert prints_for(db, "SKU-1")[0].error == "printer offline"
    assert prints_for(db, "nothing") == []
