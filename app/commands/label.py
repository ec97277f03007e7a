"""``counterbench label``: render, print, list printer profiles, test-print.

counterbench label render KIND --data FILE.json --profile NAME --format pdf|zpl|png -o OUT
counterbench label print KIND --data FILE.json [--profile NAME]   (recorded in the station's
    print jobs when --data-dir holds a station; prints and reprints go through PrintService)
counterbench label profiles
counterbench label test-print PROFILE
counterbench label send-font PROFILE   (stores the TrueType fonts for "fonts": "stored")
counterbench label docs [-o docs]   (the parcel documents' pictures the README links)
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KINDS = ("shipping", "packing-slip", "pickup-tag", "return", "shelf", "bin")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("label", help="render and print labels")
    sub = parser.add_subparsers(dest="label_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", help="station data directory (printers.json lives here)")

    render = sub.add_parser("render", help="render a label to a file")
    render.add_argument("kind", choices=KINDS)
    source = render.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="label data as JSON")
    source.add_argument("--sample", action="store_true", help="use the built-in sample data")
    render.add_argument("--profile", help="printer profile (default: the station's for KIND)")
    render.add_argument("--format", choices=("pdf", "zpl", "png"), default="pdf")
    render.add_argument("-o", "--output", type=Path, required=True)
    common(render)
    render.set_defaults(run=_render)

    print_ = sub.add_parser("print", help="print a label on the station's printer")
    print_.add_argument("kind", choices=KINDS)
    source = print_.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="label data as JSON")
    source.add_argument("--sample", action="store_true", help="use the built-in sample data")
    print_.add_argument("--profile", help="printer profile (default: the station's for KIND)")
    common(print_)
    print_.set_defaults(run=_print)

    profiles = sub.add_parser("profiles", help="list printer profiles and who uses them")
    common(profiles)
    profiles.set_defaults(run=_profiles)

    test = sub.add_parser("test-print", help="print a test label on a profile")
    test.add_argument("profile")
    common(test)
    test.set_defaults(run=_test_print)

    font = sub.add_parser("send-font", help="store the Devanagari font on a ZPL printer")
    font.add_argument("profile")
    common(font)
    font.set_defaults(run=_send_font)

    docs = sub.add_parser("docs", help="draw the sample parcel documents into docs/")
    docs.add_argument("-o", "--output", type=Path, default=Path("docs"), help="folder")
    docs.set_defaults(run=_docs)


def _setup(args: argparse.Namespace) -> tuple[Any, Path]:
    from app.config import data_dir
    from app.labels.profiles import load_setup

    root = data_dir(args.data_dir)
    _log_to_file(root)
    return load_setup(root / "printers.json"), root


def _log_to_file(root: Path) -> None:
    """Log into the station's log file (none without a station), never onto stderr: the
    command says each error once, in its own words."""
    from app import log
    from app.config import StationPaths
    from app.services.printing import has_station_cache

    logs = StationPaths(root).logs if has_station_cache(root) else None
    log.configure(log_dir=logs, stderr=False)


def _data(args: argparse.Namespace) -> tuple[Any, Any]:
    from app.domain.labels import LabelKind
    from app.labels.data import load_label_data
    from app.labels.samples import SAMPLES

    kind = LabelKind(args.kind)
    return kind, SAMPLES[kind] if args.sample else load_label_data(kind, args.data)


def _render(args: argparse.Namespace) -> int:
    from app.labels.printing import Format, render
    from app.labels.templates import lay_out
    from app.labels.transports import write_output

    setup, _ = _setup(args)
    kind, data = _data(args)
    profile = setup.profile(args.profile) if args.profile else setup.for_kind(kind)
    label = lay_out(kind, data, profile)
    outputs = render(label, profile, Format(args.format))
    written = []
    for index, payload in enumerate(outputs):
        path = args.output
        if index:
            path = path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
        write_output(path, payload)
        written.append(str(path))
    print(
        f"{kind} label on {profile.name} ({profile.media}, {profile.dpi} dpi): {', '.join(written)}"
    )
    return 0


def _print(args: argparse.Namespace) -> int:
    kind, data = _data(args)
    with _printing(args) as printing:
        sent = printing.print_label(kind, data, profile=args.profile)
    again = " (a reprint)" if sent.reprint else ""
    print(f"{sent.kind} label{again}, {sent.format}: {sent.said}{_recorded(sent)}")
    return _exit_code(sent.delivery)


def _exit_code(delivery: Any) -> int:
    """0 when printed, queued or saved as asked; 1 when the printer did not confirm it,
    still holds it or reported a problem (paper out, head open …), so a script can tell."""
    from app.labels.transports import Delivered

    unconfirmed = (Delivered.SENT, Delivered.HELD, Delivered.WAITING)
    return 1 if delivery.state in unconfirmed else 0


@contextmanager
def _printing(args: argparse.Namespace) -> Iterator[Any]:
    """The station's PrintService; it records jobs when the data dir holds a station."""
    from app.config import StationPaths, data_dir
    from app.services.printing import has_station_cache, station_printing
    from app.storage.engine import Database

    root = data_dir(args.data_dir)
    _log_to_file(root)
    db = Database(StationPaths(root).cache_db) if has_station_cache(root) else None
    try:
        printing = station_printing(root, db)
        if printing.setup_problem is not None:  # never print elsewhere than was set up
            raise printing.setup_problem
        yield printing
    finally:
        if db is not None:
            db.dispose()


