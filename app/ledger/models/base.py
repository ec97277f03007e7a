"""The ledger's declarative base and its sequence: the head row and the blocks of
ledger_seq values writers take."""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    BigInteger,
    Integer,
    Table,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
SeqType = BigInteger().with_variant(Integer(), "sqlite")
DEFAULT_REMINDER_DAYS = (2, 4)  # a location's pickup reminders unless it sets its own


class Base(DeclarativeBase):
    pass


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for the Core statements of the hot paths."""
    return cast(Table, model.__table__)


class LedgerHead(Base):
    """One row: the last ledger_seq handed out (:mod:`app.ledger.sequencer`)."""

    __tablename__ = "ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(SeqType, default=0)


class SeqBlock(Base):
    """ledger_seq values handed to a location write still in flight (PostgreSQL): pulls
    stop below the lowest (:mod:`app.ledger.sequencer`)."""

    __tablename__ = "seq_blocks"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True)
    lo: Mapped[int] = mapped_column(BigInteger)
    hi: Mapped[int] = mapped_column(BigInteger)
    xid: Mapped[int] = mapped_column(BigInteger)  # the writer's transaction id
