"""Staff log-in at the station: PIN (argon2id, checked offline) or badge, with lockout.

Hashes are checked as the station keeps them, peppered with its key from the keyring
(``app.storage.staff_hashes``). A PIN has ``SessionSettings.pin_digits`` digits (4, or 6
where the retailer asks): one of another length is refused before any hash is made, and
is not counted as a wrong PIN.

Five wrong PINs lock a staff code for five minutes. Failures are kept in the cache, so
restarting the terminal does not lift a lockout.

A log-in is one unit of work: the slow argon2 check runs first, outside any
transaction, then one IMMEDIATE transaction re-reads the lockout, decides and records the
outcome. So a lockout recorded by another attempt meanwhile (another window, another
process) always wins: a right PIN is refused while locked and never clears a lockout
it did not see, and at most ``max_pin_failures`` wrong answers are given per lockout.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from app.config import SessionSettings
from app.domain.clock import Clock
from app.errors import LoginFailed, RuleRefused
from app.services.results import StaffSession
from app.storage import staff as staff_repo
from app.storage import staff_hashes
from app.storage.engine import Database
from app.storage.models import Staff

ROLE_RANK = {"associate": 0, "lead": 1, "manager": 2}

PinCheck = Callable[[str | None, str], bool]
"""Whether a PIN matches a stored (peppered argon2id) PIN hash."""


def require_role(session: StaffSession, role: str) -> None:
    """Raise ``RuleRefused`` unless the staff member has ``role`` or a higher one."""
    if ROLE_RANK.get(session.role, -1) < ROLE_RANK[role]:
        raise RuleRefused(
            f"{session.name} is {session.role}; this needs a {role}.",
            next_step=f"Ask a {role} to do it or to approve it.",
        )


class AuthService:
    """Checks PINs and badges against the staff the ledger sent."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        settings: SessionSettings | None = None,
        pin_check: PinCheck | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings or SessionSettings()
        self._pin_check = pin_check or self.pin_matches

    def pin_matches(self, pin_hash: str | None, pin: str) -> bool:
        """Whether ``pin`` matches ``pin_hash`` as this station keeps it (peppered)."""
        return staff_hashes.pin_matches(pin_hash, pin, self._db.pepper)

    def login_pin(self, staff_code: str, pin: str) -> StaffSession:
        """The session for ``staff_code`` if ``pin`` is right; else ``LoginFailed``."""
        code = staff_code.strip().upper()
        self._check_pin_length(pin)
        with self._db.reading() as session:  # a quick look, so a locked code costs no hash
            attempts = staff_repo.attempts(session, code)
            locked_until = attempts.locked_until if attempts else None
            member = staff_repo.by_code(session, code)
            pin_hash = member.pin_hash if member else None
        now = self._clock()
        if locked_until is not None and locked_until > now:
            raise self._locked(locked_until, now)
        right = self._pin_check(pin_hash, pin)  # slow on purpose: outside any transaction
        with self._db.writing() as session:  # the decision and its record: one transaction
            now = self._clock()
            attempts = staff_repo.attempts(session, code)
            locked_until = attempts.locked_until if attempts else None
            if locked_until is not None and locked_until > now:
                raise self._locked(locked_until, now)
            member = staff_repo.by_code(session, code)
            if member is not None and member.pin_hash != pin_hash:  # new staff data meanwhile
                right = self._pin_check(member.pin_hash, pin)
            if member is not None and right:
                staff_repo.clear_failures(session, code)
                return _session(member, now)
            row = staff_repo.record_failure(
                session,
                code,
                now,
                max_failures=self._settings.max_pin_failures,
                lockout_until=now + timedelta(seconds=self._settings.lockout_s),
            )
            failures, locked_until = row.failures, row.locked_until
        if locked_until is not None and locked_until > now:
            raise self._locked(locked_until, now)
        left = self._settings.max_pin_failures - failures
        raise LoginFailed(
            "Wrong staff code or PIN.",
            next_step=f"Try again ({left} tries left before a {self._lockout_minutes()} "
            "minute lockout).",
        )

    def login_badge(self, badge: str) -> StaffSession:
        """The session of the staff member whose badge was scanned."""
        with self._db.reading() as session:
            member = staff_repo.badge_holder(session, badge, self._db.pepper)
        if member is None:
            raise LoginFailed(
                "This badge is not known here.", next_step="Log in with your staff code and PIN."
            )
        return _session(member, self._clock())

    def staff_codes(self) -> list[tuple[str, str]]:
        """(code, name) of every active staff member who may log in here."""
        with self._db.reading() as session:
            return staff_repo.active_codes(session)

    def session_for(self, staff_code: str) -> StaffSession:
        """A session by code without a PIN, for trusted command-line use."""
        code = staff_code.strip().upper()
        with self._db.reading() as session:
            member = staff_repo.by_code(session, code)
        if member is None:
            raise LoginFailed(f"No active staff member with code {code} here.")
        return _session(member, self._clock())

    @property
    def pin_digits(self) -> int:
        """How many digits a PIN has at this station (4, or 6 where the retailer says)."""
        return self._settings.pin_digits

    def _check_pin_length(self, pin: str) -> None:
        digits = self._settings.pin_digits
        if len(pin) != digits or not pin.isdigit():
            raise LoginFailed(
                f"A PIN here has {digits} digits.",
                next_step=f"Enter all {digits} digits of your PIN.",
            )

    def _lockout_minutes(self) -> int:
        return max(1, round(self._settings.lockout_s / 60))

    def _locked(self, until: datetime, now: datetime) -> LoginFailed:
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        return LoginFailed(
            "Too many wrong PINs: this staff code is locked.",
            next_step=f"Try again in {minutes} minute(s), or ask a lead to log in.",
        )


def _session(member: Staff, now: datetime) -> StaffSession:
    return StaffSession(
        staff_id=member.id, code=member.code, name=member.name, role=member.role, logged_in_at=now
    )
