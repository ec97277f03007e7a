"""What Qt's X11 plugin lacks, asked of the plugin with ldd, and named by Debian package."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app.commands.qt_libraries import (
    debian_package,
    ensure_qt_libraries,
    install_packages,
    linked_libraries,
    parse_ldd,
    wants_xcb,
    xcb_plugin,
)
from app.errors import KnownError

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="ldd is Linux's"
)

# Every library PySide6's libqxcb.so loads, with the Debian 12 package `dpkg -S` names for
# it (libxcb-icccm4 and libxcb-keysyms1 from `apt-cache policy`: they were not installed).
PACKAGES_OF_LIBQXCB = {
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libstdc++.so.6": "libstdc++6",
    "libm.so.6": "libc6",
    "libgcc_s.so.1": "libgcc-s1",
    "libc.so.6": "libc6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libz.so.1": "zlib1g",
    "libfreetype.so.6": "libfreetype6",
    "libGLdispatch.so.0": "libglvnd0",
    "libGLX.so.0": "libglx0",
    "libzstd.so.1": "libzstd1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libexpat.so.1": "libexpat1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libpng16.so.16": "libpng16-16",
    "libbrotlidec.so.1": "libbrotli1",
    "libpthread.so.0": "libc6",
    "libdl.so.2": "libc6",
    "libbsd.so.0": "libbsd0",
    "libsystemd.so.0": "libsystemd0",
    "libbrotlicommon.so.1": "libbrotli1",
    "libmd.so.0": "libmd0",
    "libcap.so.2": "libcap2",
    "libgcrypt.so.20": "libgcrypt20",
    "liblzma.so.5": "liblzma5",
    "liblz4.so.1": "liblz4-1",
    "libgpg-error.so.0": "libgpg-error0",
}


@pytest.mark.parametrize(("soname", "package"), sorted(PACKAGES_OF_LIBQXCB.items()))
def test_each_library_is_named_by_its_debian_package(soname: str, package: str) -> None:
    assert debian_package(soname) == package


def test_ldd_output_gives_each_library_once_with_what_is_missing() -> None:
    listing = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f34)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\t/lib64/ld-linux-x86-64.so.2 (0x00007f34)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )
    assert parse_ldd(listing) == {
        "libxcb-cursor.so.0": "/lib/x86_64-linux-gnu/libxcb-cursor.so.0",
        "libxcb-icccm.so.4": None,
    }


@linux_only
def test_the_installed_plugin_is_asked_for_every_library_it_loads() -> None:
    plugin = xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    needed = linked_libraries(plugin)
    # the two the old hand-kept list missed, whether this machine has them or not
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"} <= needed.keys()
    assert "libQt6XcbQpa.so.6" in needed


def test_without_root_the_one_command_is_given() -> None:
    with pytest.raises(KnownError) as raised:
        install_packages(["libxcb-icccm4", "libxcb-keysyms1"], euid=1000)
    assert str(raised.value) == (
        "Qt needs libxcb-icccm4, libxcb-keysyms1 to open a window. "
        "Install them with: sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1"
    )


@linux_only
def test_a_plugin_needing_an_absent_library_gets_its_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real plugin with one library it needs renamed to one no machine has."""
    real = xcb_plugin()
    assert real is not None
    data = real.read_bytes()
    assert data.count(b"libxcb-icccm.so.4\0") == 1
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (tmp_path / "lib").symlink_to(real.parents[2] / "lib")  # its RUNPATH: $ORIGIN/../../lib
    plugin = platforms / "libqxcb.so"
    plugin.write_bytes(data.replace(b"libxcb-icccm.so.4\0", b"libxcb-icccm.so.9\0"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")

    with pytest.raises(KnownError) as raised:
        ensure_qt_libraries(euid=1000, plugin=plugin)
    said = str(raised.value)
    assert "\n" not in said
    assert "Install them with: sudo apt-get install -y " in said
    assert "libxcb-icccm9" in said.split("Install them with:")[1]
    assert "libqt6" not in said.lower(), "PySide6's own Qt libraries are found"


@pytest.mark.parametrize(
    ("platform", "xcb"),
    [("", True), ("xcb", True), ("wayland;xcb", True), ("offscreen", False), ("nosuch", False)],
)
def test_the_libraries_matter_only_when_qt_will_try_x11(platform: str, xcb: bool) -> None:
    assert wants_xcb(platform) is xcb
