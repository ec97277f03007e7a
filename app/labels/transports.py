"""Getting a rendered label to a printer: file, raw TCP 9100, CUPS raw queue, system.

Every failure the world causes becomes ``PrintFailed`` with plain words and a next step.
The system printer (QPrinter) belongs to the UI: it passes a ``SystemPrinter`` callable
that draws the printer-resolution page images 1:1.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import Image

from app import log
from app.errors import PrintFailed
from app.labels.printer_status import HostStatus, status_after_label
from app.labels.profiles import Language, PrinterProfile, Transport

_log = log.get("print")

SystemPrinter = Callable[[str, Sequence[Image.Image]], None]  # (printer name, page images)

_RETRY_OR_PDF = "Check the printer is on and online, then retry, or save the label as PDF."


def parse_host_port(target: str, default_port: int = 9100) -> tuple[str, int]:
    host, _, port = target.rpartition(":") if ":" in target else (target, "", "")
    if not host:
        raise PrintFailed(
            f"The printer address '{target}' has no host.",
            next_step="Set it in printers.json as host:port.",
        )
    try:
        return host, int(port) if port else default_port
    except ValueError:
        raise PrintFailed(f"The printer port in '{target}' is not a number.") from None


def send_tcp(
    payload: bytes, target: str, *, timeout_s: float, status_timeout_s: float | None = None
) -> HostStatus | None:
    """Send ``payload`` over raw TCP (port 9100 by default); with ``status_timeout_s``, then
    ask the printer's host status (``~HS``) until it has printed the label or the time is
    up, and return its last answer, None when it did not answer."""
    host, port = parse_host_port(target)
    where = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as conn:
            conn.settimeout(timeout_s)
            conn.sendall(payload)
            if status_timeout_s is None:
                conn.shutdown(socket.SHUT_WR)
                return None
            return status_after_label(conn, timeout_s=status_timeout_s)
    except ConnectionRefusedError:
        raise PrintFailed(
            f"The printer at {where} refused the connection.", next_step=_RETRY_OR_PDF
        ) from None
    except TimeoutError:
        raise PrintFailed(
            f"The printer at {where} did not answer within {timeout_s:g} s.",
            next_step=_RETRY_OR_PDF,
        ) from None
    except socket.gaierror:
        raise PrintFailed(
            f"The printer name '{host}' is not known on this network.",
            next_step="Check the printer address in the printer settings.",
        ) from None
    except OSError as exc:
        raise PrintFailed(
            f"The printer at {where} cannot be reached ({exc.strerror or exc}).",
            next_step=_RETRY_OR_PDF,
        ) from None


def send_cups(payload: bytes, queue: str, *, timeout_s: float) -> None:
    """Send ``payload`` unchanged to a CUPS queue with ``lp -o raw``."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrintFailed(
            "CUPS printing is not installed on this station (no 'lp' command).",
            next_step="Choose a network (TCP) printer, or save the label as PDF.",
        )
    command = [lp, "-s", "-o", "raw", *(["-d", queue] if queue else [])]
    try:
        done = subprocess.run(
            command, input=payload, capture_output=True, timeout=max(timeout_s, 10.0), check=False
        )
    except subprocess.TimeoutExpired:
        raise PrintFailed(
            "The print system did not take the label in time.", next_step=_RETRY_OR_PDF
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
        raise PrintFailed(
            f"The print queue '{queue or 'default'}' refused the label: {reason}.",
            next_step=_RETRY_OR_PDF,
        )


_NO_CUPS = "Choose a network printer (host:port) or the system printer instead."


def _lpstat(*args: str) -> str:
    """``lpstat`` output; PrintFailed when CUPS is missing or not running."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        raise PrintFailed(
            "CUPS is not installed on this station, so it has no print queues.",
            next_step=_NO_CUPS,
        )
    try:
        done = subprocess.run(
            [lpstat, *args], capture_output=True, timeout=10, check=False, text=True
        )
    except subprocess.TimeoutExpired:
        raise PrintFailed("The print system did not answer.", next_step=_NO_CUPS) from None
    if done.returncode != 0 and "No destinations" not in done.stderr:
        reason = done.stderr.strip() or f"exit {done.returncode}"
        raise PrintFailed(f"The CUPS print service did not answer: {reason}.", next_step=_NO_CUPS)
    return done.stdout


def cups_queues() -> list[str]:
    """The print queues CUPS knows on this system, by name."""
    return sorted(line.split()[0] for line in _lpstat("-e").splitlines() if line.strip())


def cups_queue_state(queue: str) -> tuple[bool, str]:
    """(ready, what CUPS says) of one queue."""
    said = " ".join(_lpstat("-p", queue).split()) or f"CUPS says nothing about '{queue}'."
    return ("idle" in said or "printing" in said) and "disabled" not in said, said


def write_output(path: Path, payload: bytes) -> Path:
    """Write ``payload`` to the file ``path``; a missing folder or full disk is said plainly."""
    if not path.parent.is_dir():
        raise PrintFailed(
            f"The folder {path.parent} does not exist, so {path.name} cannot be written there.",
            next_step="Create the folder first, or give an output path in a folder that exists.",
        )
    try:
        path.write_bytes(payload)
    except OSError as exc:
        raise PrintFailed(
            f"{path} could not be written: {exc.strerror or exc}.",
            next_step="Check the folder is writable and there is disk space.",
        ) from None
    return path


def write_file(payload: bytes, target: str, suffix: str) -> Path:
    """Write into ``target``: a folder (a new timestamped file) or a file path."""
    path = Path(target or ".")
    if path.suffix:
        return write_output(path, payload)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PrintFailed(
            f"The label could not be written to {path}: {exc.strerror or exc}.",
            next_step="Check the folder exists and there is disk space.",
        ) from None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return write_output(path / f"label-{stamp}-{time.monotonic_ns() % 10**6:06d}.{suffix}", payload)


class Delivered(StrEnum):
    """How far a label got, as recorded in the station's print jobs."""

    PRINTED = "printed"  # the printer answered: label taken in, no error
    SENT = "sent"  # sent, but the printer did not confirm it
    HELD = "held"  # the printer took it in and reports a problem (paper out, head open …)
    WAITING = "waiting"  # the printer took it in and still holds it, unprinted, in its buffer
    QUEUED = "queued"  # handed to a print queue (CUPS, the system printer)
    SAVED = "saved"  # written to a file: nothing was printed


@dataclass(frozen=True)
class Delivery:
    """Where a label went, how far it got, and the printer's problems if it named any."""

    where: str
    state: Delivered
    problems: tuple[str, ...] = ()

    @property
    def printed(self) -> bool:
        """Only a printer's own answer makes a label printed."""
        return self.state is Delivered.PRINTED

    def told(self, printer: str) -> str:
        """What happened, in the words the counter sees (never "printed" unless it was)."""
        if self.state is Delivered.PRINTED:
            return f"Printed on {printer} ({self.where})."
        if self.state is Delivered.HELD:
            return (
                f"Sent to {printer}, but the printer reports: {', '.join(self.problems)}. "
                "Fix that at the printer and check the label comes out."
            )
        if self.state is Delivered.WAITING:
            return (
                f"Sent to {printer} ({self.where}), waiting in the printer: it has not printed "
                "it yet. Check it comes out."
            )
        if self.state is Delivered.SENT:
            return (
                f"Sent to {printer} ({self.where}), not confirmed: the printer did not say it "
                "took the label. Check it came out."
            )
        if self.state is Delivered.QUEUED:
            return f"Sent to the print queue of {printer} ({self.where})."
        return f"Saved to a file, not printed: {self.where}."


def _tcp_delivery(payload: bytes, profile: PrinterProfile) -> Delivery:
    where = f"tcp://{profile.target}"
    if profile.language is not Language.ZPL:  # only ZPL printers answer ~HS
        send_tcp(payload, profile.target, timeout_s=profile.timeout_s)
        return Delivery(where, Delivered.SENT)
    status = send_tcp(
        payload,
        profile.target,
        timeout_s=profile.timeout_s,
        status_timeout_s=profile.status_timeout_s,
    )
    if status is None:
        return Delivery(where, Delivered.SENT)
    if status.problems:
        return Delivery(where, Delivered.HELD, status.problems)
    if status.formats_waiting:
        return Delivery(where, Delivered.WAITING)
    return Delivery(where, Delivered.PRINTED)


def deliver(
    payload: bytes,
    profile: PrinterProfile,
    *,
    suffix: str,
    pages: Sequence[Image.Image] = (),
    system_printer: SystemPrinter | None = None,
    spool_dir: Path | None = None,
) -> Delivery:
    """Send a rendered label through the profile's transport; say where and how far."""
    started = time.perf_counter()
    if profile.transport is Transport.TCP:
        done = _tcp_delivery(payload, profile)
    elif profile.transport is Transport.CUPS:
        send_cups(payload, profile.target, timeout_s=profile.timeout_s)
        done = Delivery(f"cups:{profile.target or 'default'}", Delivered.QUEUED)
    elif profile.transport is Transport.SYSTEM:
        if system_printer is None:
            raise PrintFailed(
                "The system printer can only be used from the terminal window.",
                next_step="Print from the terminal, or save the label as PDF.",
            )
        system_printer(profile.target, pages)
        done = Delivery(f"system:{profile.target or 'default'}", Delivered.QUEUED)
    else:
        path = write_file(payload, profile.target or str(spool_dir or "."), suffix)
        done = Delivery(str(path), Delivered.SAVED)
    _log.info(
        "label %s: %s (%d bytes, %.0f ms)%s",
        done.state,
        done.where,
        len(payload),
        (time.perf_counter() - started) * 1000,
        f" printer reports {', '.join(done.problems)}" if done.problems else "",
    )
    return done
