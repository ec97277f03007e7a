"""Staff as pulled from the ledger (hashes peppered), and PIN failures recorded for lockout."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage import staff_hashes
from app.storage.models import LoginAttempts, Staff


def by_code(session: Session, code: str) -> Staff | None:
    return session.scalars(select(Staff).where(Staff.code == code, Staff.active != 0)).first()


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


# --- peppered hashes ----------------------------------------------------------------------
# Every write of a staff row is peppered in its own transaction by a temporary trigger
# (one per connection, installed by the engine): see app/storage/staff_hashes.py.

_PEPPER_ROW = (
    "UPDATE staff SET pin_hash = cb_pepper_pin(pin_hash), badge_hash = cb_pepper_badge(badge_hash)"
)
_NOT_PEPPERED = "NOT (cb_is_peppered({0}.pin_hash) AND cb_is_peppered({0}.badge_hash))"


def install_peppering(conn: sqlite3.Connection, pepper: bytes) -> None:
    """Pepper every staff row this connection writes (once the staff table exists)."""
    conn.create_function(
        "cb_pepper_pin", 1, lambda h: staff_hashes.pepper_pin(h, pepper), deterministic=True
    )
    conn.create_function(
        "cb_pepper_badge", 1, lambda h: staff_hashes.pepper_badge(h, pepper), deterministic=True
    )
    conn.create_function("cb_is_peppered", 1, staff_hashes.is_peppered, deterministic=True)
    has_staff = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'staff'"
    ).fetchone()
    if not has_staff:
        return
    for event in ("INSERT", "UPDATE OF pin_hash, badge_hash"):
        name = "staff_pepper_" + event.split()[0].lower()
        conn.execute(
            f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main.staff "
            f"WHEN {_NOT_PEPPERED.format('NEW')} "
            f"BEGIN {_PEPPER_ROW} WHERE id = NEW.id; END"
        )


def pepper_all(conn: sqlite3.Connection, pepper: bytes) -> int:
    """Pepper rows kept as the ledger sent them (a cache from before peppering), and drop
    rows peppered with another key (the keyring lost it): the staff checksum then
    differs from the ledger's and the next sync takes the staff list again.
    Returns how many rows changed."""
    own = f"{staff_hashes.PREFIX}${staff_hashes.key_id(pepper)}$%"
    other = f"{staff_hashes.PREFIX}$%"
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        peppered = conn.execute(f"{_PEPPER_ROW} WHERE {_NOT_PEPPERED.format('staff')}").rowcount
        dropped = conn.execute(
            "DELETE FROM staff WHERE (pin_hash LIKE ?2 AND pin_hash NOT LIKE ?1) "
            "OR (badge_hash LIKE ?2 AND badge_hash NOT LIKE ?1)",
            (own, other),
        ).rowcount
    return int(peppered) + int(dropped)


def badge_holder(session: Session, badge: str, pepper: bytes) -> Staff | None:
    """The active staff member whose badge is ``badge`` (scanned text), or None."""
    holders = session.scalars(
        select(Staff).where(Staff.badge_hash.is_not(None), Staff.active != 0)
    ).all()
    for member in holders:
        if staff_hashes.badge_matches(member.badge_hash, badge, pepper):
            return member
    return None
