"""The station's data folder is 0700 and every file in it 0600: at creation and on start."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.services.scan_settings import ScanSettings, save_scan_settings
from app.services.station import build_station
from app.storage import device
from app.storage.engine import Database
from app.storage.files import mode_of, tighten

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    """Every path under ``root`` (and root itself as ".") with its permission bits."""
    found = {".": mode_of(root)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = mode_of(path)
    return found


def assert_private(root: Path) -> None:
    wrong = {
        name: oct(mode)
        for name, mode in modes(root).items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    }
    assert wrong == {}


def test_a_new_station_made_by_the_command_is_private(tmp_path: Path) -> None:
    """A real ``counterbench`` process under a lax umask (022): the folder, cache, its
    WAL and shared-memory files, log, settings and secrets are all private."""
    data = tmp_path / "station"
    env = {**os.environ, "PYTHONPATH": str(REPO), "COUNTERBENCH_DATA_DIR": str(data)}
    for args in (["station", "scanner", "--gap-ms", "30"], ["station", "status"]):
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=lambda: os.umask(0o022),
        )
        assert done.returncode == 0, done.stderr
    names = set(modes(data))
    assert {"station.sqlite3", "scanner.json", "logs", "logs/counterbench.log", "pepper"} <= names
    assert_private(data)


def test_the_cache_and_its_wal_are_made_0600_whatever_the_umask(tmp_path: Path) -> None:
    with umask(0o022):
        db = Database(tmp_path / "cache" / "station.sqlite3")
        with db.writing() as session:
            session.connection().exec_driver_sql("CREATE TABLE t (x)")
        files = {p.name for p in (tmp_path / "cache").iterdir()}
        db.dispose()
    assert {"station.sqlite3", "station.sqlite3-wal", "station.sqlite3-shm"} <= files
    assert_private(tmp_path / "cache")


def test_an_old_open_folder_is_tightened_on_start(tmp_path: Path) -> None:
    """A folder from before: 0755 with 0644 files everywhere; opening the station fixes it."""
    data = tmp_path / "station"
    with umask(0o022):
        build_station(data).close()
        save_scan_settings(data, ScanSettings())
        (data / "logs").mkdir()
        (data / "logs" / "counterbench.log.1").write_text("old log\n")
        (data / "backup-2026-12-01.sqlite3").write_bytes(b"copy")
        for path in [data, *data.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    assert mode_of(data / "station.sqlite3") == 0o644
    station = build_station(data)
    try:
        assert_private(data)
    finally:
        station.close()


def test_tighten_leaves_symbolic_links_and_their_targets_alone(tmp_path: Path) -> None:
    outside = tmp_path / "shared.txt"
    outside.write_text("not ours")
    os.chmod(outside, 0o644)
    data = tmp_path / "station"
    data.mkdir()
    os.chmod(data, 0o755)  # not by mkdir's mode: a command run earlier may have set umask 077
    (data / "link").symlink_to(outside)
    (data / "token").write_text("x")
    os.chmod(data / "token", 0o644)
    assert tighten(data) == 2  # the folder and the file; not the link
    assert mode_of(outside) == 0o644
    assert tighten(data) == 0


def test_the_token_file_fallback_is_0600(tmp_path: Path) -> None:
    with umask(0o022):
        device.write_token(tmp_path, "secret-token")
    assert mode_of(tmp_path / device.TOKEN_FILE) == 0o600


def test_tighten_takes_only_group_and_other_bits_and_walks_only_station_folders(
    tmp_path: Path,
) -> None:
    """Pointed at a folder that is not only the station's, it does not rewrite a tree."""
    data = tmp_path / "station"
    (data / "logs").mkdir(parents=True)
    (data / "projects" / "deep").mkdir(parents=True)
    files = {
        "run.sh": 0o755,
        "logs/counterbench.log": 0o644,
        "projects/deep/notes.txt": 0o644,
    }
    for name, mode in files.items():
        (data / name).write_text("x")
        os.chmod(data / name, mode)
    for folder in (data, data / "logs", data / "projects", data / "projects" / "deep"):
        os.chmod(folder, 0o755)
    tighten(data)
    assert mode_of(data / "run.sh") == 0o700  # owner bits kept: still runs
    assert mode_of(data / "logs" / "counterbench.log") == 0o600
    assert mode_of(data / "projects") == 0o700  # closed, so its content is out of reach
    assert mode_of(data / "projects" / "deep" / "notes.txt") == 0o644  # not walked
