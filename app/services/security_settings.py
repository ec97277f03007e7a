"""This station's security choices: ``security.json`` in its data directory.

* ``pin_digits``  4 (the default) or 6: a retailer that wants longer PINs sets 6 on its
  stations (``counterbench station security --pin-digits 6``); the login screen then
  takes 6 digits and refuses 4 with a clear message.
* ``allow_http``  false (the default): the station refuses plain http to a ledger that
  is not on this PC, since its token and staff hashes would cross the shop network in
  clear; ``counterbench station enrol --allow-http`` (or this setting) allows it.

A file that cannot be read leaves the safe defaults (logged), never a closed counter.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from app import log
from app.config import SessionSettings, SyncSettings
from app.errors import BadInput
from app.storage.secrets import write_private

SECURITY_FILE = "security.json"
PIN_LENGTHS = (4, 6)

logger = log.get("storage")


@dataclass(frozen=True)
class SecuritySettings:
    pin_digits: int = 4
    allow_http: bool = False

    def __post_init__(self) -> None:
        if self.pin_digits not in PIN_LENGTHS:
            raise BadInput(
                f"A PIN has 4 or 6 digits, not {self.pin_digits}.",
                next_step="Choose --pin-digits 4 or --pin-digits 6.",
            )


def load_security(data_dir: Path) -> SecuritySettings:
    """The station's ``security.json``, or the defaults when there is none or it is broken."""
    path = data_dir / SECURITY_FILE
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SecuritySettings()
    except (OSError, ValueError) as exc:
        logger.error("%s cannot be read (%s): the safe defaults are used", path, exc)
        return SecuritySettings()
    try:
        return SecuritySettings(
            pin_digits=int(raw.get("pin_digits", 4)), allow_http=raw.get("allow_http") is True
        )
    except (AttributeError, TypeError, ValueError, BadInput) as exc:
        logger.error("%s is not of the right shape (%s): the safe defaults are used", path, exc)
        return SecuritySettings()


def save_security(data_dir: Path, settings: SecuritySettings) -> Path:
    """Keep ``settings`` in ``security.json`` (0600, replaced atomically)."""
    path = data_dir / SECURITY_FILE
    write_private(path, json.dumps(asdict(settings), indent=2) + "\n")
    return path


def apply_security(
    security: SecuritySettings, session: SessionSettings, sync: SyncSettings
) -> tuple[SessionSettings, SyncSettings]:
    """The session and sync settings with this station's security choices in them (the
    longer PIN of the two; http when either allows it)."""
    return (
        replace(session, pin_digits=max(session.pin_digits, security.pin_digits)),
        replace(sync, allow_http=sync.allow_http or security.allow_http),
    )
