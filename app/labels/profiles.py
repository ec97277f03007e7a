"""Printer profiles: media, dpi, language, transport, offsets; and which one prints what.

Built-in profiles cover the usual station printers. A station keeps its own choices in
``<data dir>/printers.json``::

    {"profiles": [{"name": "bench-zebra", "base": "zebra-4x6-203",
                   "transport": "tcp", "target": "10.0.0.41:9100"}],
     "by_kind": {"shipping": "bench-zebra", "packing-slip": "a4-laser"}}

A profile entry either names a ``base`` and overrides some fields, or gives them all.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.domain.labels import LabelKind
from app.errors import BadInput, NotFound
from app.labels.zpl_fonts import FontSource


class Language(StrEnum):
    PDF = "pdf"
    ZPL = "zpl"


class Transport(StrEnum):
    FILE = "file"  # write into a folder (or a file path)
    TCP = "tcp"  # raw TCP, port 9100
    CUPS = "cups"  # CUPS raw queue through ``lp -o raw``
    SYSTEM = "system"  # the system printer, drawn 1:1 by the terminal UI (QPrinter)


ZPL_MAX_WIDTH_MM = 168.0  # 6.6 in: the widest print head of the usual ZPL label printers


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    description: str
    width_mm: float
    height_mm: float
    dpi: int
    language: Language
    transport: Transport = Transport.FILE
    target: str = ""  # folder/file, host:port, CUPS queue, or system printer name
    offset_x: int = 0  # dots, added to every position (printer alignment)
    offset_y: int = 0
    bar_reduction: float = 0.0  # dots taken off each bar (toner/ink spread), PDF and PNG
    timeout_s: float = 5.0
    status_timeout_s: float = 3.0  # how long a ZPL printer has to answer ~HS after a label
    fonts: FontSource = FontSource.EMBED  # ZPL: TrueType fonts carried by each label or stored

    def __post_init__(self) -> None:
        if self.dpi not in (203, 300, 600):
            raise BadInput(f"Printer profile {self.name}: {self.dpi} dpi is not 203, 300 or 600.")
        if self.width_mm <= 0 or self.height_mm <= 0:
            raise BadInput(f"Printer profile {self.name}: media has no size.")
        if self.language is Language.ZPL and self.width_mm > ZPL_MAX_WIDTH_MM:
            raise BadInput(
                f"Printer profile {self.name}: ZPL is for label printers, which print at most "
                f"{ZPL_MAX_WIDTH_MM:g} mm wide, not {self.media} sheets.",
                next_step="Give a sheet printer (A4, Letter) the language pdf.",
            )

    @property
    def width(self) -> int:
        return round(self.width_mm * self.dpi / 25.4)

    @property
    def height(self) -> int:
        return round(self.height_mm * self.dpi / 25.4)

    @property
    def media(self) -> str:
        return f"{self.width_mm:g} x {self.height_mm:g} mm"

    def at_dpi(self, dpi: int) -> PrinterProfile:
        """The same media at another resolution."""
        return dataclasses.replace(self, name=f"{self.name}@{dpi}", dpi=dpi)


def _thermal(name: str, w: float, h: float, dpi: int, what: str) -> PrinterProfile:
    return PrinterProfile(name, what, w, h, dpi, Language.ZPL)


BUILT_IN: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        _thermal("zebra-4x6-203", 101.6, 152.4, 203, "4x6 in thermal, 203 dpi, ZPL"),
        _thermal("zebra-4x6-300", 101.6, 152.4, 300, "4x6 in thermal, 300 dpi, ZPL"),
        _thermal("zebra-4x3-203", 101.6, 76.2, 203, "4x3 in thermal, 203 dpi, ZPL"),
        _thermal("zebra-4x3-300", 101.6, 76.2, 300, "4x3 in thermal, 300 dpi, ZPL"),
        _thermal("zebra-4x2-203", 101.6, 50.8, 203, "4x2 in thermal, 203 dpi, ZPL"),
        _thermal("zebra-4x2-300", 101.6, 50.8, 300, "4x2 in thermal, 300 dpi, ZPL"),
        _thermal("shelf-50x30-203", 50.0, 30.0, 203, "50x30 mm shelf label, 203 dpi, ZPL"),
        _thermal("shelf-50x30-300", 50.0, 30.0, 300, "50x30 mm shelf label, 300 dpi, ZPL"),
        PrinterProfile(
            "a4-laser",
            "A4 laser, PDF at 300 dpi",
            210.0,
            297.0,
            300,
            Language.PDF,
            bar_reduction=0.3,
        ),
        PrinterProfile(
            "letter-laser",
            "US Letter laser, PDF at 300 dpi",
            215.9,
            279.4,
            300,
            Language.PDF,
            bar_reduction=0.3,
        ),
        PrinterProfile(
            "pdf-4x6-203",
            "4x6 in label as PDF for a desktop label printer, 203 dpi",
            101.6,
            152.4,
            203,
            Language.PDF,
            Transport.SYSTEM,
        ),
    )
}

DEFAULT_BY_KIND: dict[LabelKind, str] = {
    LabelKind.SHIPPING: "zebra-4x6-203",
    LabelKind.PACKING_SLIP: "a4-laser",
    LabelKind.PICKUP_TAG: "zebra-4x3-203",
    LabelKind.RETURN: "zebra-4x2-203",
    LabelKind.SHELF: "shelf-50x30-203",
    LabelKind.BIN: "zebra-4x2-203",
}


@dataclass(frozen=True)
class PrinterSetup:
    """The profiles a station knows and which one it uses for each kind of label."""

    profiles: dict[str, PrinterProfile]
    by_kind: dict[LabelKind, str]

    def profile(self, name: str) -> PrinterProfile:
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise NotFound(
                f"There is no printer profile named '{name}'.", next_step=f"Known: {known}."
            ) from None

    def for_kind(self, kind: LabelKind) -> PrinterProfile:
        return self.profile(self.by_kind.get(kind, DEFAULT_BY_KIND[kind]))


def default_setup() -> PrinterSetup:
    return PrinterSetup(dict(BUILT_IN), dict(DEFAULT_BY_KIND))


_SHAPE = (
    'printers.json must hold {"profiles": [ {...}, ... ], "by_kind": {"shipping": "NAME", ...}}'
)


_WHOLE, _NUMBER, _TEXT = "a whole number", "a number", "text"
_FIELD_TYPES: dict[str, str] = {
    "name": _TEXT,
    "base": _TEXT,
    "description": _TEXT,
    "width_mm": _NUMBER,
    "height_mm": _NUMBER,
    "dpi": _WHOLE,
    "language": _TEXT,
    "transport": _TEXT,
    "target": _TEXT,
    "offset_x": _WHOLE,
    "offset_y": _WHOLE,
    "bar_reduction": _NUMBER,
    "timeout_s": _NUMBER,
    "status_timeout_s": _NUMBER,
    "fonts": _TEXT,
}


def _is(value: Any, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (kind == _NUMBER and isinstance(value, float))


def _check_types(entry: dict[str, Any]) -> None:
    """Refuse a field of the wrong JSON type, naming the profile, the field and its type."""
    name = entry.get("name")
    who = f"printer profile '{name}'" if isinstance(name, str) else "a printer profile"
    for field, value in entry.items():
        kind = _FIELD_TYPES.get(field)
        if kind is not None and not _is(value, kind):
            raise BadInput(
                f"{who}: '{field}' must be {kind}, not {json.dumps(value)}.",
                next_step=f"Fix the file: {_SHAPE}.",
            )


def _profile_from(entry: dict[str, Any], known: dict[str, PrinterProfile]) -> PrinterProfile:
    _check_types(entry)
    entry = dict(entry)
    base_name = entry.pop("base", None)
    try:
        if base_name is not None:
            if base_name not in known:
                raise BadInput(f"Printer profile base '{base_name}' is not known.")
            fields = {**dataclasses.asdict(known[base_name]), **entry}
        else:
            fields = entry
        fields["language"] = Language(fields["language"])
        fields["transport"] = Transport(fields.get("transport", "file"))
        fields["fonts"] = FontSource(fields.get("fonts", "embed"))
        return PrinterProfile(**fields)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"A printer profile is not usable: {exc}.") from None


def _shaped(raw: Any, path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The profile entries and label-kind choices of a parsed printers.json, or BadInput."""

    def wrong(what: str) -> BadInput:
        return BadInput(f"{path}: {what}.", next_step=f"Fix the file: {_SHAPE}.")

    if not isinstance(raw, dict):
        raise wrong(f"the file holds a {type(raw).__name__}, not an object")
    entries, by_kind = raw.get("profiles", []), raw.get("by_kind", {})
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise wrong("'profiles' must be a list of objects")
    if not isinstance(by_kind, dict) or not all(isinstance(n, str) for n in by_kind.values()):
        raise wrong("'by_kind' must map label kinds to profile names")
    return entries, by_kind


def load_setup(path: Path) -> PrinterSetup:
    """Built-in profiles plus the station's ``printers.json`` when it exists."""
    setup = default_setup()
    if not path.exists():
        return setup
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{path} cannot be read: {exc}.") from None
    entries, chosen = _shaped(raw, path)
    profiles = dict(setup.profiles)
    for entry in entries:
        try:
            profile = _profile_from(entry, profiles)
        except BadInput as exc:
            raise BadInput(f"{path}: {exc.message}", next_step=exc.next_step) from None
        profiles[profile.name] = profile
    by_kind = dict(setup.by_kind)
    for kind, name in chosen.items():
        try:
            by_kind[LabelKind(kind)] = name
        except ValueError:
            raise BadInput(f"printers.json names an unknown label kind '{kind}'.") from None
    result = PrinterSetup(profiles, by_kind)
    for kind in by_kind:
        result.for_kind(kind)
    return result
