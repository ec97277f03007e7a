"""Where the profile picked on the Printers screen sends, and its printer's status.

A lead or manager chooses a real printer: a network printer (raw TCP host:port), a CUPS
queue listed from the system, the system printer (listed by Qt), or a folder; "Save" keeps
it in printers.json. Anyone may "Check status": the printer's own answer (``~HS``,
``lpstat``, Qt's printer state). Buttons are never disabled under the keyboard while they
work, so focus stays where it was (a disabled button hands focus to the next widget).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from app.errors import KnownError
from app.labels.profiles import PrinterProfile, Transport
from app.services.printing import CHOOSING_ROLES, PrintService
from app.services.printing_destinations import PrinterState
from app.services.results import StaffSession
from app.ui.system_printer import system_printer_names, system_printer_state
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label

TRANSPORTS = (
    (Transport.TCP, "Network printer (raw TCP)"),
    (Transport.CUPS, "Print queue (CUPS)"),
    (Transport.SYSTEM, "System printer"),
    (Transport.FILE, "File (saves, prints nothing)"),
)
HINTS = {
    Transport.TCP: "host:port, e.g. 10.0.0.41:9100",
    Transport.CUPS: "a print queue of this system",
    Transport.SYSTEM: "empty: the system's default printer",
    Transport.FILE: "a folder; empty: the station's printed folder",
}


class PrinterDestinationPanel(QWidget):
    """The transport and address of one profile, saved by a lead, checked by anyone."""

    destination_saved = Signal(object)  # PrinterProfile

    def __init__(
        self,
        *,
        printing: PrintService,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        message: MessageLine,
    ) -> None:
        super().__init__()
        self._printing = printing
        self._runner = runner
        self._staff = staff
        self._message = message
        self._profile: PrinterProfile | None = None
        self._busy = False
        self.title = label("Sends to", role="muted")
        self.transport_box = QComboBox()
        self.transport_box.setAccessibleName("How the printer is reached")
        for _, text in TRANSPORTS:
            self.transport_box.addItem(text)
        self.target_box = QComboBox()
        self.target_box.setEditable(True)
        self.target_box.setAccessibleName("Printer address or queue")
        self.target_box.setMinimumContentsLength(12)
        for box in (self.transport_box, self.target_box):
            box.setMinimumHeight(48)
        self.save_button = button("Save")
        self.save_button.setAccessibleName("Save where it sends")
        self.status_button = button("Check status")
        for widget in (self.save_button, self.status_button):  # never cut to fit
            widget.setMinimumWidth(widget.sizeHint().width())
        row = QHBoxLayout()
        row.addWidget(self.transport_box, 1)
        row.addWidget(self.target_box, 2)
        row.addWidget(self.save_button)
        row.addWidget(self.status_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        self.transport_box.currentIndexChanged.connect(self._on_transport_picked)
        self.save_button.clicked.connect(self._on_save)
        self.status_button.clicked.connect(self._on_check_status)
        self.show_profile(None)

    def reset(self) -> None:
        """No profile shown, nothing typed (at a log-out)."""
        self._busy = False
        self.title.setText("Sends to")
        for box in (self.transport_box, self.target_box):
            box.blockSignals(True)
        self.transport_box.setCurrentIndex(0)
        self.target_box.clear()
        self.target_box.setEditText("")
        for box in (self.transport_box, self.target_box):
            box.blockSignals(False)
        self.show_profile(None)

    def transport(self) -> Transport:
        return TRANSPORTS[max(0, self.transport_box.currentIndex())][0]

    def target(self) -> str:
        return self.target_box.currentText().strip()

    def show_profile(self, profile: PrinterProfile | None) -> None:
        """Show where ``profile`` sends (None: nothing picked)."""
        self._profile = profile
        staff = self._staff()
        may_change = staff is not None and staff.role in CHOOSING_ROLES
        if profile is not None:
            self.title.setText(f"{profile.name} sends to")
            self.transport_box.blockSignals(True)
            self.transport_box.setCurrentIndex([t for t, _ in TRANSPORTS].index(profile.transport))
            self.transport_box.blockSignals(False)
            self._fill_targets(profile.transport, profile.target)
        for widget in (self.transport_box, self.target_box, self.save_button):
            widget.setEnabled(profile is not None and may_change)
        self.status_button.setEnabled(profile is not None)

    def _on_transport_picked(self, _index: int) -> None:
        profile = self._profile
        same = profile is not None and profile.transport is self.transport()
        self._fill_targets(self.transport(), profile.target if profile and same else "")

    def _fill_targets(self, transport: Transport, current: str) -> None:
        """The choices for ``transport``: the system's queues or printers, else typed."""
        self.target_box.clear()
        typed = self.target_box.lineEdit()
        if typed is not None:
            typed.setPlaceholderText(HINTS[transport])
        self.target_box.setEditText(current)
        if transport is Transport.CUPS:
            self._runner.run_net(
                self._printing.print_queues,
                on_done=lambda names: self._offer(transport, names, current),
                on_error=self._message.show_error,
            )
        elif transport is Transport.SYSTEM:
            self._runner.run_net(
                system_printer_names,
                on_done=lambda names: self._offer(transport, names, current),
                on_error=self._message.show_error,
            )

    def _offer(self, transport: Transport, names: list[str], current: str) -> None:
        if self.transport() is not transport:
            return  # picked another way meanwhile
        self.target_box.clear()
        self.target_box.addItems(names)
        self.target_box.setEditText(current or (names[0] if names else ""))
        if not names and transport is Transport.CUPS:
            self._message.show_warning("This system has no print queues set up in CUPS.")

    def _on_save(self) -> None:
        staff, profile = self._staff(), self._profile
        if self._busy or staff is None or profile is None:
            return
        self._busy = True
        self._runner.run_net(
            self._printing.send_to,
            staff,
            profile.name,
            self.transport(),
            self.target(),
            on_done=self._on_saved,
            on_error=self._on_failed,
        )

    def _on_saved(self, profile: PrinterProfile) -> None:
        self._busy = False
        where = profile.target or "its default"
        self._message.show_ok(f"{profile.name} now sends to {where} ({profile.transport}).")
        self.destination_saved.emit(profile)

    def _on_check_status(self) -> None:
        profile = self._profile
        if self._busy or profile is None:
            return
        self._busy = True
        self._message.show_info(f"Asking {profile.name} how it is…")
        if profile.transport is Transport.SYSTEM:
            self._runner.run_net(
                system_printer_state,
                profile.name,
                profile.target,
                on_done=self._on_state,
                on_error=self._on_failed,
            )
        else:
            self._runner.run_net(
                self._printing.printer_state,
                profile.name,
                on_done=self._on_state,
                on_error=self._on_failed,
            )

    def _on_state(self, state: PrinterState) -> None:
        self._busy = False
        said = f"{state.profile} ({state.where}): {state.said}"
        if state.ready:
            self._message.show_ok(said)
        else:
            self._message.show_warning(said)

    def _on_failed(self, error: KnownError) -> None:
        self._busy = False
        self._message.show_error(error)
