"""The label preview dialog (real widgets, offscreen): preview, print, retry, save as PDF."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPrintSupport")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.domain.labels import LabelKind
from app.labels.printing import page_images
from app.labels.profiles import BUILT_IN, Transport, default_setup
from app.labels.samples import SHIPPING
from app.labels.templates import lay_out
from app.services.printing import PrintService
from app.storage.engine import Database
from app.ui.label_preview import LabelPreviewDialog
from app.ui.system_printer import print_on_system_printer
from app.ui.tasks import TaskRunner
from tests.labels.listener import PrinterListener, refused_port
from tests.labels.support import decode, pdf_pages


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "station.sqlite3")
    yield database
    database.dispose()


def _service(db: Database, tmp_path: Path, target: str) -> PrintService:
    setup = default_setup()
    profile = dataclasses.replace(
        setup.profiles["zebra-4x6-203"],
        name="bench-zebra",
        transport=Transport.TCP,
        target=target,
        timeout_s=2,
    )
    setup.profiles[profile.name] = profile
    setup.by_kind[LabelKind.SHIPPING] = profile.name
    return PrintService(db=db, setup=setup, spool_dir=tmp_path / "printed")


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    assert tasks.shutdown(10_000)


def _dialog(qtbot: QtBot, runner: TaskRunner, service: PrintService) -> LabelPreviewDialog:
    dialog = LabelPreviewDialog(
        service=service, runner=runner, kind=LabelKind.SHIPPING, data=SHIPPING, staff_code="A100"
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=10_000)
    return dialog


def test_preview_shows_the_label_at_printer_dots_and_prints(
    qtbot: QtBot, runner: TaskRunner, db: Database, tmp_path: Path
) -> None:
    printer = PrinterListener()
    try:
        dialog = _dialog(qtbot, runner, _service(db, tmp_path, printer.target))
        first = dialog.pages.itemAt(0)
        assert first is not None
        page = first.widget()
        assert isinstance(page, QLabel)
        assert page.pixmap().size().width() == 812 and page.pixmap().size().height() == 1218
        assert not dialog.reprint_button.isEnabled()
        with qtbot.waitSignal(dialog.printed, timeout=10_000) as printed:
            dialog.print_button.click()
        assert printed.args[0].reprint is False
        assert b"^XA\n^CI28" in printer.wait_for_jobs(1)[0]
        assert dialog.reprint_button.isEnabled()
        with qtbot.waitSignal(dialog.printed, timeout=10_000) as again:
            dialog.reprint_button.click()
        assert again.args[0].reprint is True
        assert "Reprinted" in dialog.message.text()
    finally:
        printer.close()


def test_failed_print_offers_retry_and_save_as_pdf(
    qtbot: QtBot, runner: TaskRunner, db: Database, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, runner, _service(db, tmp_path, f"127.0.0.1:{refused_port()}"))
    with qtbot.waitSignal(dialog.print_failed, timeout=10_000):
        dialog.print_button.click()
    assert "refused the connection" in dialog.message.text()
    assert dialog.print_button.text() == "Retry"
    target = tmp_path / "saved.pdf"
    dialog.save_pdf_to(target)
    qtbot.waitUntil(lambda: "Saved as" in dialog.message.text(), timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")


def test_system_printer_draws_the_printer_image_one_to_one(qtbot: QtBot, tmp_path: Path) -> None:
    profile = BUILT_IN["zebra-4x6-203"]
    pages = page_images(lay_out(LabelKind.SHIPPING, SHIPPING, profile), profile)
    assert pages[0].info["dpi"] == (203, 203)
    out = tmp_path / "qprinter.pdf"
    print_on_system_printer("", pages, output_pdf=out)
    (image,) = pdf_pages(out.read_bytes(), 203)
    assert abs(image.width - 812) <= 1 and abs(image.height - 1218) <= 1
    texts = {t for _, t, _ in decode(image)}
    assert {SHIPPING.tracking_number, "00106141412345678908"} <= texts
    assert isinstance(image, Image.Image)


def test_enter_prints_then_closes(
    qtbot: QtBot, runner: TaskRunner, db: Database, tmp_path: Path
) -> None:
    printer = PrinterListener()
    try:
        dialog = _dialog(qtbot, runner, _service(db, tmp_path, printer.target))
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.print_button.hasFocus)
        with qtbot.waitSignal(dialog.printed, timeout=10_000) as printed:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert printed.args[0].printed and printer.wait_for_jobs(1)
        assert dialog.close_button.hasFocus()  # printed: the next Enter closes
        with qtbot.waitSignal(dialog.finished, timeout=10_000):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert len(printer.jobs) == 1
    finally:
        printer.close()


def test_a_label_saved_to_a_file_is_never_shown_as_printed(
    qtbot: QtBot, runner: TaskRunner, db: Database, tmp_path: Path
) -> None:
    setup = default_setup()
    service = PrintService(db=db, setup=setup, spool_dir=tmp_path / "printed")
    dialog = _dialog(qtbot, runner, service)  # shipping labels go to a file profile
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        dialog.print_button.click()
    assert dialog.message.tone() == "warn"
    assert dialog.message.text().startswith("Saved to a file, not printed: ")
    assert "Printed" not in dialog.message.text()
    again = _dialog(qtbot, runner, service)
    assert again.message.text() == (
        "Saved to a file once before; printing it again counts as a reprint."
    )


def test_short_media_and_a_missing_folder_are_said_plainly(
    qtbot: QtBot, runner: TaskRunner, db: Database, tmp_path: Path
) -> None:
    setup = default_setup()
    setup.by_kind[LabelKind.SHIPPING] = "zebra-4x3-203"  # as a hand-edited printers.json
    service = PrintService(db=db, setup=setup, spool_dir=tmp_path / "printed")
    dialog = LabelPreviewDialog(
        service=service, runner=runner, kind=LabelKind.SHIPPING, data=SHIPPING, staff_code=None
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.message.tone() == "error", timeout=10_000)
    said = dialog.message.text()
    assert said.startswith("The shipping label does not fit zebra-4x3-203 (101.6 x 76.2 mm")
    assert "Choose a profile it fits: zebra-4x6-203" in said
    assert not dialog.print_button.isEnabled()  # nothing to print

    setup.by_kind[LabelKind.SHIPPING] = "zebra-4x6-203"
    dialog.save_pdf_to(tmp_path / "no-such-folder" / "label.pdf")
    qtbot.waitUntil(lambda: "does not exist" in dialog.message.text(), timeout=10_000)
    assert dialog.message.tone() == "error"
