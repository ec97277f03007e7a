"""``python -m app.ui.window_check``: can Qt open a window here?

Qt aborts the whole process (qFatal) when no platform plugin starts, so a command that
must clean up after a failed window (the demo's ledger) asks in a child process first.
Exits 0 when a window can open; otherwise Qt's own messages are on stderr and the exit
code is not 0.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def main() -> int:
    """Start Qt's platform plugin as the terminal would; 0 when it has a screen."""
    app = QApplication(["counterbench-window-check"])
    return 0 if app.primaryScreen() is not None else 1


if __name__ == "__main__":
    sys.exit(main())
