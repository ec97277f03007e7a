"""The reason table from a file: each reason added or changed by code, its words, stock
effect, where it is offered, whether it is offered at all, and its place in the list.

A reason left out of the file is kept as it is (reasons are never deleted: an operation
made offline may still name one); a row with ``active`` no disables it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.reasons import Reason
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.reasons import reasons_table
from app.ledger.scopes import id_column, row_data, scope_rows
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

_COLUMNS = ("label", "effect", "applies_to", "active", "sort_order")


def _values(reason: Reason, sort_order: int) -> dict[str, Any]:
    return {
        "label": reason.label,
        "effect": reason.effect.value,
        "applies_to": ",".join(u.value for u in reason.applies_to),
        "active": reason.active,
        "sort_order": sort_order,
    }


class ReasonWriter:
    """The reasons kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.REASONS

    def __init__(self) -> None:
        self._have: dict[str, tuple[int, dict[str, Any]]] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        cols = [reasons_table.c[c] for c in _COLUMNS]
        for row in conn.execute(select(reasons_table.c.id, reasons_table.c.code, *cols)):
            values = dict(zip(_COLUMNS, row[2:], strict=True))
            values["active"] = bool(values["active"])
            self._have[row.code] = (row.id, values)
        return []

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        last = max((v["sort_order"] for _, v in self._have.values()), default=0)
        changed: list[int] = []
        for _, reason in rows:
            have = self._have.get(reason.code)
            # sort_order 0 (left out): a new reason goes last, a known one keeps its place
            order = reason.sort_order or (have[1]["sort_order"] if have else last + 10)
            last = max(last, order)
            values = _values(reason, order)
            if have is None:
                new_id = conn.execute(
                    insert(reasons_table)
                    .values(code=reason.code, **values)
                    .returning(reasons_table.c.id)
                ).scalar_one()
                changed.append(int(new_id))
                counts.added += 1
            elif have[1] != values:
                conn.execute(
                    update(reasons_table).where(reasons_table.c.id == have[0]).values(values)
                )
                changed.append(have[0])
                counts.changed += 1
            else:
                counts.unchanged += 1
        key = id_column(Scope.REASONS)
        if changed:
            stmt = scope_rows(Scope.REASONS, None).where(key.in_(changed)).order_by(key)
            for row in conn.execute(stmt):
                batch.change(Scope.REASONS, None, row[0], row_data(row, Scope.REASONS))
        return counts
