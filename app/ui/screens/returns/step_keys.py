"""The line that says what to do next, taking the one-key answers to it (A B C D, R S,
1–9, M) while the cursor is on it.

A wedge scanner is a keyboard too: a scan with the cursor here would type its characters
as answers ("KURTA-M" would grade, toggle, pick a reason). So a printable key waits a
moment: a key alone is an answer; keys in a burst, or a scan arriving (``drop``), are
not. Esc, Backspace, ↑↓ and Enter act at once: scanners do not send them (a scan's
Enter is taken by the scanner input before it reaches here).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLabel

KEY_PAUSE_MS = 120  # three times the scanner's widest gap between keys
_NAMED = {
    Qt.Key.Key_Escape: "esc",
    Qt.Key.Key_Backspace: "undo",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
}


class StepKeys(QLabel):
    """The step's words, with the keyboard focus while an answer is due."""

    answered = Signal(str)  # one printable key, as typed
    pressed = Signal(str)  # esc, undo, up, down, enter

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "heading")
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("What to do next")
        self._keys: list[str] = []
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(KEY_PAUSE_MS)
        self._pause.timeout.connect(self._on_pause)

    def drop(self) -> None:
        """A scan arrived: the keys waiting were its characters, not answers."""
        self._pause.stop()
        self._keys.clear()

    def waiting(self) -> int:
        """Keys typed that wait for the pause to tell whether they are an answer."""
        return len(self._keys)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers()
        control = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if control and event.key() == Qt.Key.Key_Z:
            self.pressed.emit("undo")
            return
        named = _NAMED.get(Qt.Key(event.key()))
        if named is not None and not control:
            self.drop()
            self.pressed.emit(named)
            return
        text = event.text()
        if len(text) == 1 and text.isprintable() and not control and text != " ":
            self._keys.append(text)
            self._pause.start()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.drop()
        super().focusOutEvent(event)

    def _on_pause(self) -> None:
        keys, self._keys = self._keys, []
        if len(keys) == 1:
            self.answered.emit(keys[0])
