"""What the screens need from the station services (DESIGN.md, team brief contract).

The screens are typed against these protocols; ``app.services.station.Station`` fills
them. All calls are synchronous and run through the task runner, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from app.domain.labels import PickupTag
from app.domain.pickup_ops import Proof
from app.domain.reasons import Reason
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.exchange import Replacement
from app.domain.stock import Bucket
from app.services.pickup_results import (
    PickupDetail,
    PickupFound,
    PickupQueue,
    PickupRecorded,
    ReasonChoice,
)
from app.services.results import (
    CountCheck,
    CountRecorded,
    ExceptionRow,
    ItemStock,
    ItemSummary,
    StaffSession,
    StationStatus,
)
from app.services.returns.put_away import PutAwayDone
from app.services.returns.results import (
    ItemToTake,
    ManagerApproval,
    NoReceiptRoom,
    ReturnFound,
    ReturnReason,
    ReturnTaken,
    UnitToTake,
)
from app.services.shipping.batch_results import BatchView, UnpickDone, UnpickTask
from app.services.shipping.pack import LeadOverride
from app.services.shipping.pack_results import PackScanned, PackView, ParcelClosed
from app.services.shipping.results import Picker, ShipDetail, ShipQueue, ShipSummary
from app.services.shipping.scan_out import ScannedOut, ScanOutBoard


class Auth(Protocol):
    @property
    def pin_digits(self) -> int: ...

    def login_pin(self, staff_code: str, pin: str) -> StaffSession: ...

    def login_badge(self, badge: str) -> StaffSession: ...

    def staff_codes(self) -> list[tuple[str, str]]: ...


class Stock(Protocol):
    def lookup(self, query: str, limit: int = 50) -> list[ItemSummary]: ...

    def item_stock(self, item_id: int) -> ItemStock: ...

    def count(
        self,
        staff: StaffSession,
        sku_or_gtin: str,
        observed: int,
        bucket: Bucket = ...,
        *,
        first_count: int | None = ...,
        reason: str = ...,
    ) -> CountRecorded | CountCheck: ...


class Exceptions(Protocol):
    def open_exceptions(self) -> list[ExceptionRow]: ...

    def resolve(self, staff: StaffSession, key: str, note: str) -> None: ...


class Pickup(Protocol):
    def queue(self) -> PickupQueue: ...

    def find(self, query: str) -> PickupFound: ...

    def order(self, fulfilment_id: int) -> PickupDetail: ...

    def verify_pickup_code(self, fulfilment_id: int, code: str) -> bool: ...

    def pickup_tag(self, fulfilment_id: int) -> PickupTag: ...

    def accept(self, staff: StaffSession, fulfilment_id: int) -> PickupRecorded: ...

    def pick(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = ...,
        *,
        typed: bool = ...,
    ) -> PickupRecorded: ...

    def short(
        self, staff: StaffSession, fulfilment_id: int, sku: str, reason: str = ...
    ) -> PickupRecorded: ...

    def reasons(self, use: str) -> tuple[ReasonChoice, ...]: ...

    def stage(
        self, staff: StaffSession, fulfilment_id: int, bin_code: str, *, share_bin: bool = ...
    ) -> PickupRecorded: ...

    def ready(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        skus: Sequence[str] | None = ...,
        channel: str = ...,
    ) -> PickupRecorded: ...

    def handover(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        lines: Mapping[str, int],
        proof: Proof,
        cancel_left: Sequence[str] = ...,
        cancel_reason: str = ...,
        reason: str = ...,
    ) -> PickupRecorded: ...

    def restock(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = ...,
        *,
        typed: bool = ...,
    ) -> PickupRecorded: ...


class Receiving(Protocol):
    """Ship-for-pickup: the warehouse's transfer for an order, received by scan."""

    def receive(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = ...,
        *,
        typed: bool = ...,
    ) -> PickupRecorded: ...


class ShipQueueReader(Protocol):
    """The bench's queue of ship orders (``app.services.shipping.queue``)."""

    def queue(self) -> ShipQueue: ...

    def order(self, fulfilment_id: int) -> ShipDetail: ...

    def find(self, code: str) -> ShipDetail: ...


class PickerChooser(Protocol):
    """Who picks a ship order (``app.services.shipping.pickers``: a ``ship.assign``)."""

    def pickers(self) -> tuple[Picker, ...]: ...

    def assign(self, staff: StaffSession, fulfilment_id: int, picker_code: str) -> ShipSummary: ...


