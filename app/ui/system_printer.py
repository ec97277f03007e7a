"""The ``system`` print transport: a printer-resolution image drawn 1:1 through QPrinter.

The label is rendered at the printer's own dpi (``app.labels.printing.page_images``) and
QPrinter is set to that resolution, so one image pixel is one printer dot: never a
screen-resolution image scaled. ``PrintService`` receives this function as its
``system_printer`` from the composition root.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.errors import PrintFailed
from app.services.printing_destinations import PrinterState


def print_on_system_printer(
    printer_name: str, pages: Sequence[Image.Image], *, output_pdf: Path | None = None
) -> None:
    """Print page images made at the printer's resolution, one image pixel per dot."""
    if not pages:
        return
    dpi = round(float(pages[0].info.get("dpi", (203, 203))[0]))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if output_pdf is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output_pdf))
    elif printer_name:
        printer.setPrinterName(printer_name)
    if not printer.isValid():
        raise PrintFailed(
            f"The printer '{printer_name or 'default'}' is not available.",
            next_step="Check it is installed and on, or save the label as PDF.",
        )
    printer.setResolution(dpi)
    printer.setFullPage(True)
    width, height = pages[0].size
    size = QPageSize(QSizeF(width / dpi, height / dpi), QPageSize.Unit.Inch, "Label")
    printer.setPageSize(size)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            "The system printer did not start the job.",
            next_step="Retry, or save the label as PDF.",
        )
    try:
        for index, page in enumerate(pages):
            if index:
                printer.newPage()
            grey = page.convert("L")
            image = QImage(
                grey.tobytes(), grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8
            )
            painter.drawImage(0, 0, image)
    finally:
        painter.end()


def system_printer_names() -> list[str]:
    """The printers this system offers, by name (empty when none is set up)."""
    return sorted(QPrinterInfo.availablePrinterNames())


def system_printer_state(profile: str, printer_name: str) -> PrinterState:
    """What the system says of ``printer_name`` (empty: the default printer)."""
    info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo.defaultPrinter()
    where = f"system:{printer_name or 'default'}"
    if info.isNull():
        said = (
            f"This system has no printer named '{printer_name}'."
            if printer_name
            else "This system has no default printer set up."
        )
        return PrinterState(profile, where, False, said)
    state = info.state()
    words = {
        QPrinter.PrinterState.Idle: "Ready.",
        QPrinter.PrinterState.Active: "Printing.",
        QPrinter.PrinterState.Aborted: "Its last job was aborted.",
        QPrinter.PrinterState.Error: "It reports an error.",
    }
    return PrinterState(profile, where, state == QPrinter.PrinterState.Idle, words.get(state, ""))
