"""The counter theme: calm, high contrast, large type, big touch targets.

The style sheet lives in ``resources/qss/counterbench.qss`` (:mod:`app.resources` finds
it in a checkout, a frozen build or a wheel's install). When it is missing the window
still works with a small built-in sheet that keeps the touch targets large.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from app import log
from app.resources import resources_dir

logger = log.get("ui")

QSS_NAME = "counterbench.qss"
BASE_POINT_SIZE = 13
MIN_TOUCH_PX = 44

# Status colours, also used by the style sheet (keep them in step).
INK = "#14181f"
PAPER = "#f4f5f7"
SURFACE = "#ffffff"
ACCENT = "#1d4f91"
OK = "#1b7f3b"
WARN = "#9a5b00"
ERROR = "#b3261e"
MUTED = "#5b6472"

FALLBACK_QSS = f"""
* {{ font-size: {BASE_POINT_SIZE}pt; }}
QPushButton, QLineEdit, QComboBox, QSpinBox {{ min-height: {MIN_TOUCH_PX}px; }}
QStatusBar[scan="ok"] {{ background: #d5f0dc; }}
QStatusBar[scan="failed"] {{ background: #f8d7d4; }}
"""


def style_sheet(root: Path | None = None) -> str:
    """The theme's style sheet, or the built-in fallback when the file is missing."""
    root = root if root is not None else resources_dir()
    path = root / "qss" / QSS_NAME if root else None
    if path is None or not path.is_file():
        logger.warning("Theme file %s not found; using the built-in fallback.", QSS_NAME)
        return FALLBACK_QSS
    return path.read_text(encoding="utf-8")


def load_fonts(root: Path | None) -> list[str]:
    """Register the fonts shipped in ``resources/fonts``; returns their family names."""
    families: list[str] = []
    if root is None or not (root / "fonts").is_dir():
        return families
    for path in sorted((root / "fonts").rglob("*")):
        if path.suffix.lower() in (".ttf", ".otf"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def with_bold_fallback(sheet: str, families: list[str]) -> str:
    """``sheet`` with semi-bold (600) made bold (700) when the first of ``families`` has
    no face that heavy: Qt draws a missing weight from the regular face only from bold
    up, so titles, headings and primary buttons would lose their weight."""
    if not families:
        return sheet
    family = families[0]
    weights = (QFontDatabase.weight(family, style) for style in QFontDatabase.styles(family))
    if any(weight >= QFont.Weight.DemiBold.value for weight in weights):
        return sheet
    return re.sub(r"font-weight:\s*600\b", "font-weight: 700", sheet)


def palette() -> QPalette:
    """A light, high-contrast palette matching the style sheet."""
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(PAPER))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    pal.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#eef1f5"))
    pal.setColor(QPalette.ColorRole.Text, QColor(INK))
    pal.setColor(QPalette.ColorRole.Button, QColor(SURFACE))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor(MUTED))
    return pal


def apply_theme(app: QApplication) -> None:
    """Style, palette, fonts and style sheet for the whole application."""
    root = resources_dir()
    app.setStyle("Fusion")
    app.setPalette(palette())
    families = load_fonts(root)
    font = QFont(app.font())
    preferred = [f for f in families if "sans" in f.lower()] or families
    if preferred:
        font.setFamilies([*preferred, *font.families()])
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(with_bold_fallback(style_sheet(root), font.families()))
