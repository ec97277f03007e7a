"""A built wheel works outside the repository: installed into a fresh venv, it prints a
label (fonts and style sheet come from the wheel, not from this checkout).

The fresh venv gets only the wheel; the third-party packages it needs are borrowed from
the test's own environment through a ``.pth`` line, which adds that folder to the path
without running its ``.pth`` files (so the editable install of this checkout stays out).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.labels.listener import PrinterListener
from tests.labels.support import decode

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "app", "resources")

pytestmark = pytest.mark.slow


def _build_wheel(work: Path) -> Path:
    """Build from a copy of the sources, so the build leaves nothing in the checkout."""
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        timeout=240,
    )
    (wheel,) = dist.glob("counterbench-*.whl")
    return wheel


def _fresh_venv(work: Path, wheel: Path) -> Path:
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=120,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COUNTERBENCH_RESOURCES")}
    return subprocess.run(
        [str(venv / "bin" / "counterbench"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(work)
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith("share/counterbench/fonts/NotoSans-Regular.ttf") for n in names)
    assert any(n.endswith("share/counterbench/qss/counterbench.qss") for n in names)
    assert not any(n.startswith("tests/") for n in names)
    return _fresh_venv(work, wheel)


def test_the_installed_wheel_finds_its_own_resources(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import app, app.resources as r; print(app.__file__); print(r.font_dir())"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    ).stdout.split("\n")  # fmt: skip
    assert probe[0].startswith(str(installed)), probe
    assert probe[1] == str(installed / "share" / "counterbench" / "fonts"), probe


def test_the_installed_wheel_prints_and_renders_a_label(installed: Path, tmp_path: Path) -> None:
    station = tmp_path / "station"
    station.mkdir()
    printer = PrinterListener()
    setup = {
        "profiles": [{"name": "bench", "base": "zebra-4x6-203", "transport": "tcp",
                      "target": printer.target, "timeout_s": 2}],
        "by_kind": {"shipping": "bench"},
    }  # fmt: skip
    (station / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    try:
        done = _run(installed, tmp_path, "label", "print", "shipping", "--sample",
                    "--data-dir", str(station))  # fmt: skip
        jobs = printer.wait_for_jobs(1)
    finally:
        printer.close()
    assert done.returncode == 0, done.stderr
    assert "Printed on bench" in done.stdout
    assert b"^XA" in jobs[0] and b"^BC" in jobs[0]  # a ZPL label with its Code 128
    png = tmp_path / "label.png"
    rendered = _run(installed, tmp_path, "label", "render", "shipping", "--sample",
                    "--format", "png", "-o", str(png))  # fmt: skip
    assert rendered.returncode == 0, rendered.stderr
    texts = [text for _, text, _ in decode(Image.open(png))]
    assert any("106141412345678908" in text for text in texts), texts  # the sample's SSCC
