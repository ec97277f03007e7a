"""How this station's barcode scanner is set up: ``scanner.json`` in its data directory.

A keyboard-wedge scanner types its code and ends it with Enter. What tells a scan from
typing (the longest gap between two keys of a scan, the shortest code) and what a store
has set its scanners to send around a code (a prefix, a suffix, a stand-in character for
the GS1 group separator) differ from store to store, so IT sets them per station with
``counterbench station scanner``. Keys are named as on the keyboard (``F13``, ``Tab``,
``Enter``), as ASCII control names (``STX``, ``ETX``) or are one character (``]``, ``~``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from app import log
from app.errors import BadInput

logger = log.get("scanner")

SCANNER_FILE = "scanner.json"
NAMED_KEYS = ("Tab", "Enter", "Return", "Escape", "Insert", "Pause", "Home", "End")
# Control characters a scanner can send (as Ctrl+letter): the ones stores use to frame codes.
CONTROL_NAMES = {"STX": "\x02", "ETX": "\x03", "EOT": "\x04", "RS": "\x1e", "US": "\x1f"}
_FUNCTION_KEY = re.compile(r"^F([1-9]|1[0-9]|2[0-4])$")
GAP_MS_RANGE = (5, 500)
MIN_LENGTH_RANGE = (1, 64)
_NUMBERS = ("max_gap_ms", "min_length")
SETTINGS_HELP = "Run: counterbench station scanner --help"


@dataclass(frozen=True)
class ScanSettings:
    """One station's scanner setup; the defaults fit a factory-set scanner."""

    max_gap_ms: int = 40  # keys of one scan come closer than this (a USB poll is 1-30 ms)
    min_length: int = 4  # shorter fast bursts are typing
    prefix: str = ""  # a key or character the scanner sends before each code, or ''
    suffix: str = ""  # what ends a code besides Enter (Tab, a character …), or ''
    gs_stand_in: str = ""  # a character sent instead of GS (FNC1), besides Ctrl+]

    def __post_init__(self) -> None:
        low, high = GAP_MS_RANGE
        if not low <= self.max_gap_ms <= high:
            raise BadInput(
                f"The scanner gap is {low} to {high} ms, not {self.max_gap_ms}.",
                next_step="Most scanners need 30 to 60 ms.",
            )
        low, high = MIN_LENGTH_RANGE
        if not low <= self.min_length <= high:
            raise BadInput(
                f"The shortest scan is {low} to {high} characters, not {self.min_length}."
            )
        for what, key in (("prefix", self.prefix), ("suffix", self.suffix)):
            if key and not is_key_name(key):
                raise BadInput(
                    f"The scanner {what} '{key}' is not a key or a character.",
                    next_step="Use F1-F24, Tab, Enter, STX, ETX or one character, such as ].",
                )
            if len(key) == 1 and (key.isalnum() or key == "-"):
                raise BadInput(
                    f"The scanner {what} '{key}' is a letter, digit or '-', which codes hold,"
                    " so it would cut scans short.",
                    next_step="Choose a function key (F13), STX, or a symbol no code uses, e.g. ].",
                )
        if self.gs_stand_in and (len(self.gs_stand_in) != 1 or not self.gs_stand_in.isprintable()):
            raise BadInput(
                f"The group separator stand-in '{self.gs_stand_in}' is not one character.",
                next_step="Use the one character the scanner is set to send for FNC1, e.g. ~.",
            )
        if self.gs_stand_in and self.gs_stand_in in (self.prefix, self.suffix):
            raise BadInput("The group separator stand-in cannot also be the prefix or suffix.")

    @property
    def max_gap_s(self) -> float:
        return self.max_gap_ms / 1000


def is_key_name(key: str) -> bool:
    """A prefix or suffix the scanner input can match: a named key, F1-F24, an ASCII
    control name, or one printable character."""
    return (
        key in NAMED_KEYS
        or key in CONTROL_NAMES
        or _FUNCTION_KEY.match(key) is not None
        or (len(key) == 1 and key.isprintable() and not key.isspace())
    )


def load_scan_settings(data_dir: Path) -> ScanSettings:
    """The station's scanner setup: ``scanner.json``, or the defaults when there is none."""
    path = data_dir / SCANNER_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ScanSettings()
    except (OSError, json.JSONDecodeError) as exc:
        raise BadInput(
            f"The scanner settings in {path} cannot be read: {exc}.", next_step=SETTINGS_HELP
        ) from None
    return _settings_from(raw, path)


def station_scan_settings(data_dir: Path) -> ScanSettings:
    """What the terminal scans with: ``scanner.json``, or the defaults (logged) when it
    cannot be used, so a broken file never keeps the counter shut."""
    try:
        return load_scan_settings(data_dir)
    except BadInput as error:
        logger.warning("Scanner settings not used, scanning with the defaults: %s", error)
        return ScanSettings()


def _settings_from(raw: Any, path: Path) -> ScanSettings:
    known = ScanSettings.__dataclass_fields__
    if not isinstance(raw, dict) or not set(raw) <= set(known):
        raise BadInput(
            f"The scanner settings in {path} are not of the right shape.",
            next_step=f"It holds only {', '.join(known)}. {SETTINGS_HELP}",
        )
    for name, value in raw.items():
        wanted, said = (int, "a whole number") if name in _NUMBERS else (str, "text")
        if type(value) is not wanted:
            raise BadInput(f"'{name}' in {path} is not {said}.", next_step=SETTINGS_HELP)
    return ScanSettings(**raw)


def save_scan_settings(data_dir: Path, settings: ScanSettings) -> Path:
    """Keep ``settings`` in the station's ``scanner.json`` (replaced atomically)."""
    path = data_dir / SCANNER_FILE
    temporary = path.with_name(path.name + ".new")
    try:
        temporary.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise BadInput(
            f"The scanner settings could not be saved to {path}: {exc.strerror}.",
            next_step="Check the data folder and the disk, then try again.",
        ) from None
    return path


def changed(settings: ScanSettings, **values: Any) -> ScanSettings:
    """``settings`` with ``values`` (those not None) changed, validated."""
    return replace(settings, **{k: v for k, v in values.items() if v is not None})


def describe(settings: ScanSettings) -> str:
    """The settings as IT reads them on the command line."""
    return "\n".join(
        [
            f"Gap        {settings.max_gap_ms} ms at most between two keys of a scan",
            f"Shortest   {settings.min_length} characters",
            f"Prefix     {settings.prefix or 'none'}",
            f"Suffix     {settings.suffix or 'none'} (Enter always ends a code)",
            f"GS (FNC1)  Ctrl+]{f' or {settings.gs_stand_in}' if settings.gs_stand_in else ''}",
        ]
    )
