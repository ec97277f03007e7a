"""Where the shipped ``resources/`` folder (fonts, style sheet) is, however we were installed.

Looked for in order: ``COUNTERBENCH_RESOURCES``; a frozen bundle (PyInstaller's
``sys._MEIPASS``); the repository root (an editable install or a checkout); the
``share/counterbench`` folder a wheel installs under the environment's prefix
(``[tool.setuptools.data-files]`` in pyproject.toml).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.errors import KnownError

INSTALLED = Path("share") / "counterbench"


class ResourcesMissing(KnownError):
    """The fonts and style sheet shipped with Counterbench are not where they should be."""


def candidates() -> list[Path]:
    found: list[Path] = []
    if os.environ.get("COUNTERBENCH_RESOURCES"):
        found.append(Path(os.environ["COUNTERBENCH_RESOURCES"]))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(Path(__file__).resolve().parents[1] / "resources")
    found.append(Path(sys.prefix) / INSTALLED)
    return found


def resources_dir() -> Path | None:
    """The first candidate folder that exists, or None."""
    return next((path for path in candidates() if path.is_dir()), None)


def font_dir() -> Path:
    """The folder of the bundled fonts; a clear error when the install lost them."""
    root = resources_dir()
    if root is None or not (root / "fonts").is_dir():
        looked = ", ".join(str(path) for path in candidates())
        raise ResourcesMissing(
            "The label fonts are missing from this installation.",
            next_step="Reinstall Counterbench, or set COUNTERBENCH_RESOURCES to the folder "
            f"that holds fonts/ (looked in {looked}).",
        )
    return root / "fonts"
