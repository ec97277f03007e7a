"""Ship-from-store master data (admin token): carriers, the pincodes each delivers to,
the carriers collecting at a location with its cut-off, and a location's boxes. Checked
as the CSV rows of the same kinds are (:mod:`app.domain.master_shipping`); a list
replaces what the carrier or location had, as a file naming it does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import Field

from app.domain.master_rows import BUILDERS, MasterKind, ParsedFile
from app.domain.master_shipping import MAX_BOX_G, MAX_BOX_MM, MAX_DAYS, MAX_RATE_PAISE
from app.errors import BadInput
from app.ledger.api.auth import require_admin
from app.ledger.api.master import CODE, SavedOut, _Body, as_text, save_one
from app.ledger.master_data.boxes import BoxWriter
from app.ledger.master_data.carriers import CarrierPincodeWriter
from app.ledger.master_data.importing import ImportRefused, run_import

router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)], tags=["master data"])
Code = Annotated[str, Path(min_length=1, max_length=20, pattern=CODE)]  # carrier, location
CUTOFF = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Cutoff = Annotated[str, Field(pattern=CUTOFF, min_length=5, max_length=5)]  # HH:MM
RatePaise = Annotated[int | None, Field(ge=0, le=MAX_RATE_PAISE)]  # None: not carried
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Prefix = Annotated[str, Field(min_length=1, max_length=6, pattern=r"^[1-9][0-9]{0,5}$")]
Millimetres = Annotated[int, Field(ge=1, le=MAX_BOX_MM)]
MAX_PINCODES = 50_000  # a national serviceability list, one row per pincode
MAX_BOXES = 200


class CarrierIn(_Body):
    name: str = Field(min_length=1, max_length=80)
    service: str = Field(default="Standard", min_length=1, max_length=40)
    kind: Literal["partner", "own_fleet"]
    cutoff: Cutoff  # the usual cut-off, local time of each location
    rate_local_minor: RatePaise = None  # paise per parcel; null: the zone is not carried
    rate_regional_minor: RatePaise = None
    rate_national_minor: RatePaise = None
    days_local: Days = 1
    days_regional: Days = 2
    days_national: Days = 4
    active: bool = True


class PincodesIn(_Body):
    """Every pincode (or prefix: "560" serves 560001 … 560099) the carrier delivers to."""

    pincodes: list[Prefix] = Field(min_length=1, max_length=MAX_PINCODES)


class CollectingIn(_Body):
    cutoff: Cutoff | None = None  # null: the carrier's own cut-off
    collects: bool = True  # false: the carrier no longer collects here


class BoxIn(_Body):
    code: str = Field(min_length=1, max_length=20, pattern=CODE)
    name: str = Field(min_length=1, max_length=80)
    length_mm: Millimetres  # inside
    width_mm: Millimetres
    height_mm: Millimetres
    tare_g: int = Field(ge=0, le=MAX_BOX_G)  # the empty box
    max_weight_g: int = Field(ge=1, le=MAX_BOX_G)  # the packed box at most, box included


class BoxesIn(_Body):
    """The location's whole box catalogue: a box it had that is not here is retired."""

    boxes: list[BoxIn] = Field(min_length=1, max_length=MAX_BOXES)


class ListSavedOut(_Body):
    """What replacing a list did: entries added, removed and kept as they were."""

    kind: MasterKind
    key: str
    added: int
    changed: int
    removed: int
    unchanged: int


def _rupees(paise: int | None) -> str:
    return "" if paise is None else f"{Decimal(paise) / 100:f}"


@router.put("/carriers/{code}", response_model=SavedOut)
def put_carrier(code: Code, body: CarrierIn, request: Request) -> SavedOut:
    """Add the carrier ``code`` or change it; ``active: false`` stops routing to it."""
    rates = {
        f"rate_{zone}": _rupees(getattr(body, f"rate_{zone}_minor"))
        for zone in ("local", "regional", "national")
    }
    fields = as_text(body, code=code, **rates)
    return save_one(request, MasterKind.CARRIERS, fields, code.upper())


@router.put("/carriers/{code}/pincodes", response_model=ListSavedOut)
def put_carrier_pincodes(code: Code, body: PincodesIn, request: Request) -> ListSavedOut:
    """Replace the pincodes the carrier ``code`` delivers to."""
    entries = [{"carrier": code, "pincode": p} for p in dict.fromkeys(body.pincodes)]
    writer = CarrierPincodeWriter()
    return _save_list(request, MasterKind.CARRIER_PINCODES, entries, "pincodes", writer, code)


@router.put("/locations/{code}/carriers/{carrier}", response_model=SavedOut)
def put_location_carrier(
    code: Code, carrier: Code, body: CollectingIn, request: Request
) -> SavedOut:
    """The carrier ``carrier`` collects at location ``code`` (with the cut-off there), or,
    with ``collects: false``, no longer does."""
    fields = as_text(body, location=code, carrier=carrier)
    key = f"{code.upper()} {carrier.upper()}"
    return save_one(request, MasterKind.LOCATION_CARRIERS, fields, key)


@router.put("/locations/{code}/boxes", response_model=ListSavedOut)
def put_location_boxes(code: Code, body: BoxesIn, request: Request) -> ListSavedOut:
    """Replace the box catalogue of location ``code``; its stations get it at their next
    sync."""
    codes = [box.code.upper() for box in body.boxes]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise BadInput(f"Box {twice[0]} is listed twice.", next_step="List each box once.")
    entries = [as_text(box, location=code) for box in body.boxes]
    return _save_list(request, MasterKind.BOXES, entries, "boxes", BoxWriter(), code)


def _save_list(
    request: Request,
    kind: MasterKind,
    entries: list[dict[str, str]],
    field: str,
    writer: CarrierPincodeWriter | BoxWriter,
    key: str,
) -> ListSavedOut:
    """Check each entry as a CSV row, then replace the list in one transaction."""
    rows: list[tuple[int, Any]] = []
    for i, entry in enumerate(entries):
        try:
            rows.append((i + 1, BUILDERS[kind](entry)))
        except BadInput as exc:
            raise BadInput(f"{field}[{i}]: {exc.message}", next_step=exc.next_step) from None
    parsed = ParsedFile(kind, tuple(rows), ())
    try:
        report = run_import(request.app.state.engine, parsed, writer)
    except ImportRefused as exc:
        problem = exc.problems[0]
        raise BadInput(problem.message, next_step=problem.next_step) from None
    return ListSavedOut(
        kind=kind,
        key=key.upper(),
        added=report.added,
        changed=report.changed,
        removed=writer.removed,
        unchanged=report.unchanged,
    )
