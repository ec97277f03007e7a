"""The banners across the top of the workspace: the station is offline (how much waits
to be sent, and since when), and the countdown to an idle log-out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services.results import StationStatus
from app.ui.statusbar import age
from app.ui.theme import ERROR, WARN

BANNER_STYLE = f"""
QLabel[banner="offline"] {{
    background: #fff1d6; color: {WARN}; border-bottom: 1px solid #e7c98f;
    padding: 8px 16px; font-weight: 600;
}}
QLabel[banner="idle"] {{
    background: {ERROR}; color: #ffffff; padding: 8px 16px; font-weight: 600;
}}
"""


class Banner(QLabel):
    """One line across the workspace, hidden until there is something to say."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.setProperty("banner", kind)
        self.setObjectName(f"{kind}Banner")
        self.setStyleSheet(BANNER_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()

    def say(self, text: str) -> None:
        """Show ``text`` (an empty text hides the banner)."""
        if text != self.text():
            self.setText(text)
        if self.isHidden() == bool(text):
            self.setVisible(bool(text))


def offline_text(status: StationStatus) -> str:
    """What the offline banner says ("" while online): work goes on, and what waits."""
    if status.online or not status.enrolled:
        return ""
    n = status.pending_ops
    oldest = age(status.oldest_pending_age_s)
    since = f", the oldest for {oldest}" if oldest else ""
    waits = ("1 change waits" if n == 1 else f"{n} changes wait") + f" to be sent{since}"
    if status.sync_blocked and status.last_error:  # not the network: say what is wrong
        # the error already says the work is kept and goes once it is fixed
        return f"{status.last_error} Keep working" + (f": {waits}." if n else ".")
    said = "Offline: this terminal cannot reach the stock ledger. Keep working: "
    if not n:
        return said + "what you do is saved here and sent once it is back online."
    return said + f"{waits}; they go once it is back online."


def idle_text(seconds_left: int) -> str:
    """The countdown before an idle log-out."""
    return f"Logging out in {seconds_left} s — press any key to stay"
