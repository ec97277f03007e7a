"""The crash handler: a bug is logged with its traceback and shown as an unexpected problem."""

from __future__ import annotations

import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import log

logger = log.get("ui")


def show_unexpected(parent: QWidget | None, summary: str, details: str) -> QMessageBox:
    """A non-blocking dialog for a bug: what to do now, with the details folded away."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Unexpected problem")
    box.setText("Something unexpected went wrong. Your saved work is safe.")
    box.setInformativeText(
        "Try again. If it keeps happening, call support and tell them the time; "
        f"the details are in the log.\n\n{summary}"
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def install_crash_handler() -> None:
    """Route uncaught exceptions to the log and, on the GUI thread, to a dialog."""
    open_boxes: list[QMessageBox] = []  # a dialog without a parent lives only while referenced

    def show(summary: str, details: str) -> None:
        box = show_unexpected(QApplication.activeWindow(), summary, details)
        open_boxes.append(box)
        box.finished.connect(lambda _result: open_boxes.remove(box))

    def on_uncaught(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        logger.error("Unexpected error:\n%s", details)
        app = QApplication.instance()
        if isinstance(app, QApplication) and threading.current_thread() is threading.main_thread():
            summary = f"{kind.__name__}: {error}"
            QTimer.singleShot(0, lambda: show(summary, details))

    def on_thread_uncaught(args: threading.ExceptHookArgs) -> None:
        details = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        logger.error("Unexpected error in thread %s:\n%s", args.thread, details)

    sys.excepthook = on_uncaught
    threading.excepthook = on_thread_uncaught
