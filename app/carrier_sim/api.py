"""The simulated carrier's HTTP API, shaped like a courier's booking API.

Carrier calls (``/v1``; faults apply):

* ``GET /v1/pincodes/{pincode}``: ``{"pincode", "serviceable"}``
* ``POST /v1/shipments`` with ``Idempotency-Key: <SSCC>``: 201 a new shipment, 200 the
  one booked before with that key (``"replayed": true``); 409 when the key was used for
  another parcel; 422 ``{"reason"}`` when refused
* ``GET /v1/shipments?idempotency_key=K``, ``GET /v1/shipments/{tracking}``: a shipment
* ``GET /v1/shipments/{tracking}/label``: its label data
* ``POST /v1/shipments/{tracking}/cancel``: cancelled; 409 once collected
* ``GET /v1/events?after=N&limit=M``: ``{"events": [...], "cursor"}``

Simulator controls (``/sim``; never faulty): ``GET|POST /sim/mode`` (see
:mod:`app.carrier_sim.faults`), ``POST /sim/advance`` ``{"tracking", "to"}`` moves a
shipment to its next event (and pushes it to the webhook, when one is set),
``GET /sim/shipments`` lists every shipment and how many tracking numbers were issued.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.carrier_sim.faults import Fault, Faults, FaultSwitch, Mode
from app.carrier_sim.state import Event, Shipment, SimCarrier, SimRefusal, UnknownShipment
from app.carrier_sim.webhook import push_event


class Consignee(BaseModel):
    name: str
    address: str
    city: str
    pincode: str = Field(pattern=r"^[1-9][0-9]{5}$")
    phone: str


class ShipmentRequest(BaseModel):
    reference: str  # the shipper's order number
    consignee: Consignee
    weight_g: int = Field(gt=0)
    value_paise: int = Field(ge=0)
    cod_paise: int = Field(default=0, ge=0)


class ModeRequest(BaseModel):
    fault: Fault = Fault.NONE
    delay_ms: int = Field(default=0, ge=0)
    reason: str = Mode.reason
    times: int | None = Field(default=None, ge=1)


class AdvanceRequest(BaseModel):
    tracking: str
    to: str | None = None


def create_sim_app(
    carrier: SimCarrier, *, switch: FaultSwitch | None = None, webhook: str = ""
) -> Faults:
    """The simulator's ASGI app over ``carrier``'s books; ``webhook``: where events go."""
    switch = switch or FaultSwitch()
    app = FastAPI(title="Carrier simulator", version="1")
    app.state.carrier = carrier
    app.state.webhook = webhook

    @app.exception_handler(SimRefusal)
    async def refused(_: Request, exc: SimRefusal) -> JSONResponse:
        return JSONResponse({"reason": exc.reason}, status_code=exc.status)

    @app.exception_handler(UnknownShipment)
    async def unknown(_: Request, exc: UnknownShipment) -> JSONResponse:
        return JSONResponse({"reason": f"we have no shipment {exc}."}, status_code=404)

    @app.get("/v1/pincodes/{pincode}")
    async def pincode(pincode: str) -> dict[str, Any]:
        return {"pincode": pincode, "serviceable": carrier.serviceable(pincode)}

    @app.post("/v1/shipments", status_code=201)
    async def book(
        body: ShipmentRequest, idempotency_key: Annotated[str, Header(min_length=1)]
    ) -> JSONResponse:
        shipment, made = carrier.book(idempotency_key, body.model_dump())
        return JSONResponse(
            _shipment(shipment, replayed=not made), status_code=201 if made else 200
        )

    @app.get("/v1/shipments")
    async def find(idempotency_key: str) -> dict[str, Any]:
        return _shipment(carrier.find(idempotency_key))

    @app.get("/v1/shipments/{tracking}")
    async def shipment(tracking: str) -> dict[str, Any]:
        return _shipment(carrier.get(tracking))

    @app.get("/v1/shipments/{tracking}/label")
    async def label(tracking: str) -> dict[str, Any]:
        return _label(carrier.get(tracking))

    @app.post("/v1/shipments/{tracking}/cancel")
    async def cancel(tracking: str) -> dict[str, Any]:
        return _shipment(carrier.cancel(tracking))

    @app.get("/v1/events")
    async def events(
        after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> dict[str, Any]:
        page = carrier.events_after(after, limit)
        return {"events": [_event(e) for e in page], "cursor": page[-1].seq if page else after}

    @app.get("/sim/mode")
    async def mode() -> dict[str, Any]:
        return asdict(switch.mode)

    @app.post("/sim/mode")
    async def set_mode(body: ModeRequest) -> dict[str, Any]:
        switch.set(Mode(body.fault, body.delay_ms, body.reason, body.times))
        return asdict(switch.mode)

    @app.post("/sim/advance")
    async def advance(body: AdvanceRequest) -> dict[str, Any]:
        event = _event(carrier.advance(body.tracking, body.to))
        if app.state.webhook:
            push_event(app.state.webhook, event)
        return event

    @app.get("/sim/shipments")
    async def shipments() -> dict[str, Any]:
        return {"shipments": [_shipment(s) for s in carrier.shipments()], "issued": carrier.issued}

    return Faults(app, switch)


def _label(shipment: Shipment) -> dict[str, Any]:
    return {
        "service": shipment.service,
        "routing_code": shipment.routing_code,
        "sort_code": shipment.sort_code,
        "barcode": shipment.tracking,
    }


def _shipment(shipment: Shipment, *, replayed: bool = False) -> dict[str, Any]:
    return {
        "tracking": shipment.tracking,
        "idempotency_key": shipment.key,
        "reference": shipment.request["reference"],
        "status": shipment.status,
        "booked_at": shipment.booked_at.isoformat(),
        "label": _label(shipment),
        "replayed": replayed,
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "tracking": event.tracking,
        "idempotency_key": event.key,
        "event": event.kind,
        "at": event.at.isoformat(),
        "place": event.place,
    }
