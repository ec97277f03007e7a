"""The composition of a station's services over one data directory.

``build_station`` is what both the GUI and the CLI call: it opens (and migrates) the
cache, makes the sync engine and wires the services to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import log
from app.config import SessionSettings, StationPaths, SyncSettings
from app.domain.clock import Clock, utcnow
from app.errors import KnownError
from app.labels.transports import SystemPrinter
from app.services.auth import AuthService
from app.services.enrolment import EnrolmentService
from app.services.exceptions import ExceptionService
from app.services.pickup import PickupService
from app.services.pickup_receive import PickupReceiving
from app.services.printing import PrintService, station_printing
from app.services.returns.counter import ReturnCounter
from app.services.security_settings import apply_security, load_security
from app.services.shipping.booking import ParcelBookings
from app.services.shipping.pack import PackBench
from app.services.shipping.pick import BatchPicking
from app.services.shipping.pickers import PickerChoice
from app.services.shipping.queue import ShipQueueService
from app.services.shipping.scan_out import ScanOutBench
from app.services.shipping.unpick import Unpicking
from app.services.status import StatusService
from app.services.stock import StockService
from app.storage import files
from app.storage.engine import Database
from app.sync.engine import ClientFactory, SyncEngine, default_client

logger = log.get("print")


@dataclass(frozen=True)
class Station:
    """Everything a station front end needs, built once per process."""

    data_dir: Path
    db: Database
    auth: AuthService
    stock: StockService
    exceptions: ExceptionService
    status: StatusService
    sync: SyncEngine
    enrolment: EnrolmentService
    pickup: PickupService
    receiving: PickupReceiving  # ship-for-pickup: transfers from the warehouse, by scan
    ship_queue: ShipQueueService  # the bench's queue of ship orders
    pickers: PickerChoice  # who picks a ship order (a ship.assign to the ledger)
    batch_pick: BatchPicking  # the bench's batch pick walk, scan by scan
    unpicking: Unpicking  # picked units put back on the shelf
    printing: PrintService | None  # None when printers.json is broken: printing is off
    pack: PackBench  # the bench's pack step: parcels, SSCCs, labels
    bookings: ParcelBookings  # parcels booked with their carrier after each push
    scan_out: ScanOutBench  # parcels handed to the carrier's driver, the manifest
    returns: ReturnCounter  # return intake: find what was bought, take it back

    def close(self) -> None:
        """Stop background sync and close the cache."""
        self.sync.close()
        self.db.dispose()


def build_station(
    data_dir: Path,
    *,
    sync_settings: SyncSettings | None = None,
    session_settings: SessionSettings | None = None,
    clock: Clock = utcnow,
    client_factory: ClientFactory = default_client,
    system_printer: SystemPrinter | None = None,
) -> Station:
    """Open the station whose files live in ``data_dir`` (made if missing, kept 0700 with
    0600 files), with the security choices of its ``security.json``.

    ``system_printer`` prints ``system`` printer profiles (the GUI passes Qt's); a broken
    ``printers.json`` turns label printing off (logged) rather than keep the counter shut.
    """
    files.private_folder(data_dir)
    files.tighten(data_dir)  # a folder from an older version: 0755 with 0644 files
    session_settings, settings = apply_security(
        load_security(data_dir),
        session_settings or SessionSettings(),
        sync_settings or SyncSettings(),
    )
    db = Database(StationPaths(data_dir).cache_db)
    engine = SyncEngine(
        db=db, data_dir=data_dir, settings=settings, client_factory=client_factory, clock=clock
    )
    status = StatusService(
        db=db, clock=clock, sync_note=lambda: engine.note, sync_blocked=lambda: engine.blocked
    )
    printing = _printing(data_dir, db, system_printer)
    auth = AuthService(db=db, clock=clock, settings=session_settings)
    pack = PackBench(db=db, clock=clock, auth=auth, printing=printing, on_committed=engine.wake)
    bookings = ParcelBookings(db=db, clock=clock, print_label=pack.print_booked)
    engine.after_push.append(bookings.after_push)
    return Station(
        data_dir=data_dir,
        db=db,
        auth=auth,
        stock=StockService(db=db, clock=clock, on_committed=engine.wake),
        exceptions=ExceptionService(db=db, clock=clock, on_committed=engine.wake),
        status=status,
        sync=engine,
        enrolment=EnrolmentService(
            db=db,
            data_dir=data_dir,
            engine=engine,
            status=status,
            clock=clock,
            client_factory=client_factory,
            settings=settings,
        ),
        pickup=PickupService(
            db=db,
            data_dir=data_dir,
            clock=clock,
            client_factory=client_factory,
            settings=settings,
            on_committed=engine.wake,
        ),
        receiving=PickupReceiving(db=db, clock=clock, on_committed=engine.wake),
        ship_queue=ShipQueueService(db=db, clock=clock),
        pickers=PickerChoice(db=db, clock=clock, on_committed=engine.wake),
        batch_pick=BatchPicking(
            db=db,
            clock=clock,
            out_dir=data_dir / "pick-lists",
            printing=printing,
            on_committed=engine.wake,
        ),
        unpicking=Unpicking(db=db, clock=clock, on_committed=engine.wake),
        printing=printing,
        pack=pack,
        bookings=bookings,
        scan_out=ScanOutBench(
            db=db,
            clock=clock,
            out_dir=data_dir / "manifests",
            printing=printing,
            on_committed=engine.wake,
        ),
        returns=ReturnCounter(
            db=db,
            data_dir=data_dir,
            clock=clock,
            client_factory=client_factory,
            settings=settings,
            printing=printing,
            on_committed=engine.wake,
            auth=auth,
        ),
    )


def _printing(
    data_dir: Path, db: Database, system_printer: SystemPrinter | None
) -> PrintService | None:
    try:
        return station_printing(data_dir, db, system_printer=system_printer)
    except KnownError as exc:  # a broken printers.json must not keep the counter closed
        logger.error("Label printing is off: %s", exc)
        return None
