"""Staff login: staff code + PIN (keyboard or on-screen keypad), or a badge scan.

Wrong PINs and lockouts are decided by ``AuthService`` (the lockout survives a restart);
this screen only says what happened and what to do next. A PIN has the station's number
of digits (4, or 6 where the retailer asks): the field takes no more, and a shorter PIN
is refused here with what to do, before any check.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import KnownError
from app.services.results import StaffSession
from app.ui.ports import Auth
from app.ui.scanner import ScanFeedback
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label, panel

KEYPAD_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("Clear", "0", "⌫"))


class LoginScreen(QWidget):
    """Who is at the counter. Emits ``logged_in`` with the staff session."""

    logged_in = Signal(object)  # StaffSession

    def __init__(
        self,
        *,
        auth: Auth,
        runner: TaskRunner,
        feedback: ScanFeedback | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        self._auth = auth
        self._runner = runner
        self._feedback = feedback
        self._staff_names: dict[str, str] = {}
        self._busy = False
        self.pin_digits = auth.pin_digits

        self.station_line = label("", role="muted")
        self.code_field = QLineEdit()
        self.code_field.setPlaceholderText("Staff code, e.g. A100")
        self.code_field.setAccessibleName("Staff code")
        self.staff_name = label("", role="muted")
        self.pin_field = QLineEdit()
        self.pin_field.setPlaceholderText(f"Type or tap your {self.pin_digits}-digit PIN")
        self.pin_field.setAccessibleName("PIN")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(self.pin_digits)
        self.pin_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{self.pin_digits}}}"), self)
        )
        self.submit = button("Log in", primary=True)
        self.message = MessageLine()

        self._build()
        self.code_field.textEdited.connect(self._on_code_edited)
        self.code_field.returnPressed.connect(self._on_code_entered)
        self.pin_field.returnPressed.connect(self._on_submit)
        self.submit.clicked.connect(self._on_submit)

    def _build(self) -> None:
        fields = QVBoxLayout()
        fields.setSpacing(10)
        fields.addWidget(label("Log in", role="title"))
        fields.addWidget(self.station_line)
        fields.addSpacing(8)
        fields.addWidget(label("Staff code", role="heading"))
        fields.addWidget(self.code_field)
        fields.addWidget(self.staff_name)
        fields.addWidget(label("PIN", role="heading"))
        fields.addWidget(self.pin_field)
        fields.addSpacing(8)
        fields.addWidget(self.submit)
        fields.addWidget(self.message)
        fields.addStretch(1)
        fields.addWidget(label("Or scan your badge anywhere on this screen.", role="muted"))

        card = panel()
        row = QHBoxLayout(card)
        row.setContentsMargins(32, 28, 32, 28)
        row.setSpacing(40)
        row.addLayout(fields, 1)
        keypad = QVBoxLayout()
        keypad.addLayout(self._keypad())
        keypad.addStretch(1)
        row.addLayout(keypad)
        card.setFixedWidth(860)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def _keypad(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        for r, keys in enumerate(KEYPAD_ROWS):
            for c, key in enumerate(keys):
                key_button = button(key, focus=False)
                key_button.setProperty("keypad", True)
                key_button.setAccessibleName({"⌫": "Delete last digit"}.get(key, key))
                key_button.clicked.connect(lambda _=False, k=key: self._on_keypad(k))
                grid.addWidget(key_button, r, c)
        return grid

    # -- what the main window calls -------------------------------------------------

    def set_station(self, text: str) -> None:
        """Show which station this is (location and station name)."""
        self.station_line.setText(text)

    def reset(self, message: str = "") -> None:
        """Empty the form and put the cursor in the staff code field."""
        self.code_field.clear()
        self.pin_field.clear()
        self.staff_name.clear()
        if message:
            self.message.show_info(message)
        else:
            self.message.clear_message()
        self.code_field.setFocus()
        self._runner.run_db(self._auth.staff_codes, on_done=self._on_staff_codes, on_error=None)

    def on_scan(self, code: str) -> None:
        """A badge scan logs in whoever it belongs to."""
        if self._busy:
            return
        self._set_busy(True)
        self._runner.run_db(
            self._auth.login_badge, code, on_done=self._on_logged_in, on_error=self._on_badge_failed
        )

    # -- slots ---------------------------------------------------------------------

    def _on_staff_codes(self, codes: list[tuple[str, str]]) -> None:
        self._staff_names = {code.upper(): name for code, name in codes}
        self._on_code_edited(self.code_field.text())

    def _on_code_edited(self, text: str) -> None:
        self.staff_name.setText(self._staff_names.get(text.strip().upper(), ""))

    def _on_code_entered(self) -> None:
        self.pin_field.setFocus()

    def _on_keypad(self, key: str) -> None:
        field = self.code_field if self.code_field.hasFocus() else self.pin_field
        if key == "Clear":
            field.clear()
        elif key == "⌫":
            field.backspace()
        elif field is self.code_field or len(field.text()) < self.pin_digits:
            field.insert(key)
        if field is self.code_field:
            self._on_code_edited(field.text())
        else:
            field.setFocus()

    def _on_submit(self) -> None:
        if self._busy:
            return
        code = self.code_field.text().strip().upper()
        pin = self.pin_field.text()
        if not code:
            self.message.show_error("Type your staff code first.")
            self.code_field.setFocus()
            return
        if not pin:
            self.message.show_error("Type your PIN.")
            self.pin_field.setFocus()
            return
        if len(pin) != self.pin_digits:
            self.message.show_error(
                f"A PIN here has {self.pin_digits} digits: type all {self.pin_digits}."
            )
            self.pin_field.setFocus()
            return
        self._set_busy(True)
        self._runner.run_db(
            self._auth.login_pin, code, pin, on_done=self._on_logged_in, on_error=self._on_failed
        )

    def _on_logged_in(self, session: StaffSession) -> None:
        self._set_busy(False)
        if self._feedback is not None:
            self._feedback.scan_ok()
        self.code_field.clear()
        self.pin_field.clear()
        self.message.clear_message()
        self.logged_in.emit(session)

    def _on_failed(self, error: KnownError) -> None:
        self._set_busy(False)
        self.pin_field.clear()
        self.message.show_error(error)
        self.pin_field.setFocus()

    def _on_badge_failed(self, error: KnownError) -> None:
        if self._feedback is not None:
            self._feedback.scan_failed()
        self._on_failed(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit.setEnabled(not busy)
        self.submit.setText("Checking…" if busy else "Log in")


def keypad_buttons(screen: LoginScreen) -> dict[str, QPushButton]:
    """The keypad's buttons by their key, for touch and for tests."""
    return {
        str(b.text()): b for b in screen.findChildren(QPushButton) if b.property("keypad") is True
    }
