"""Migration 0027 (credit note series) gives the invoice blocks of a ledger from before
it their series (invoice), keeps every row, lets a bench's credit note block start at the
same serial as its invoice block, and goes down (credit note blocks go with the series)
and up again."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from app.ledger.migrate import alembic_config, upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

_BLOCK = (
    "INSERT INTO invoice_blocks (device_id, financial_year, prefix, first_serial, last_serial, "
    "issued_at{series}) VALUES ('dev-1', 2026, :prefix, 1, 200, :at{value})"
)
_AT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def _before_0027() -> str:
    """The revision 0027 follows (the lead may chain it after others)."""
    revision = ScriptDirectory.from_config(alembic_config()).get_revision("0027")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


def _blocks(conn: Connection) -> list[tuple[object, ...]]:
    columns = {c["name"] for c in inspect(conn).get_columns("invoice_blocks")}
    series = "series" if "series" in columns else "'-'"
    rows = conn.execute(
        text(f"SELECT prefix, first_serial, {series} FROM invoice_blocks ORDER BY prefix")
    )
    return [tuple(r) for r in rows]


def test_0027_gives_blocks_a_series_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url, down_to=_before_0027()) as engine:
        with engine.begin() as conn:
            conn.execute(text(_BLOCK.format(series="", value="")), {"prefix": "B0001", "at": _AT})
            before = counts(conn)
        migrate(engine, "0027")
        with engine.begin() as conn:
            upgraded = _blocks(conn)
            conn.execute(
                text(_BLOCK.format(series=", series", value=", 'credit_note'")),
                {"prefix": "C0001", "at": _AT},
            )
            both = _blocks(conn)
            after, broken = counts(conn), broken_links(conn)
        migrate(engine, _before_0027(), down=True)
        with engine.begin() as conn:
            down = _blocks(conn)
            down_counts, down_broken = counts(conn), broken_links(conn)
        upgrade(engine)
        with engine.begin() as conn:
            again = _blocks(conn)

        assert upgraded == [("B0001", 1, "invoice")]
        assert both == [("B0001", 1, "invoice"), ("C0001", 1, "credit_note")]
        assert down == [("B0001", 1, "-")]  # the credit note block went with the series
        assert again == [("B0001", 1, "invoice")]
        assert after == before == down_counts and broken == down_broken == []
