"""Staff as pulled from the ledger, and PIN failures recorded for lockout."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import LoginAttempts, Staff


def by_code(session: Session, code: str) -> Staff | None:
    return session.scalars(select(Staff).where(Staff.code == code, Staff.active != 0)).first()


def by_badge_hash(session: Session, badge_hash: str) -> Staff | None:
    return session.scalars(
        select(Staff).where(Staff.badge_hash == badge_hash, Staff.active != 0)
    ).first()


def active_codes(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Staff.code, Staff.name).where(Staff.active != 0).order_by(Staff.code)
    ).all()
    return [(code, name) for code, name in rows]


def attempts(session: Session, code: str) -> LoginAttempts | None:
    return session.get(LoginAttempts, code)


def record_failure(
    session: Session, code: str, now: datetime, *, max_failures: int, lockout_until: datetime
) -> LoginAttempts:
    """Count one failed PIN; at ``max_failures`` lock the code until ``lockout_until``."""
    row = session.get(LoginAttempts, code)
    if row is None:
        row = LoginAttempts(staff_code=code, failures=0)
        session.add(row)
    if row.locked_until is not None and row.locked_until <= now:
        row.failures = 0  # an expired lockout starts a fresh count
        row.locked_until = None
    row.failures = (row.failures or 0) + 1
    row.last_failure_at = now
    if row.failures >= max_failures:
        row.locked_until = lockout_until
    return row


def clear_failures(session: Session, code: str) -> None:
    row = session.get(LoginAttempts, code)
    if row is not None:
        session.delete(row)
