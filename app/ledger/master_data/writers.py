"""The writer of each master-data kind, for the import and the admin API."""

from __future__ import annotations

from app.domain.master_rows import MasterKind
from app.ledger.master_data.bins import BinWriter
from app.ledger.master_data.boxes import BoxWriter
from app.ledger.master_data.carriers import CarrierPincodeWriter, CarrierWriter
from app.ledger.master_data.collecting import LocationCarrierWriter
from app.ledger.master_data.gst_rates import GstRateWriter
from app.ledger.master_data.importing import KindWriter
from app.ledger.master_data.items import ItemWriter
from app.ledger.master_data.locations import LocationWriter
from app.ledger.master_data.reasons import ReasonWriter
from app.ledger.master_data.staff import StaffWriter
from app.ledger.master_data.stock import StockWriter
from app.ledger.returns.sales import SaleWriter

WRITERS: dict[MasterKind, type[KindWriter]] = {
    MasterKind.ITEMS: ItemWriter,
    MasterKind.LOCATIONS: LocationWriter,
    MasterKind.STAFF: StaffWriter,
    MasterKind.STOCK: StockWriter,
    MasterKind.REASONS: ReasonWriter,
    MasterKind.BINS: BinWriter,
    MasterKind.GST_RATES: GstRateWriter,
    MasterKind.CARRIERS: CarrierWriter,
    MasterKind.CARRIER_PINCODES: CarrierPincodeWriter,
    MasterKind.LOCATION_CARRIERS: LocationCarrierWriter,
    MasterKind.BOXES: BoxWriter,
    MasterKind.SALES: SaleWriter,
}


def writer_for(kind: MasterKind) -> KindWriter:
    """A fresh writer for one import of ``kind``."""
    return WRITERS[kind]()
