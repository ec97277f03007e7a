"""The GST rate table from a file (kind ``gst_rates``): each row added or changed by its
HSN prefix and effective date; a row left out of the file is kept (an invoice dated
before a change still takes the rate then in force).

Each row added or changed goes to every station (the shared ``gst_rates`` scope), so a
bench makes its tax invoices offline; the ledger reads the table with
:func:`gst_rate_table`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.tax.rates import GstRate
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import GstRateRow, table_of
from app.ledger.scopes import id_column, row_data, scope_rows
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

gst_rates = table_of(GstRateRow)
_VALUES = ("rate_bp", "band_limit_minor", "rate_above_bp")


def _values(rate: GstRate) -> dict[str, Any]:
    return {name: getattr(rate, name) for name in _VALUES}


def gst_rate_table(conn: Connection) -> tuple[GstRate, ...]:
    """Every row of the GST rate table, for :func:`app.domain.tax.rates.rate_row`."""
    rows = conn.execute(select(gst_rates).order_by(gst_rates.c.hsn_prefix, gst_rates.c.id))
    return tuple(
        GstRate(
            row.hsn_prefix,
            row.rate_bp,
            row.effective_from,
            band_limit_minor=row.band_limit_minor,
            rate_above_bp=row.rate_above_bp,
        )
        for row in rows
    )


class GstRateWriter:
    """The gst_rates kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.GST_RATES

    def __init__(self) -> None:
        self._have: dict[tuple[str, date], tuple[int, dict[str, Any]]] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        cols = [gst_rates.c[name] for name in _VALUES]
        query = select(gst_rates.c.id, gst_rates.c.hsn_prefix, gst_rates.c.effective_from, *cols)
        for row in conn.execute(query):
            values = dict(zip(_VALUES, row[3:], strict=True))
            self._have[(row.hsn_prefix, row.effective_from)] = (row.id, values)
        return []

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        for _, rate in rows:
            have = self._have.get((rate.hsn_prefix, rate.effective_from))
            values = _values(rate)
            if have is None:
                row_id = conn.execute(
                    insert(gst_rates)
                    .values(
                        hsn_prefix=rate.hsn_prefix, effective_from=rate.effective_from, **values
                    )
                    .returning(gst_rates.c.id)
                ).scalar_one()
                counts.added += 1
            elif have[1] != values:
                row_id = have[0]
                conn.execute(update(gst_rates).where(gst_rates.c.id == row_id).values(values))
                counts.changed += 1
            else:
                counts.unchanged += 1
                continue
            _send(conn, batch, int(row_id))
        return counts


def _send(conn: Connection, batch: WriteBatch, row_id: int) -> None:
    """The row as every station holds it (shared scope ``gst_rates``)."""
    row = conn.execute(
        scope_rows(Scope.GST_RATES, None).where(id_column(Scope.GST_RATES) == row_id)
    ).one()
    batch.change(Scope.GST_RATES, None, row_id, row_data(row, Scope.GST_RATES))


def add_missing_rates(
    conn: Connection, rates: Iterable[GstRate], batch: WriteBatch | None = None
) -> int:
    """Insert the rows of ``rates`` the table has no row for (by prefix and date); with
    ``batch``, each goes to the stations as a change."""
    have = set(conn.execute(select(gst_rates.c.hsn_prefix, gst_rates.c.effective_from)).all())
    new = [r for r in rates if (r.hsn_prefix, r.effective_from) not in have]
    for rate in new:
        row_id = conn.execute(
            insert(gst_rates)
            .values(hsn_prefix=rate.hsn_prefix, effective_from=rate.effective_from, **_values(rate))
            .returning(gst_rates.c.id)
        ).scalar_one()
        if batch is not None:
            _send(conn, batch, int(row_id))
    return len(new)
