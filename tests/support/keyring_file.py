"""A keyring backend that keeps entries in one JSON file: a real ``keyring`` backend for
tests of the keyring path, so no test touches the user's real keyring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def entries(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        found: dict[str, str] = json.loads(self.path.read_text())
        return found

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self.entries()
        entries[f"{service}|{username}"] = password
        self.path.write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self.entries()
        if entries.pop(f"{service}|{username}", None) is None:
            raise PasswordDeleteError(username)
        self.path.write_text(json.dumps(entries))


@contextmanager
def file_keyring(path: Path) -> Iterator[FileKeyring]:
    """Use a :class:`FileKeyring` at ``path`` as this process's keyring for a while."""
    before = keyring.get_keyring()
    backend = FileKeyring(path)
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
