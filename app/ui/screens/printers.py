"""Printers: which profile prints each kind of label here; a lead changes it; a test print;
and the store's hold-shelf bin labels.

The list comes from the station's printers.json (built-in defaults where it says
nothing). Choose a row, pick a profile, "Use this printer" (leads and managers only);
"Test print" sends a sample label to the profile picked; under it, where that profile sends
(``printer_destination``: a lead sets it, anyone checks the printer's status). F8 (or
Ctrl+Tab) opens the hold-shelf bin labels (``bin_labels.BinLabelsPanel``); a scanned bin
label chooses its bin.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.labels import LabelKind
from app.errors import KnownError
from app.labels.profiles import PrinterProfile
from app.services.printing import CHOOSING_ROLES, KindPrinter, PrintOutcome, PrintService
from app.services.results import StaffSession
from app.ui.models import PrinterModel, label_kind_text
from app.ui.screens.bin_labels import BinLabelsPanel
from app.ui.screens.common import fit_rows, table_view
from app.ui.screens.printer_destination import PrinterDestinationPanel
from app.ui.tasks import TaskRunner
from app.ui.theme import ACCENT
from app.ui.widgets import MessageLine, button, label, panel

PRINTERS_KEY = "F5"
BIN_LABELS_KEY = "F8"
LEADS_ONLY = "Only a lead or a manager can change which printer prints a label, or where it sends."
TABS_STYLE = f"""
QTabWidget::pane {{ border: none; border-top: 1px solid #c9d0da; }}
QTabBar::tab {{
    background: #e9edf3; color: #3a4352; border: 1px solid #c9d0da; border-bottom: none;
    border-top-left-radius: 6px; border-top-right-radius: 6px;
    padding: 10px 22px; min-height: 24px; margin-right: 6px;
}}
QTabBar::tab:selected {{
    background: #ffffff; color: #14181f; font-weight: 600; border-top: 3px solid {ACCENT};
}}
QTabBar::tab:focus {{ border-color: {ACCENT}; }}
"""


class PrintersScreen(QWidget):
    """The station's printer profile per label kind, with a chooser and a test print; and
    the store's hold-shelf bin labels on a second tab."""

    title = "Printers"
    key = PRINTERS_KEY

    def __init__(
        self,
        *,
        printing: PrintService,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._printing = printing
        self._runner = runner
        self._staff = staff
        self._profiles: list[PrinterProfile] = []

        self.message = MessageLine()
        self.printers = PrinterModel(self)
        self.printers_view = table_view(self.printers, stretch_column=5)
        self.printers_view.setAccessibleName("Printer per label kind")
        self.printers_view.setTabKeyNavigation(False)  # Tab leaves it; Ctrl+Tab turns the tab
        self.choice_title = label("Choose a label kind above", role="heading")
        self.profile_box = QComboBox()
        self.profile_box.setAccessibleName("Printer profile")
        self.profile_box.setMinimumHeight(48)
        self.use_button = button("Use this printer", primary=True)
        self.test_button = button("Test print")
        self.leads_only = label(LEADS_ONLY, role="muted", wrap=True)
        self.destination = PrinterDestinationPanel(
            printing=printing, runner=runner, staff=staff, message=self.message
        )
        self._testing = False
        self.bin_labels = BinLabelsPanel(printing=printing, runner=runner, staff=staff)
        self.tabs = QTabWidget()
        self._build()
        self._set_choosing_enabled(False)
        shortcut = QShortcut(QKeySequence(BIN_LABELS_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.show_bin_labels)
        self.tabs.currentChanged.connect(self._on_tab_shown)

        self.printers_view.selectionModel().selectionChanged.connect(self._on_row_chosen)
        self.profile_box.currentIndexChanged.connect(self._on_profile_picked)
        self.use_button.clicked.connect(self._on_use)
        self.test_button.clicked.connect(self._on_test_print)
        self.destination.destination_saved.connect(self._on_destination_saved)

    def _build(self) -> None:
        fit_rows(self.printers_view, len(LabelKind), least=3)  # a short screen scrolls it
        chooser = panel()
        inside = QVBoxLayout(chooser)
        inside.setContentsMargins(20, 14, 20, 14)
        inside.setSpacing(10)
        inside.addWidget(self.choice_title)
        row = QHBoxLayout()
        row.addWidget(self.profile_box, 1)
        row.addWidget(self.use_button)
        row.addWidget(self.test_button)
        inside.addLayout(row)
        inside.addWidget(self.destination)
        inside.addWidget(self.leads_only)

        printers = QWidget()
        page = QVBoxLayout(printers)
        page.setContentsMargins(0, 12, 0, 0)
        page.setSpacing(10)
        page.addWidget(
            label(
                "Which printer prints each kind of label at this station. "
                "The choice is kept in this station's printers.json.",
                role="muted",
                wrap=True,
            )
        )
        page.addWidget(self.message)
        page.addWidget(self.printers_view, 100)  # its rows first, up to all of them
        page.addWidget(chooser)
        page.addStretch(1)
        self.tabs.setStyleSheet(TABS_STYLE)
        self.tabs.setDocumentMode(True)
        page_scroll = QScrollArea()  # at 768 px high the chooser may need to scroll
        page_scroll.setWidget(printers)
        page_scroll.setWidgetResizable(True)
        page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs.addTab(page_scroll, "Printer for each label")
        self.tabs.addTab(self.bin_labels, f"Hold-shelf bin labels ({BIN_LABELS_KEY})")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        layout.addWidget(label(self.title, role="title"))
        layout.addWidget(self.tabs, 1)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        """F5 opens the printer list; F8 then opens the bin labels."""
        self.refresh()
        if self.tabs.currentIndex() != 0:
            self.tabs.setCurrentIndex(0)  # focuses the list
        else:
            self.printers_view.setFocus()

    def on_scan(self, code: str) -> None:
        """A scanned bin label chooses its bin for printing."""
        self.show_bin_labels()
        self.bin_labels.choose_code(code)

    def reset(self) -> None:
        """Forget the row chosen and what was said; the lists load again when shown."""
        self.message.clear_message()
        self.printers.set_rows([])
        self._profiles = []
        self.profile_box.clear()
        self.choice_title.setText("Choose a label kind above")
        self._set_choosing_enabled(False)
        self.destination.reset()
        self.bin_labels.reset()
        self.tabs.setCurrentIndex(0)

    def show_bin_labels(self) -> None:
        """Show the hold-shelf bin labels (F8)."""
        if self.tabs.currentWidget() is not self.bin_labels:
            self.tabs.setCurrentWidget(self.bin_labels)  # activates it

    def refresh(self) -> None:
        """Load the profile of each label kind and every known profile."""
        self._runner.run_db(
            lambda: (self._printing.printers(), self._printing.profiles()),
            on_done=self._on_loaded,
            on_error=self.message.show_error,
        )

    def chosen_kind(self) -> KindPrinter | None:
        """The row chosen in the table."""
        rows = self.printers_view.selectionModel().selectedRows()
        return self.printers.row_at(rows[0].row()) if rows else None

    def picked_profile(self) -> PrinterProfile | None:
        """The profile picked in the chooser."""
        index = self.profile_box.currentIndex()
        return self._profiles[index] if 0 <= index < len(self._profiles) else None

    # -- slots ---------------------------------------------------------------------

    def _on_tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.bin_labels:
            self.bin_labels.activate()
        else:
            self.printers_view.setFocus()

    def _on_loaded(self, loaded: tuple[list[KindPrinter], list[PrinterProfile]]) -> None:
        chosen = self.chosen_kind()
        rows, self._profiles = loaded
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        for profile in self._profiles:
            self.profile_box.addItem(f"{profile.name}  ·  {profile.description}")
        self.profile_box.blockSignals(False)
        self.printers.set_rows(rows)
        kinds = [r.kind for r in rows]
        again = kinds.index(chosen.kind) if chosen is not None and chosen.kind in kinds else 0
        if rows:
            self.printers_view.selectRow(again)
        self.destination.show_profile(self.picked_profile())
        problem = self._printing.setup_problem
        if problem is not None:
            self.message.show_error(
                KnownError(
                    f"This station's printer settings are not used: {problem.message}",
                    next_step="Until printers.json is mended, labels are saved as files.",
                )
            )

    def _on_row_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.chosen_kind()
        if row is None:
            self._set_choosing_enabled(False)
            return
        self.choice_title.setText(f"Print {label_kind_text(str(row.kind)).lower()} labels on")
        names = [p.name for p in self._profiles]
        if row.profile.name in names:
            self.profile_box.setCurrentIndex(names.index(row.profile.name))
        self._set_choosing_enabled(True)

    def _on_profile_picked(self, _index: int) -> None:
        self._set_choosing_enabled(self.chosen_kind() is not None)
        self.destination.show_profile(self.picked_profile())

    def _on_destination_saved(self, _profile: PrinterProfile) -> None:
        self.refresh()

    def _set_choosing_enabled(self, enabled: bool) -> None:
        staff = self._staff()
        may_choose = staff is not None and staff.role in CHOOSING_ROLES
        row, picked = self.chosen_kind(), self.picked_profile()
        changed = row is not None and picked is not None and picked.name != row.profile.name
        self.profile_box.setEnabled(enabled)
        self.use_button.setEnabled(enabled and may_choose and changed)
        self.test_button.setEnabled(enabled and picked is not None)
        self.leads_only.setVisible(not may_choose)

    def _on_use(self) -> None:
        staff, row, picked = self._staff(), self.chosen_kind(), self.picked_profile()
        if staff is None or row is None or picked is None:
            return
        self.profile_box.setFocus()  # the button turns off: focus must not wander off-screen
        self.use_button.setEnabled(False)
        self._runner.run_db(
            self._printing.choose_profile,
            staff,
            row.kind,
            picked.name,
            on_done=self._on_chosen,
            on_error=self._on_choice_failed,
        )

    def _on_chosen(self, chosen: KindPrinter) -> None:
        kind = label_kind_text(str(chosen.kind))
        self.message.show_ok(f"{kind} labels now print on {chosen.profile.name}.")
        self.refresh()

    def _on_choice_failed(self, error: KnownError) -> None:
        self.message.show_error(error)
        self._set_choosing_enabled(self.chosen_kind() is not None)

    def _on_test_print(self) -> None:
        picked = self.picked_profile()
        if picked is None or self._testing:
            return
        staff = self._staff()
        self._testing = True  # the button stays on, so focus stays on it (Space is safe)
        self.message.show_info(f"Sending a test label to {picked.name}…")
        self._runner.run_net(
            lambda: self._printing.test_print(
                picked.name, staff_code=staff.code if staff is not None else None
            ),
            on_done=self._on_test_printed,
            on_error=self._on_test_failed,
        )

    def _on_test_printed(self, outcome: PrintOutcome) -> None:
        said = f"Test {label_kind_text(str(outcome.kind)).lower()} label: {outcome.said}"
        if outcome.printed:
            self.message.show_ok(said)
        else:
            self.message.show_warning(said)
        self._testing = False

    def _on_test_failed(self, error: KnownError) -> None:
        self.message.show_error(error)
        self._testing = False
