"""Label preview: the label as its printer will print it, with Print, Reprint, Save as PDF.

The preview is the PNG drawn at the printer's dpi, shown one screen pixel per printer
dot. Printing runs on the network/printing worker; a failure says what happened and
offers retry or save as PDF; the Print button turns into Retry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.labels import LabelData, LabelKind
from app.errors import KnownError
from app.services.printing import LabelPreview, PrintOutcome, PrintService
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label

MIN_WIDTH = 640
PAGE_MARGIN = 16
PAGE_STYLE = "QLabel { background: #ffffff; border: 1px solid #c8ccd4; }"


class LabelPreviewDialog(QDialog):
    """Shows one label for its printer; prints, reprints, saves as PDF."""

    printed = Signal(object)  # PrintOutcome
    print_failed = Signal(object)  # KnownError

    def __init__(
        self,
        *,
        service: PrintService,
        runner: TaskRunner,
        kind: LabelKind,
        data: LabelData,
        staff_code: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._kind = kind
        self._data = data
        self._staff_code = staff_code
        self.setWindowTitle("Label preview")
        self.setModal(True)
        self.resize(MIN_WIDTH, 420)

        self.title = label("", role="heading")
        self.details = label("", role="muted")
        self.pages = QVBoxLayout()
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.pages.setSpacing(PAGE_MARGIN)
        holder = QWidget()
        holder.setLayout(self.pages)
        self.page_area = QScrollArea()
        self.page_area.setWidget(holder)
        self.page_area.setWidgetResizable(True)
        self.message = MessageLine()

        self.print_button = button("Print", primary=True)
        self.reprint_button = button("Reprint")
        self.save_button = button("Save as PDF…")
        self.close_button = button("Close")
        self.print_button.clicked.connect(self._on_print_clicked)
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.close_button.clicked.connect(self.reject)
        self.reprint_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.print_button.setDefault(True)  # Enter prints: the next action in a preview
        self._printing = False

        buttons = QHBoxLayout()
        for widget in (self.print_button, self.reprint_button, self.save_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.page_area, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self._runner.run_db(
            self._service.preview,
            kind,
            data,
            on_done=self._on_preview_ready,
            on_error=self._on_failed,
        )

    def _on_preview_ready(self, preview: LabelPreview) -> None:
        kind = str(preview.kind).replace("-", " ").capitalize()
        self.title.setText(f"{kind} label · {preview.reference}")
        self.details.setText(
            f"{preview.profile}: {preview.media}, {preview.dpi} dpi, "
            f"{len(preview.pages_png)} page(s), shown one pixel per printer dot"
        )
        width = height = 0
        for png in preview.pages_png:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(QImage.fromData(png)))
            page.setAccessibleName("Label page")
            page.setStyleSheet(PAGE_STYLE)
            self.pages.addWidget(page)
            width = max(width, page.sizeHint().width())
            height += page.sizeHint().height() + PAGE_MARGIN
        self._fit_to(width, height)
        self.print_button.setEnabled(True)
        self.print_button.setFocus()
        self.reprint_button.setEnabled(bool(preview.history_note))
        if preview.history_note:
            self.message.show_info(preview.history_note)

    def _fit_to(self, pages_width: int, pages_height: int) -> None:
        """Grow to show the pages whole when they fit inside the window; else scroll."""
        parent = self.parentWidget()
        room = parent.window().size() if parent is not None else QSize(1280, 900)
        area = QSize(pages_width + 2 * PAGE_MARGIN + 4, pages_height + PAGE_MARGIN + 4)
        chrome = self.size() - self.page_area.size()
        wanted = (area + chrome).expandedTo(QSize(MIN_WIDTH, 0))
        self.resize(wanted.boundedTo(room * 0.92))

    def _on_print_clicked(self) -> None:
        self._print(reprint=None)

    def _on_reprint_clicked(self) -> None:
        self._print(reprint=True)

    def _print(self, *, reprint: bool | None) -> None:
        # The buttons stay on while it prints: one turned off under the keyboard would hand
        # focus (and the next Enter) to "Save as PDF…". A second press meanwhile is ignored.
        if self._printing:
            return
        self._printing = True
        self.message.show_info("Printing…")
        self._runner.run_net(
            lambda: self._service.print_label(
                self._kind, self._data, staff_code=self._staff_code, reprint=reprint
            ),
            on_done=self._on_printed,
            on_error=self._on_failed,
        )

    def _on_printed(self, outcome: PrintOutcome) -> None:
        if outcome.printed:
            what = "Reprinted" if outcome.reprint else "Printed"
            self.message.show_ok(f"{what} on {outcome.profile} ({outcome.where}).")
        else:  # a file, a queue, or a printer that did not confirm: never "printed"
            self.message.show_warning(outcome.said)
        self._printing = False
        self.print_button.setText("Print")
        self.reprint_button.setEnabled(True)
        self.close_button.setDefault(True)  # done: Enter now closes, it does not print again
        self.close_button.setFocus()
        self.printed.emit(outcome)

    def _on_failed(self, error: KnownError) -> None:
        self._printing = False
        self.message.show_error(error)
        if self.print_button.isEnabled():  # a print failed (not the preview): Enter retries
            self.print_button.setText("Retry")
            self.print_button.setFocus()
        self.print_failed.emit(error)

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save label as PDF", f"{self._kind}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.save_pdf_to(Path(path))

    def save_pdf_to(self, path: Path) -> None:
        """Save the label as PDF at ``path`` (on the printing worker)."""
        self._runner.run_net(
            self._service.save_pdf,
            self._kind,
            self._data,
            path,
            on_done=lambda saved: self.message.show_ok(f"Saved as {saved}."),
            on_error=self.message.show_error,
        )


def open_label_preview(
    parent: QWidget,
    *,
    service: PrintService,
    runner: TaskRunner,
    kind: LabelKind,
    data: LabelData,
    staff_code: str | None,
    on_closed: Callable[[], None],
) -> LabelPreviewDialog:
    """Open the preview over ``parent``'s screen; once closed, the dialog is disposed, the
    window takes the keyboard back (for the scanner) and ``on_closed`` runs."""
    dialog = LabelPreviewDialog(
        service=service, runner=runner, kind=kind, data=data, staff_code=staff_code, parent=parent
    )

    def _closed() -> None:
        dialog.deleteLater()
        parent.window().activateWindow()
        on_closed()

    dialog.finished.connect(_closed)
    dialog.open()
    return dialog
