"""Master data (admin token): items, locations, staff, opening stock, reasons, and CSV
imports. Bodies refuse misspelt fields; every write reaches the stations by the change
log. One record is checked exactly as one CSV row is (:mod:`app.domain.master_records`).
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from app.domain.master_rows import BUILDERS, MasterKind, read_rows
from app.errors import BadInput
from app.ledger.api.auth import require_admin
from app.ledger.master_data.importing import (
    ImportRefused,
    first_problem,
    one_record,
    run_import,
)
from app.ledger.master_data.items import ItemOut, item_view
from app.ledger.master_data.staff import set_pin
from app.ledger.master_data.writers import writer_for

router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)], tags=["master data"])
CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # SKUs, location, staff and reason codes
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=CODE)]
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemIn(_Body):
    gtin: str = Field(min_length=8, max_length=14)
    name: str = Field(min_length=1, max_length=200)
    price_minor: int = Field(ge=0, le=10**11)  # paise
    currency: Literal["INR"] = "INR"
    category: str = Field(min_length=1, max_length=60)
    hsn_code: str = Field(min_length=4, max_length=10)
    gst_rate: Decimal = Field(ge=0, le=40)  # percent: 0, 0.1, 0.25, 1.5, 3, 5, 12, 18, 28, 40
    weight_g: int = Field(default=0, ge=0, le=1_000_000)
    length_mm: int = Field(default=0, ge=0, le=100_000)
    width_mm: int = Field(default=0, ge=0, le=100_000)
    height_mm: int = Field(default=0, ge=0, le=100_000)
    return_category: str = Field(default="standard", min_length=1, max_length=30)
    return_days: int = Field(default=30, ge=0, le=365)
    final_sale: bool = False


class ItemView(_Body):
    id: int
    sku: str
    gtin: str
    name: str
    price_minor: int
    currency: str
    category: str
    hsn_code: str
    gst_rate_bp: int
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    return_category: str
    return_days: int
    final_sale: bool


class LocationIn(_Body):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["store", "warehouse", "dark_store"]
    city: str = Field(min_length=1, max_length=80)
    address: str = Field(default="", max_length=250)
    pincode: str = Field(min_length=6, max_length=7)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    gstin: str = Field(default="", max_length=15)
    capabilities: list[str] = Field(default_factory=list, max_length=10)
    daily_capacity: int = Field(default=200, ge=0, le=1_000_000)
    carriers: list[str] = Field(default_factory=list, max_length=50)
    pickup_hold_days: int = Field(default=5, ge=1, le=60)


class OpeningStockIn(_Body):
    location: str = Field(min_length=1, max_length=20)
    sku: str = Field(min_length=1, max_length=40)
    bucket: Literal["sellable", "quarantine", "damaged", "open_box", "rtv", "in_transit"] = (
        "sellable"
    )
    quantity: int = Field(ge=0, le=10_000_000)


class ReasonIn(_Body):
    label: str = Field(min_length=1, max_length=120)
    effect: Literal["none", "not_found", "damaged"]
    applies_to: list[Literal["short_pick", "ship_reject", "handover", "count", "return"]] = Field(
        min_length=1, max_length=5
    )
    active: bool = True
    sort_order: int = Field(default=0, ge=0, le=100_000)  # 0: last for a new reason


class StaffIn(_Body):
    name: str = Field(min_length=1, max_length=120)
    role: Literal["associate", "lead", "manager"]
    store: str = Field(default="", max_length=20)  # home store; "" for regional staff
    stores: list[str] = Field(default_factory=list, max_length=200)  # further stores
    badge: str = Field(default="", max_length=64)  # "" keeps the badge the person has
    active: bool = True


class PinIn(_Body):
    pin: str = Field(min_length=4, max_length=6, pattern=r"^[0-9]+$")
    by: str = Field(min_length=1, max_length=20, pattern=CODE)  # the manager's staff code


class SavedOut(_Body):
    """What one write did: the record was added, changed, or already so."""

    kind: MasterKind
    key: str
    outcome: Literal["added", "changed", "unchanged"]


class RowProblemOut(_Body):
    line: int
    message: str
    next_step: str


class ImportOut(_Body):
    kind: MasterKind
    rows: int
    added: int
    changed: int
    unchanged: int
    skipped: int
    problems: list[RowProblemOut]
    notes: list[str]


class ImportRefusedOut(_Body):
    """Body of a refused import (422): every bad row; nothing was imported."""

    error: Literal["bad_rows"] = "bad_rows"
    message: str
    next_step: str
    problems: list[RowProblemOut]


def as_text(body: BaseModel, **extra: str) -> dict[str, str]:
    """An API body as the text fields of a CSV row (the one place records are checked)."""
    fields: dict[str, str] = {}
    for name, value in body.model_dump().items():
        if isinstance(value, bool):
            fields[name] = "yes" if value else "no"
        elif isinstance(value, list | tuple):
            fields[name] = ";".join(str(v) for v in value)
        elif value is not None:
            fields[name] = str(value)
    return {**fields, **extra}


def save_one(request: Request, kind: MasterKind, fields: dict[str, str], key: str) -> SavedOut:
    """Check one record as a CSV row and write it; a refusal is its plain error."""
    record = BUILDERS[kind](fields)
    try:
        report = run_import(request.app.state.engine, one_record(kind, record), writer_for(kind))
    except ImportRefused as exc:
        raise first_problem(exc) from None
    outcome: Literal["added", "changed", "unchanged"] = (
        "added" if report.added else "changed" if report.changed else "unchanged"
    )
    return SavedOut(kind=kind, key=key, outcome=outcome)


@router.put("/items/{sku}", response_model=ItemView)
def put_item(sku: Code, body: ItemIn, request: Request) -> ItemView:
    """Add the item ``sku`` or change it (the whole item: fields left out take defaults)."""
    price = f"{Decimal(body.price_minor) / 100:f}"
    fields = as_text(body, sku=sku, price=price, gst_rate=f"{body.gst_rate:f}")
    save_one(request, MasterKind.ITEMS, fields, sku)
    return get_item(sku, request)


@router.get("/items/{sku}", response_model=ItemView)
def get_item(sku: Code, request: Request) -> ItemView:
    """One item with its master data."""
    found: ItemOut = item_view(request.app.state.engine, sku)
    return ItemView(**asdict(found))


@router.put("/locations/{code}", response_model=SavedOut)
def put_location(code: Code, body: LocationIn, request: Request) -> SavedOut:
    """Add the location ``code`` or change it (its kind stays what it was)."""
    return save_one(request, MasterKind.LOCATIONS, as_text(body, code=code), code.upper())


@router.put("/staff/{code}", response_model=SavedOut)
def put_staff(code: Code, body: StaffIn, request: Request) -> SavedOut:
    """Add the staff member ``code`` or change them; their PIN is set by a manager
    (``POST /admin/staff/{code}/pin``)."""
    return save_one(request, MasterKind.STAFF, as_text(body, code=code), code.upper())


@router.post("/staff/{code}/pin", status_code=204)
def post_staff_pin(code: Code, body: PinIn, request: Request) -> Response:
    """A manager sets or resets the PIN of someone who works at one of their stores."""
    set_pin(request.app.state.engine, code, body.pin, by=body.by)
    return Response(status_code=204)


@router.post("/stock/opening", response_model=SavedOut)
def post_opening_stock(body: OpeningStockIn, request: Request) -> SavedOut:
    """Opening stock of one item in one bucket at one location, to go live."""
    key = f"{body.location.upper()} {body.sku.upper()} {body.bucket}"
    return save_one(request, MasterKind.STOCK, as_text(body), key)


@router.put("/reasons/{code}", response_model=SavedOut)
def put_reason(code: Code, body: ReasonIn, request: Request) -> SavedOut:
    """Add the reason ``code`` or change it; ``active: false`` stops offering it."""
    return save_one(request, MasterKind.REASONS, as_text(body, code=code), code.lower())


@router.post(
    "/import/{kind}",
    response_model=ImportOut,
    responses={422: {"model": ImportRefusedOut}},
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
async def import_file(
    kind: MasterKind,
    request: Request,
    skip_bad_rows: Annotated[bool, Query()] = False,
    by: Annotated[str, Query(min_length=1, max_length=40, pattern=CODE)] = "admin",
) -> Any:
    """Import a CSV file (the body, UTF-8) as ``counterbench ledger import`` does."""
    raw = await request.body()
    if len(raw) > MAX_IMPORT_BYTES:
        raise BadInput("The file is larger than 64 MB.", next_step="Split it and import each.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("The file is not UTF-8 text.", next_step="Save it as CSV UTF-8.") from None
    parsed = read_rows(kind, text.splitlines(keepends=True))
    engine = request.app.state.engine
    try:
        report = await run_in_threadpool(
            run_import, engine, parsed, writer_for(kind), skip_bad_rows=skip_bad_rows, actor=by
        )
    except ImportRefused as exc:
        refused = ImportRefusedOut(
            message=exc.message, next_step=exc.next_step, problems=_problems(exc.problems)
        )
        return JSONResponse(refused.model_dump(), status_code=422)
    return ImportOut(
        kind=report.kind,
        rows=report.rows,
        added=report.added,
        changed=report.changed,
        unchanged=report.unchanged,
        skipped=report.skipped,
        problems=_problems(report.problems),
        notes=list(report.notes),
    )


def _problems(problems: Any) -> list[RowProblemOut]:
    return [RowProblemOut(line=p.line, message=p.message, next_step=p.next_step) for p in problems]
