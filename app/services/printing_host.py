"""What the print service's label-kind mixins (:mod:`.printing_bins`,
:mod:`.printing_shelf`) need of ``PrintService``: its cache, its printers, its one send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app.domain.labels import LabelKind
from app.labels.layout import Label
from app.labels.printing import Sent
from app.labels.profiles import PrinterProfile
from app.storage.engine import Database

if TYPE_CHECKING:
    from app.services.printing import KindPrinter


class PrintHost(Protocol):
    _db: Database | None

    def printer_of(self, kind: LabelKind) -> KindPrinter: ...

    def _send_job(
        self,
        kind: str,
        label: Label,
        reprints: dict[str, bool],
        profile: PrinterProfile,
        staff_code: str | None,
    ) -> tuple[Sent, tuple[int, ...]]: ...
