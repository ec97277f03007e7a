"""Where a printer profile sends: a lead chooses a real printer (raw TCP host:port, a
CUPS queue listed from the system, the system printer, or a folder), kept in the
station's printers.json; anyone asks a printer for its status.

``PrintService`` has these (it is a ``PrinterDestinations``); the Printers screen uses them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app import log
from app.errors import BadInput, PrintFailed, RuleRefused
from app.labels.printer_status import read_host_status
from app.labels.profiles import Language, PrinterProfile, PrinterSetup, Transport
from app.labels.transports import cups_queue_state, cups_queues, parse_host_port
from app.services.results import StaffSession

logger = log.get("print")


@dataclass(frozen=True)
class PrinterState:
    """What a printer says about itself; ``ready`` only when it said so."""

    profile: str
    where: str
    ready: bool
    said: str


class _SetupHost(Protocol):
    _setup: PrinterSetup
    _setup_file: Path | None

    def may_choose_printers(self, staff: StaffSession) -> bool: ...

    def _replace_setup(self, setup: PrinterSetup) -> None: ...


class PrinterDestinations:
    """A lead sets where a profile sends; anyone checks a printer's status."""

    def print_queues(self: _SetupHost) -> list[str]:
        """The CUPS print queues this system knows (``lpstat``); PrintFailed without CUPS."""
        return cups_queues()

    def send_to(
        self: _SetupHost, staff: StaffSession, profile: str, transport: Transport, target: str
    ) -> PrinterProfile:
        """Make ``profile`` send through ``transport`` to ``target``, kept in printers.json.

        Leads and managers only; an address that cannot work is refused before it is kept.
        """
        if not self.may_choose_printers(staff):
            raise RuleRefused(
                "Only a lead or a manager can change where a printer sends.",
                next_step="Ask a lead to log in and set the printer.",
            )
        current = self._setup.profile(profile)
        target = _checked_target(transport, target.strip())
        changed = dataclasses.replace(current, transport=transport, target=target)
        if self._setup_file is None:
            raise RuleRefused("This station keeps no printer settings file.")
        edit_printers_file(
            self._setup_file, lambda raw: _set_destination(raw, changed.name, transport, target)
        )
        self._replace_setup(
            PrinterSetup({**self._setup.profiles, changed.name: changed}, self._setup.by_kind)
        )
        logger.info("%s now sends by %s to %r (set by %s)", profile, transport, target, staff.code)
        return changed

    def printer_state(self: _SetupHost, profile: str) -> PrinterState:
        """Ask the profile's printer how it is: a ZPL printer on TCP answers ``~HS``, a CUPS
        queue through ``lpstat``; a folder must exist. The system printer is asked by the UI."""
        chosen = self._setup.profile(profile)
        where = chosen.target or "default"
        if chosen.transport is Transport.TCP:
            return _tcp_state(chosen)
        if chosen.transport is Transport.CUPS:
            ready, said = cups_queue_state(chosen.target)
            return PrinterState(chosen.name, f"cups:{where}", ready, said)
        if chosen.transport is Transport.SYSTEM:
            said = "The system printer is asked from the terminal window."
            return PrinterState(chosen.name, f"system:{where}", False, said)
        folder = Path(chosen.target) if chosen.target else None
        said = "Saves labels as files" + (f" in {folder}" if folder else "") + "; prints nothing."
        return PrinterState(chosen.name, str(folder or "printed folder"), False, said)


def _tcp_state(profile: PrinterProfile) -> PrinterState:
    host, port = parse_host_port(profile.target)
    where = f"tcp://{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=profile.timeout_s) as conn:
            if profile.language is not Language.ZPL:
                said = "Reachable on the network; a PDF printer does not report its status."
                return PrinterState(profile.name, where, False, said)
            status = read_host_status(conn, timeout_s=profile.status_timeout_s)
    except OSError as exc:
        raise PrintFailed(
            f"The printer at {host}:{port} cannot be reached ({exc.strerror or exc}).",
            next_step="Check it is on and its address, then check again.",
        ) from None
    if status is None:
        said = (
            "Reachable, but it did not answer its status: it may be out of paper, have its "
            "head open, or not be a ZPL printer."
        )
        return PrinterState(profile.name, where, False, said)
    if status.problems:
        return PrinterState(profile.name, where, False, f"Reports: {', '.join(status.problems)}.")
    return PrinterState(profile.name, where, True, "Ready.")


def _checked_target(transport: Transport, target: str) -> str:
    """The target as kept, or BadInput when it cannot work for ``transport``."""
    if transport is Transport.TCP:
        try:
            host, port = parse_host_port(target)
        except PrintFailed as exc:
            raise BadInput(
                exc.message, next_step="Type it as host:port, e.g. 10.0.0.41:9100."
            ) from None
        if not 0 < port < 65536:
            raise BadInput(f"The port {port} is not a port.", next_step="Raw printing uses 9100.")
        return f"{host}:{port}"
    if transport is Transport.CUPS:
        queues = cups_queues()
        if target not in queues:
            known = ", ".join(queues) or "none"
            raise BadInput(
                f"There is no print queue '{target}' on this system.",
                next_step=f"Choose one of the listed queues ({known}).",
            )
    return target


def _set_destination(raw: dict[str, Any], name: str, transport: Transport, target: str) -> None:
    entries = raw.setdefault("profiles", [])
    for entry in entries:
        if entry.get("name") == name:
            entry["transport"], entry["target"] = str(transport), target
            return
    entries.append({"name": name, "base": name, "transport": str(transport), "target": target})


def edit_printers_file(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change printers.json with ``edit``, keeping the rest; replaced atomically."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(raw, dict):
            raise TypeError("the file does not hold an object")
        edit(raw)
        temporary = path.with_name(path.name + ".new")
        temporary.write_text(json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except (OSError, json.JSONDecodeError, AttributeError, TypeError) as exc:
        raise BadInput(
            f"The printer settings in {path} could not be saved: {exc}.",
            next_step="Check the file and the disk, then choose again.",
        ) from None