def _recorded(sent: Any) -> str:
    return f" (print job {sent.record_id})" if sent.record_id else ""


def _profiles(args: argparse.Namespace) -> int:
    setup, _ = _setup(args)
    users: dict[str, list[str]] = {}
    for kind, name in setup.by_kind.items():
        users.setdefault(name, []).append(str(kind))
    for name, p in sorted(setup.profiles.items()):
        target = f" -> {p.target}" if p.target else ""
        used = f"  [{', '.join(users[name])}]" if name in users else ""
        print(f"{name:<18} {p.media:<18} {p.dpi} dpi {p.language:<3} {p.transport}{target}{used}")
    return 0


def _test_print(args: argparse.Namespace) -> int:
    with _printing(args) as printing:
        sent = printing.test_print(args.profile)
    print(f"test {sent.kind} label, {sent.format}: {sent.said}{_recorded(sent)}")
    return _exit_code(sent.delivery)


def _docs(args: argparse.Namespace) -> int:
    from app.labels.docs_pictures import write_docs_pictures

    for path in write_docs_pictures(args.output):
        print(path)
    return 0


def _send_font(args: argparse.Namespace) -> int:
    from app.errors import BadInput
    from app.labels import fonts
    from app.labels.profiles import Language
    from app.labels.transports import deliver
    from app.labels.zpl_fonts import FontSource, font_download

    setup, root = _setup(args)
    profile = setup.profile(args.profile)
    if profile.language is not Language.ZPL:
        raise BadInput(f"{profile.name} prints PDF; only ZPL printers store fonts.")
    payload = b"".join(font_download(face, FontSource.STORED) for face in fonts.FILES)
    done = deliver(payload, profile, suffix="zpl", spool_dir=root / "printed")
    print(
        f'Fonts for ₹, accents and Devanagari (for profiles with "fonts": "stored"): '
        f"{_fonts_told(done, profile.name)}"
    )
    return _exit_code(done)


def _fonts_told(done: Any, printer: str) -> str:
    """What became of a font download, in the words of ``Delivery.told`` for a label."""
    from app.labels.transports import Delivered

    if done.state is Delivered.PRINTED:
        return f"stored on {printer} ({done.where})."
    if done.state is Delivered.HELD:
        return (
            f"sent to {printer}, not confirmed: the printer reports: "
            f"{', '.join(done.problems)}. Fix that at the printer and send the fonts again."
        )
    if done.state in (Delivered.SENT, Delivered.WAITING):
        return (
            f"sent to {printer} ({done.where}), not confirmed: the printer did not say it "
            "stored them. Send the fonts again when it answers."
        )
    return str(done.told(printer))
