"""Returned units kept by their RMA ids: a reference in use here is known by its units."""

from __future__ import annotations

from app.domain.stock import Bucket
from app.storage import rma_units
from app.storage.engine import Database, raw_connection


def test_a_reference_is_kept_when_a_unit_is_kept_under_it_and_only_then(db: Database) -> None:
    with db.writing() as session:
        conn = raw_connection(session)
        rma_units.keep(conn, "a" * 32, [("RAAAAAAAAAA-12", "SKU-1", Bucket.OPEN_BOX)])

        assert rma_units.reference_kept(conn, "RAAAAAAAAAA")
        for other in ("RAAAAAAAAA", "RAAAAAAAAAA-1", "RAAAAAAAAAB", "C0001/2627/00001"):
            assert not rma_units.reference_kept(conn, other), other
