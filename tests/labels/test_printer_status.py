"""After a raw 9100 send the printer is asked (``~HS``): "printed" only on its answer that
the label was taken in with no error; silence is "not confirmed"; its problems are said."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.domain.labels import LabelKind
from app.labels.printer_status import parse_host_status
from app.labels.printing import print_label
from app.labels.profiles import BUILT_IN, PrinterProfile, Transport, default_setup
from app.labels.samples import SHELF, SHIPPING
from app.labels.transports import Delivered
from app.services.printing import PrintService
from app.storage.engine import Database
from tests.labels.listener import READY, DeafPrinter, PrinterListener, host_status


def _zebra(target: str) -> PrinterProfile:
    return dataclasses.replace(
        BUILT_IN["zebra-4x6-203"],
        transport=Transport.TCP,
        target=target,
        timeout_s=2,
        status_timeout_s=0.5,
    )


@pytest.fixture
def deaf() -> Iterator[DeafPrinter]:
    printer = DeafPrinter()
    yield printer
    printer.close()


def test_a_printer_that_accepts_and_never_reads_is_not_confirmed(deaf: DeafPrinter) -> None:
    sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(deaf.target))
    assert sent.delivery.state is Delivered.SENT and not sent.delivery.printed
    said = sent.delivery.told("bench-zebra")
    assert said.startswith("Sent to bench-zebra") and "not confirmed" in said
    assert "Printed" not in said


def test_a_printer_that_reads_but_never_answers_is_not_confirmed() -> None:
    printer = PrinterListener(answer=None)
    try:
        sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(printer.target))
        (job,) = printer.wait_for_jobs(1)
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.SENT
    assert b"^XA\n^CI28" in job and printer.status_asked == 1


@pytest.mark.parametrize(
    ("answer", "problems"),
    [
        (host_status(paper_out=True), ("paper out",)),
        (host_status(head_open=True), ("head open",)),
        (
            host_status(paper_out=True, head_open=True, paused=True),
            ("paper out", "head open", "paused"),
        ),
        (host_status(partial=True), ("the label arrived only in part",)),
    ],
)
def test_a_printer_that_reports_a_problem_says_it(answer: bytes, problems: tuple[str, ...]) -> None:
    printer = PrinterListener(answer=answer)
    try:
        sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(printer.target))
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.HELD and sent.delivery.problems == problems
    said = sent.delivery.told("bench-zebra")
    assert f"the printer reports: {', '.join(problems)}" in said and "Printed" not in said


def test_a_printer_that_answers_ready_printed_it() -> None:
    printer = PrinterListener()
    try:
        sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(printer.target))
        (job,) = printer.wait_for_jobs(1)
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.PRINTED
    assert sent.delivery.told("bench-zebra") == f"Printed on bench-zebra (tcp://{printer.target})."
    assert job.endswith(b"^XZ\n") and printer.status_asked == 1


def test_a_label_waiting_in_the_printer_is_printed_once_it_has_left_the_buffer() -> None:
    printer = PrinterListener(answers=(host_status(waiting=1), READY))
    try:
        sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(printer.target))
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.PRINTED and printer.status_asked == 2


def test_a_label_still_waiting_in_the_printer_is_not_printed() -> None:
    printer = PrinterListener(answer=host_status(waiting=1))
    try:
        sent = print_label(LabelKind.SHIPPING, SHIPPING, _zebra(printer.target))
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.WAITING and not sent.delivery.printed
    said = sent.delivery.told("bench-zebra")
    assert said.startswith("Sent to bench-zebra") and "waiting in the printer" in said
    assert "Printed" not in said and printer.status_asked > 1


def test_host_status_needs_all_three_strings() -> None:
    assert parse_host_status(READY[:-10]) is None
    assert parse_host_status(b"") is None
    status = parse_host_status(READY)
    assert status is not None and status.ready and status.formats_waiting == 0
    waiting = parse_host_status(host_status(waiting=12))
    assert waiting is not None and waiting.ready and waiting.formats_waiting == 12


def test_a_pdf_printer_on_9100_is_never_asked(tmp_path: Path) -> None:
    printer = PrinterListener()
    try:
        profile = dataclasses.replace(
            BUILT_IN["a4-laser"], transport=Transport.TCP, target=printer.target, timeout_s=2
        )
        sent = print_label(LabelKind.SHELF, SHELF, profile)
        (job,) = printer.wait_for_jobs(1)
    finally:
        printer.close()
    assert sent.delivery.state is Delivered.SENT and printer.status_asked == 0
    assert job.startswith(b"%PDF")


def test_the_station_records_how_far_each_label_got(tmp_path: Path, deaf: DeafPrinter) -> None:
    db = Database(tmp_path / "station.sqlite3")
    try:
        setup = default_setup()
        setup.profiles["deaf"] = dataclasses.replace(_zebra(deaf.target), name="deaf")
        service = PrintService(db=db, setup=setup, spool_dir=tmp_path / "printed")
        unconfirmed = service.print_label(LabelKind.SHIPPING, SHIPPING, profile="deaf")
        saved = service.print_label(LabelKind.SHIPPING, SHIPPING, profile="zebra-4x6-203")
        history = [(job.status, job.reprint) for job in service.history(SHIPPING.sscc)]
    finally:
        db.dispose()
    assert not unconfirmed.printed and "not confirmed" in unconfirmed.said
    assert not saved.printed and saved.said.startswith("Saved to a file, not printed: ")
    assert history == [("sent", False), ("saved", True)]


def test_the_cli_says_not_confirmed_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "station"
    root.mkdir()
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(root))
    printer = PrinterListener(answer=host_status(paper_out=True))
    deaf = DeafPrinter()
    try:
        (root / "printers.json").write_text(
            '{"profiles": ['
            f'{{"name": "deaf", "base": "zebra-4x6-203", "transport": "tcp", '
            f'"target": "{deaf.target}", "status_timeout_s": 0.3}}, '
            f'{{"name": "empty", "base": "zebra-4x6-203", "transport": "tcp", '
            f'"target": "{printer.target}", "status_timeout_s": 0.3}}]}}',
            encoding="utf-8",
        )
        assert main(["label", "print", "shipping", "--sample", "--profile", "deaf"]) == 1
        assert "not confirmed" in capsys.readouterr().out
        assert main(["label", "print", "shipping", "--sample", "--profile", "empty"]) == 1
        assert "the printer reports: paper out" in capsys.readouterr().out
        assert main(["label", "print", "shipping", "--sample"]) == 0  # the file profile
        assert "Saved to a file, not printed" in capsys.readouterr().out
    finally:
        printer.close()
        deaf.close()


def test_send_font_says_stored_only_when_the_printer_confirms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "station"
    root.mkdir()
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(root))
    ready, empty = PrinterListener(), PrinterListener(host_status(paper_out=True))
    deaf = DeafPrinter()
    try:
        profiles = [
            f'{{"name": "{name}", "base": "zebra-4x6-203", "transport": "tcp", '
            f'"target": "{target}", "status_timeout_s": 0.3}}'
            for name, target in (
                ("z", ready.target),
                ("empty", empty.target),
                ("deaf", deaf.target),
            )
        ]
        (root / "printers.json").write_text(
            f'{{"profiles": [{", ".join(profiles)}]}}', encoding="utf-8"
        )
        assert main(["label", "send-font", "z"]) == 0
        said = capsys.readouterr().out
        assert f"stored on z (tcp://{ready.target})." in said and "Printed" not in said
        (job,) = ready.wait_for_jobs(1)
        assert job.startswith(b"~DY") and ready.status_asked == 1
        assert main(["label", "send-font", "empty"]) == 1
        said = capsys.readouterr().out
        assert "sent to empty, not confirmed: the printer reports: paper out" in said
        assert main(["label", "send-font", "deaf"]) == 1
        said = capsys.readouterr().out
        assert "sent to deaf" in said and "not confirmed" in said and "stored on" not in said
    finally:
        ready.close()
        empty.close()
        deaf.close()
