"""What one sync round did, filled in by pushing and pulling and shown by the station."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    resent: int = 0
    pulled: int = 0
    snapshots: list[str] = field(default_factory=list)
    snapshot_rows: int = 0
    cursor: int = 0
    push_blocked: str = ""
    skipped: str = ""  # why nothing was done (another process is syncing this station)
    push_s: float = 0.0  # wall time pushing, pulling and taking snapshots
    pull_s: float = 0.0
    snapshot_s: float = 0.0
