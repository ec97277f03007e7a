"""Logging set-up. This is a Qt-free zone.

Named loggers per subsystem: ``counterbench.sync``, ``counterbench.print``,
``counterbench.ledger``, ``counterbench.storage``, ``counterbench.ui``.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

ROOT = "counterbench"


def get(subsystem: str) -> logging.Logger:
    """Return the named logger for one subsystem, e.g. ``get("sync")``."""
    return logging.getLogger(f"{ROOT}.{subsystem}")


def configure(*, log_dir: Path | None, level: int = logging.INFO, stderr: bool = True) -> None:
    """Log to stderr (unless ``stderr`` is False: a command that says its own errors), and
    to a rotating file in ``log_dir`` when one is given; else nowhere."""
    root = logging.getLogger(ROOT)
    if getattr(root, "_counterbench_configured", False):
        return
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        root.addHandler(stream)
    root.addHandler(logging.NullHandler())  # never Python's last-resort stderr handler
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "counterbench.log", maxBytes=5_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        root.addHandler(handler)
    root._counterbench_configured = True  # type: ignore[attr-defined]
