"""The system libraries Qt's X11 platform plugin needs, asked of the installed plugin itself.

``ldd`` on PySide6's ``Qt/plugins/platforms/libqxcb.so`` lists every shared library the
plugin loads, those of the Qt libraries it links included (``libQt6XcbQpa`` needs
``libxcb-icccm`` and ``libxcb-keysyms``); the ones marked "not found" are what this machine
lacks. Each is named by its Debian package, derived from the soname, so a clean Debian or
Ubuntu machine installs exactly what is missing: as root with apt-get, otherwise the person
is given the one command.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.errors import KnownError

XCB_PLUGIN = Path("Qt", "plugins", "platforms", "libqxcb.so")
# Libraries whose Debian package is not named after the soname (Debian 12, Ubuntu 22.04+).
PACKAGE_OF = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libGLdispatch.so.0": "libglvnd0",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
}
_SONAME = re.compile(r"(lib.+)\.so\.(\d+)(?:\.\d+)*")


def debian_package(soname: str) -> str:
    """The Debian package that ships ``soname``.

    Debian names a library package after its soname (policy 8.1): ``libNAME.so.N`` is in
    ``libNAMEN``, or ``libNAME-N`` when NAME ends in a digit, lower case, "_" as "-"
    (``libxcb-icccm.so.4`` → ``libxcb-icccm4``, ``libxkbcommon-x11.so.0`` →
    ``libxkbcommon-x11-0``). ``PACKAGE_OF`` holds the few that break the rule.
    """
    if soname in PACKAGE_OF:
        return PACKAGE_OF[soname]
    match = _SONAME.fullmatch(soname)
    if match is None:
        return soname
    name, version = match.group(1).lower().replace("_", "-"), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def xcb_plugin() -> Path | None:
    """PySide6's X11 platform plugin, found without importing Qt; None when not installed."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(next(iter(spec.submodule_search_locations))) / XCB_PLUGIN
    return plugin if plugin.is_file() else None


def linked_libraries(binary: Path) -> dict[str, str | None]:
    """Every shared library ``binary`` loads, directly or through another: soname → path,
    or None when this machine lacks it (``ldd`` says "not found")."""
    listing = subprocess.run(
        ["ldd", str(binary)], capture_output=True, text=True, check=False
    ).stdout
    return parse_ldd(listing)


def parse_ldd(listing: str) -> dict[str, str | None]:
    """``ldd`` output as soname → resolved path (None when "not found")."""
    libraries: dict[str, str | None] = {}
    for line in listing.splitlines():
        soname, arrow, where = line.strip().partition(" => ")
        if not arrow:
            continue  # the vDSO and the loader itself
        path = None if where.startswith("not found") else where.split(" (", 1)[0]
        if libraries.get(soname) is None:
            libraries[soname] = path
    return libraries


def missing_packages(plugin: Path | None) -> list[str]:
    """Debian packages of the libraries ``plugin`` needs and this machine lacks."""
    if plugin is None or not shutil.which("ldd"):
        return []
    lacking = [name for name, path in linked_libraries(plugin).items() if path is None]
    return list(dict.fromkeys(debian_package(name) for name in lacking))


def wants_xcb(platform: str) -> bool:
    """Whether Qt will try X11 under ``QT_QPA_PLATFORM`` (empty: the default, X11 on Linux)."""
    names = [part.split(":", 1)[0].strip() for part in platform.split(";")]
    return platform.strip() == "" or "xcb" in names


def ensure_qt_libraries(*, euid: int | None = None, plugin: Path | None = None) -> None:
    """Install what Qt's X11 plugin lacks (root with apt-get), or say the one command."""
    if not sys.platform.startswith("linux") or not wants_xcb(os.environ.get("QT_QPA_PLATFORM", "")):
        return
    plugin = plugin or xcb_plugin()
    missing = missing_packages(plugin)
    if not missing:
        return
    install_packages(missing, euid=os.geteuid() if euid is None else euid)
    still = missing_packages(plugin)
    if still:
        raise KnownError(
            f"Qt still lacks {', '.join(still)} after the install.",
            next_step=f"Install them with: {_command(still, sudo=False)}",
        )


def install_packages(packages: list[str], *, euid: int) -> None:
    """apt-get install ``packages`` when running as root; otherwise raise with the command."""
    if euid != 0 or not shutil.which("apt-get"):
        raise KnownError(
            f"Qt needs {', '.join(packages)} to open a window.",
            next_step=f"Install them with: {_command(packages, sudo=euid != 0)}",
        )
    print(f"Installing what Qt needs for a window: {' '.join(packages)}", flush=True)
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL, env=quiet)
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", *packages],
        check=False,
        stdout=subprocess.DEVNULL,
        env=quiet,
    )
    if done.returncode != 0:
        raise KnownError(
            f"apt-get could not install {', '.join(packages)}.",
            next_step=f"Check the network and the messages above, then run: {_command(packages)}",
        )


def _command(packages: list[str], *, sudo: bool = False) -> str:
    return " ".join(["sudo"] * sudo + ["apt-get", "install", "-y", *packages])