class BatchPicker(Protocol):
    """The bench's batch pick walk (``app.services.shipping.pick``)."""

    def start(
        self, staff: StaffSession, marked: Sequence[int] = ..., count: int = ...
    ) -> BatchView: ...

    def current(self) -> BatchView | None: ...

    def scan(self, staff: StaffSession, text: str, quantity: int = ...) -> BatchView: ...

    def short(self, staff: StaffSession, found: int) -> BatchView: ...

    def skip(self, staff: StaffSession) -> BatchView: ...

    def back(self, staff: StaffSession) -> BatchView: ...

    def reasons(self) -> list[Reason]: ...

    def reject_shorts(self, staff: StaffSession, reason_code: str) -> BatchView: ...

    def finish(self, staff: StaffSession) -> str: ...

    def print_pick_list(self, staff: StaffSession) -> str: ...


class Unpicker(Protocol):
    """Picked units put back on the shelf by scan (``app.services.shipping.unpick``)."""

    def tasks(self) -> list[UnpickTask]: ...

    def put_back(
        self, staff: StaffSession, fulfilment_id: int, bin_code: str, code: str, quantity: int = ...
    ) -> UnpickDone: ...


class Status(Protocol):
    def status(self) -> StationStatus: ...


class Sync(Protocol):
    def wake(self) -> None: ...


class PackStation(Protocol):
    """The bench's pack step (``app.services.shipping.pack``)."""

    def open_order(self, code: str) -> PackView: ...

    def order(self, fulfilment_id: int) -> PackView: ...

    def scan_item(self, fulfilment_id: int, code: str) -> PackScanned: ...

    def empty_parcel(self, fulfilment_id: int) -> PackView: ...

    def close_parcel(
        self,
        fulfilment_id: int,
        weight: str,
        staff: StaffSession,
        lead: LeadOverride | None = None,
    ) -> ParcelClosed: ...

    def void_label(
        self, fulfilment_id: int, sscc: str, reason: str, staff: StaffSession
    ) -> PackView: ...

    def reprint(self, sscc: str, staff: StaffSession) -> str: ...


class ScanOutStation(Protocol):
    """Scan-out to the carrier's driver (``app.services.shipping.scan_out``)."""

    def board(self, carrier: str = "") -> ScanOutBoard: ...

    def scan(
        self, carrier: str, code: str, staff: StaffSession, eway_bill: str = ""
    ) -> ScannedOut: ...

    def manifest(self, carrier: str, staff: StaffSession) -> str: ...


class ReturnsCounter(Protocol):
    """Return intake (``app.services.returns``). ``find_here`` reads only the cache (DB
    worker); ``ask_ledger`` asks the ledger's lookup (network worker) and keeps what it
    answers; the unit-by-unit checks are the pure ``app.domain.returns.draft``.
    ``no_receipt_history`` asks the ledger (network worker); ``take_without_order`` (a
    manager approves) and ``put_away`` run on the DB worker."""

    def find_here(self, text: str) -> ReturnFound: ...

    def ask_ledger(self, text: str, staff: StaffSession | None = ...) -> ReturnFound: ...

    def reasons(self) -> tuple[ReturnReason, ...]: ...

    def take(self, draft: ReturnDraft, staff: StaffSession) -> ReturnTaken: ...

    def reprint(self, return_id: str, staff: StaffSession) -> str: ...

    def item_to_take(self, code: str) -> ItemToTake: ...

    def no_receipt_history(self, phone: str, staff: StaffSession | None = ...) -> NoReceiptRoom: ...

    def take_without_order(
        self,
        units: Sequence[UnitToTake],
        customer_phone: str,
        manager: ManagerApproval,
        staff: StaffSession,
    ) -> ReturnTaken: ...

    def replacement(self, code: str, taken: Sequence[Replacement]) -> Replacement: ...

    def exchange(
        self, draft: ReturnDraft, replacements: Sequence[Replacement], staff: StaffSession
    ) -> ReturnTaken: ...

    def put_away(self, rma_scan: str, bin_scan: str, staff: StaffSession) -> PutAwayDone: ...


class Services(Protocol):
    """The station bundle as the window sees it (``app.services.station.Station``)."""

    @property
    def auth(self) -> Auth: ...

    @property
    def stock(self) -> Stock: ...

    @property
    def exceptions(self) -> Exceptions: ...

    @property
    def pickup(self) -> Pickup: ...

    @property
    def receiving(self) -> Receiving: ...

    @property
    def ship_queue(self) -> ShipQueueReader: ...

    @property
    def pickers(self) -> PickerChooser: ...

    @property
    def pack(self) -> PackStation: ...

    @property
    def scan_out(self) -> ScanOutStation: ...

    @property
    def batch_pick(self) -> BatchPicker: ...

    @property
    def unpicking(self) -> Unpicker: ...

    @property
    def returns(self) -> ReturnsCounter: ...

    @property
    def status(self) -> Status: ...

    @property
    def sync(self) -> Sync: ...
