"""Shelf bins of one item at one location (admin token), as the planogram import writes
them: ``PUT /v1/admin/bins/{location}/{sku}`` with the bin codes in rank order, home bin
first. The list replaces the item's bins there; an empty list removes them. Each bin is
checked exactly as one CSV row of a ``bins`` file is
(:func:`~app.domain.master_records.bin_record`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from app.domain.master_records import MAX_RANK, bin_record
from app.domain.master_rows import MasterKind, ParsedFile
from app.errors import BadInput
from app.ledger.api.auth import require_admin
from app.ledger.api.master import Code
from app.ledger.master_data.bins import BinWriter
from app.ledger.master_data.importing import ImportRefused, first_problem, run_import

router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)], tags=["master data"])
BinCodes = Annotated[list[Annotated[str, Field(max_length=40)]], Body(max_length=MAX_RANK)]


class BinsOut(BaseModel):
    """The item's bins at the location after the write, home bin first."""

    model_config = ConfigDict(extra="forbid")

    location: str
    sku: str
    bins: list[str]
    added: int
    changed: int
    removed: int


@router.put("/bins/{location}/{sku}", response_model=BinsOut)
def put_bins(location: Code, sku: Code, bins: BinCodes, request: Request) -> BinsOut:
    """Replace the shelf bins of ``sku`` at ``location`` with ``bins``, in rank order."""
    place = {"location": location, "sku": sku}
    records = [
        bin_record({**place, "bin": code, "rank": str(rank)})
        for rank, code in enumerate(bins, start=1)
    ]
    codes = [rec.bin_code for rec in records]
    twice = next((code for code in codes if codes.count(code) > 1), None)
    if twice:
        raise BadInput(f"Bin {twice} is in the list twice.", next_step="Name each bin once.")
    writer = BinWriter(item=(location.upper(), sku.upper()))
    parsed = ParsedFile(MasterKind.BINS, tuple((1, rec) for rec in records), ())
    try:
        report = run_import(request.app.state.engine, parsed, writer)
    except ImportRefused as exc:
        raise first_problem(exc) from None
    return BinsOut(
        location=location.upper(),
        sku=sku.upper(),
        bins=codes,
        added=report.added,
        changed=report.changed,
        removed=writer.removed,
    )
