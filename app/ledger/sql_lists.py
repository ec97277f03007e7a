"""``column IN (values)`` written the cheap way for the database at hand.

On PostgreSQL a list goes as one array parameter (``column = ANY(:values)``): the
statement text stays the same whatever the list's length, so SQLAlchemy neither expands
nor re-renders it per execution. SQLite has no arrays and keeps the expanding ``IN``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(conn: Connection, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column`` is one of ``values``, as ``conn``'s database reads it best."""
    if conn.dialect.name != "postgresql":
        return column.in_(list(values))
    array = bindparam(None, list(values), type_=ARRAY(column.type))
    return column == any_(array)


def one_of_param(dialect: str, column: Any, name: str) -> ColumnElement[bool]:
    """``column`` is one of the list given as parameter ``name`` when the statement runs,
    for a statement built once per ``dialect`` (its name) and reused."""
    if dialect != "postgresql":
        return column.in_(bindparam(name, expanding=True))
    return column == any_(bindparam(name, type_=ARRAY(column.type)))
