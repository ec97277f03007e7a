"""Stations, staff and the sync's bookkeeping: devices and enrolment, staff and
their stores, operations received, the change log, exceptions, the audit chain,
rejection reasons, approvals used and quarantined operations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base, SeqType


class Device(Base):
    """An enrolled station. Its token is kept only as a sha256 hash."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("adopted_by", name="uq_devices_adopted_by"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_applied_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Re-enrolment: the device that adopted this one's unsent operations, and the last
    # device_seq it may push in this device's name (app.ledger.adoption).
    adopted_by: Mapped[str | None] = mapped_column(String(40))
    adopted_through_seq: Mapped[int | None] = mapped_column(BigInteger)
    # The open exception saying this station's clock is off (app.ledger.clock_skew).
    clock_exception_id: Mapped[int | None] = mapped_column(Integer)


class EnrolCode(Base):
    __tablename__ = "enrol_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_id: Mapped[str | None] = mapped_column(String(40))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))  # associate | lead | manager
    pin_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    badge_hash: Mapped[str] = mapped_column(String(200))  # domain.badges: salted sha256
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffStore(Base):
    """A store a staff member may work at besides their home (a regional manager's
    stores). A station receives only the staff of its location: home or assigned here."""

    __tablename__ = "staff_stores"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id"), primary_key=True, index=True
    )


class OpReceived(Base):
    """Every operation a device pushed, with the result sent back. Kept forever."""

    __tablename__ = "ops_received"
    __table_args__ = (UniqueConstraint("device_id", "device_seq", name="uq_ops_device_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    ledger_seq: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[str] = mapped_column(Text)  # OpResult JSON
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeLog(Base):
    """What stations pull: one row per changed scope row, in ledger_seq order."""

    __tablename__ = "change_log"
    ledger_seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    data: Mapped[str | None] = mapped_column(Text)  # the row as JSON text; NULL = deleted


class LedgerException(Base):
    """Something a manager must look at (oversell, collected after cancel …)."""

    __tablename__ = "exceptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    op_id: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text, default="")
    order_number: Mapped[str | None] = mapped_column(String(40))  # what it is about, if
    sku: Mapped[str | None] = mapped_column(String(40))  # an order or an item
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Hash-chained: hash = sha256(prev_hash + body), body the canonical JSON of the entry.
    One chain per location, chain 0 for network-wide writes (:mod:`app.ledger.audit`)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_chain_id", "chain", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(40))
    approver: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class RejectionReason(Base):
    """The retailer's reasons for shorts, refusals, units left at the handover and count
    differences, each with its stock effect (:mod:`app.domain.reasons`)."""

    __tablename__ = "rejection_reasons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    effect: Mapped[str] = mapped_column(String(20))  # ReasonEffect
    applies_to: Mapped[str] = mapped_column(String(120))  # ReasonUse values, comma separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ApprovalUse(Base):
    """A lead's or manager's approval id, once an operation used it: an approval counts
    for one operation only (:mod:`app.ledger.approvals`)."""

    __tablename__ = "approvals_used"
    approval_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(40))
    approver: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuarantinedOp(Base):
    """An operation the ledger could not apply (a bug, a database error, a type it does
    not know yet), held for a replay after a fix (:mod:`app.ledger.quarantine`)."""

    __tablename__ = "quarantined_ops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), index=True)
    device_seq: Mapped[int] = mapped_column(BigInteger)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(40))  # as ops_received holds it
    op: Mapped[str] = mapped_column(Text)  # the whole PushOp as ASCII JSON
    cause: Mapped[str] = mapped_column(String(20))  # unknown_type | failed
    error: Mapped[str] = mapped_column(Text)  # the last error, for IT
    status: Mapped[str] = mapped_column(String(10), default="held")  # held | replayed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    exception_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
