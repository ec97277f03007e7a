"""The preview of the first hold-shelf bin label to print (:mod:`.bin_labels`): the label
drawn on the station's bin label printer profile, and what was done with it here before."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.domain.labels import BinLabel, LabelKind
from app.errors import KnownError
from app.services.printing import LabelPreview, PrintService
from app.ui.screens.bin_label_models import FittedImage
from app.ui.tasks import TaskRunner
from app.ui.widgets import label


class FirstLabelPreview(QFrame):
    """A panel with the first label's picture, its bin and what was done with it here."""

    def __init__(
        self,
        *,
        printing: PrintService,
        runner: TaskRunner,
        on_error: Callable[[KnownError], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self._printing = printing
        self._runner = runner
        self._on_error = on_error
        self._number = 0  # of the last preview asked for: an older answer is dropped
        self._previewed: tuple[str, str] | None = None  # (bin, profile) on show
        self.title = label("Preview", role="heading", wrap=True)
        self.picture = FittedImage()
        self.picture.setAccessibleName("Bin label preview")
        self.details = label("", role="muted", wrap=True)
        inside = QVBoxLayout(self)
        inside.setContentsMargins(16, 12, 16, 12)
        inside.setSpacing(8)
        inside.addWidget(self.title)
        inside.addWidget(self.picture, 1)
        inside.addWidget(self.details)

    def drop_pending(self) -> None:
        """Drop the answer of a preview still being drawn (at a log-out)."""
        self._number += 1

    def show_first(
        self, first: BinLabel | None, which: str, profile: str | None, *, again: bool = False
    ) -> None:
        """Preview ``first`` (``which``: "the first of 3 chosen") on ``profile``; blank
        without either. ``again``: draw it even when it is the one shown (after a print)."""
        if again:
            self._previewed = None
        if first is None or profile is None:
            self._previewed = None
            self.picture.show_picture(QPixmap())
            self.title.setText("Preview")
            self.details.setText("")
            return
        self.title.setText(f"Preview: {first.bin_code}, {which}")
        wanted = (first.bin_code, profile)
        if wanted == self._previewed:
            return
        self._previewed = wanted
        self._number += 1
        number = self._number
        self._runner.run_db(
            self._printing.preview,
            LabelKind.BIN,
            first,
            on_done=lambda shown: self._on_preview(number, shown),
            on_error=self._on_error,
        )

    def _on_preview(self, number: int, shown: LabelPreview) -> None:
        if number != self._number:
            return  # the choice moved on while it was drawn
        self.picture.show_picture(QPixmap.fromImage(QImage.fromData(shown.pages_png[0])))
        self.details.setText(
            f"{shown.profile}: {shown.media}, {shown.dpi} dpi. The barcode reads "
            f"{shown.reference}; this label was {_done_here(shown)}."
        )


def _done_here(shown: LabelPreview) -> str:
    """What was done with a bin label here before: only a printer's answer is a print."""
    done = [f"printed here {_times(shown.printed_before)}"] if shown.printed_before else []
    if shown.sent_before:
        done.append(f"sent here {_times(shown.sent_before)}, not confirmed")
    if shown.saved_before and not done:  # a file is not a print
        done.append(f"saved to a file {_times(shown.saved_before)}, never printed")
    return "; ".join(done) or "not printed here yet"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
