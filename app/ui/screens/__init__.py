"""The terminal's screens, in the order of the sidebar (F1, F2, …).

Only screens that work are listed. To add one: write the screen
(a QWidget with ``title``, ``activate()`` and ``on_scan(code)``, see ``common.Screen``),
then append it in ``build_screens``; the sidebar button and its F-key follow (a screen
may claim its own key with a ``key`` attribute: Printers is always F5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from app.services.printing import PrintService
from app.services.results import StaffSession
from app.ui.ports import Services
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.batch_pick import BatchPickScreen
from app.ui.screens.bench.pack import PackScreen
from app.ui.screens.bench.queue import BenchQueueScreen
from app.ui.screens.bench.scan_out import ScanOutScreen
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.printers import PrintersScreen
from app.ui.screens.returns.screen import ReturnsScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.tasks import TaskRunner


def build_screens(
    *,
    services: Services,
    runner: TaskRunner,
    staff: Callable[[], StaffSession | None],
    feedback: ScanFeedback,
    printing: PrintService | None = None,
) -> list[QWidget]:
    """Create every working screen, wired to its service; with ``printing``, shelf labels
    in Stock lookup and the Printers screen (F5)."""
    batch = BatchPickScreen(
        batch_pick=services.batch_pick,
        unpicking=services.unpicking,
        runner=runner,
        staff=staff,
        feedback=feedback,
    )
    screens: list[QWidget] = [
        StockLookupScreen(
            stock=services.stock,
            runner=runner,
            staff=staff,
            feedback=feedback,
            printing=printing,
        ),
        ExceptionsScreen(exceptions=services.exceptions, runner=runner, staff=staff),
        PickupScreen(
            pickup=services.pickup,
            receiving=services.receiving,
            runner=runner,
            staff=staff,
            feedback=feedback,
            printing=printing,
        ),
        BenchQueueScreen(
            ship_queue=services.ship_queue,
            pickers=services.pickers,
            runner=runner,
            staff=staff,
            feedback=feedback,
            start_batch=lambda marked: _show_and_start(batch, marked),
        ),
    ]
    if printing is not None:
        screens.append(PrintersScreen(printing=printing, runner=runner, staff=staff))
    # Pack (F6) and Batch pick (F10) keep their keys whether or not Printers (F5) is there.
    screens.append(PackScreen(pack=services.pack, runner=runner, staff=staff, feedback=feedback))
    screens.append(batch)  # Ctrl+B on the Ship queue opens it too
    screens.append(  # Hand over (F11): parcels scanned out to the carrier's driver
        ScanOutScreen(scan_out=services.scan_out, runner=runner, staff=staff, feedback=feedback)
    )
    screens.append(  # Returns (Ctrl+F7): at the counter and the bench
        ReturnsScreen(returns=services.returns, runner=runner, staff=staff, feedback=feedback)
    )
    return screens


def _show_and_start(batch: BatchPickScreen, marked: Sequence[int]) -> None:
    """The Ship queue's Ctrl+B: show the batch pick screen and start a batch there."""
    window = batch.window()
    screens = getattr(window, "screens", [])
    show = getattr(window, "show_screen", None)
    if show is not None and batch in screens:
        show(screens.index(batch))
    batch.start_batch(marked)
