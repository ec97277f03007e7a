"""Print jobs made at this station: what was printed, when, by whom, and reprints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.clock import utcnow
from app.storage.engine import Database
from app.storage.models import PrintJob


@dataclass(frozen=True)
class PrintRecord:
    id: int
    kind: str  # e.g. shipping_label, shelf_label, pickup_slip
    reference: str  # what it was printed for: an order number, SSCC, SKU
    profile: str
    format: str  # pdf | zpl | png
    copies: int
    reprint: bool
    staff_code: str | None
    printed_at: datetime
    status: str  # printed | failed
    error: str


def record_print(
    db: Database,
    *,
    kind: str,
    reference: str,
    profile: str,
    format: str,
    copies: int = 1,
    reprint: bool = False,
    staff_code: str | None = None,
    status: str = "printed",
    error: str = "",
    printed_at: datetime | None = None,
) -> PrintRecord:
    """Record one print job in its own transaction and return it."""
    with db.writing() as session:
        job = PrintJob(
            kind=kind,
            reference=reference,
            profile=profile,
            format=format,
            copies=copies,
            reprint=reprint,
            staff_code=staff_code,
            printed_at=printed_at or utcnow(),
            status=status,
            error=error,
        )
        session.add(job)
        session.flush()
        return _record(job)


def prints_for(db: Database, reference: str) -> list[PrintRecord]:
    """Every print job for ``reference``, oldest first."""
    with db.reading() as session:
        jobs = session.scalars(
            select(PrintJob).where(PrintJob.reference == reference).order_by(PrintJob.id)
        )
        return [_record(job) for job in jobs]


def _record(job: PrintJob) -> PrintRecord:
    return PrintRecord(
        id=job.id,
        kind=job.kind,
        reference=job.reference,
        profile=job.profile,
        format=job.format,
        copies=job.copies,
        reprint=bool(job.reprint),
        staff_code=job.staff_code,
        printed_at=job.printed_at,
        status=job.status,
        error=job.error,
    )
