"""Errors the world causes, told apart from bugs.

A ``KnownError`` carries a message a store associate understands and, where there is
one, what to do next. Anything else that escapes is a bug and reaches the crash handler.
"""

from __future__ import annotations


class KnownError(Exception):
    """Something the world did (offline, printer jammed, scan not found, rule refused)."""

    def __init__(self, message: str, *, next_step: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        return f"{self.message} {self.next_step}".strip()


class NotFound(KnownError):
    """A scan, SKU, order or bin that is not known here."""


class RuleRefused(KnownError):
    """A business rule refused the action (role, stock, state)."""


class BadInput(KnownError):
    """Input that cannot be used as given (wrong check digit, missing field)."""


class Offline(KnownError):
    """The ledger cannot be reached; work continues from the local cache."""


class NotEnrolled(KnownError):
    """This station has not been enrolled with a ledger yet."""


class LoginFailed(KnownError):
    """Wrong PIN or badge, or the account is locked out."""


class PrintFailed(KnownError):
    """The printer did not take the job."""
