"""The writer of each master-data kind, for the import and the admin API."""

from __future__ import annotations

from app.domain.master_rows import MasterKind
from app.ledger.master_data.importing import KindWriter
from app.ledger.master_data.items import ItemWriter


def writer_for(kind: MasterKind) -> KindWriter:
    """A fresh writer for one import of ``kind``."""
    writers: dict[MasterKind, type[KindWriter]] = {MasterKind.ITEMS: ItemWriter}
    return writers[kind]()
