"""The composition root: build the station (with its printing), then run the window.

``run_terminal`` is what ``counterbench terminal`` calls. It configures logging, opens
the station (``build_station``, which also makes its ``PrintService`` with the QPrinter
transport for ``system`` profiles) and hands it to ``app.ui.app.run_gui``, which owns
everything Qt: this module imports no PySide6.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app import config, log
from app.config import StationPaths
from app.services.station import build_station
from app.storage import files

logger = log.get("ui")


def run_terminal(data_dir: Path | None = None, *, argv: list[str] | None = None) -> int:
    """Run the terminal GUI on the station in ``data_dir``; returns the exit code."""
    from app.ui.app import run_gui  # Qt loads only when the window is wanted
    from app.ui.system_printer import print_on_system_printer

    files.keep_private()  # logs, settings and the cache are born 0600 in a 0700 folder
    root = config.data_dir(data_dir)
    log.configure(log_dir=StationPaths(root).logs)
    logger.info("Starting the terminal on %s", root)
    station = build_station(root, system_printer=print_on_system_printer)
    return run_gui(station, printing=station.printing, data_dir=data_dir, argv=argv)


if __name__ == "__main__":
    sys.exit(run_terminal())
