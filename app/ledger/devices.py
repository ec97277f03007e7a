"""Devices: one-time enrol codes, enrolment, token authentication and revocation.

Tokens and codes are random and kept only as sha256 hashes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, Select, insert, select, update

from app.errors import KnownError, NotFound
from app.ledger.adoption import AdoptionRefused, hand_over
from app.ledger.models import Device, EnrolCode, Location, table_of
from app.ledger.writes import WriteBatch, aware, utcnow
from app.sync.protocol import EnrolRequest, EnrolResponse, PushRequest

devices = table_of(Device)
codes = table_of(EnrolCode)
locations = table_of(Location)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
CODE_LIFETIME = timedelta(days=7)
STATION_KINDS = ("counter", "bench")


class EnrolRefused(KnownError):
    """The enrol code is unknown, used or expired."""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class DeviceRef:
    """The authenticated device of a request."""

    device_id: str
    location_id: int
    location_code: str
    kind: str
    clock_exception_id: int | None = None  # open while its clock is off (clock_skew)


def create_enrol_code(engine: Engine, location_code: str, kind: str = "counter") -> str:
    """A new one-time code for enrolling a station at ``location_code``."""
    if kind not in STATION_KINDS:
        raise KnownError(f"A station is a counter or a bench, not '{kind}'.")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    shown = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    now = utcnow()
    with engine.begin() as conn:
        location_id = _location_id(conn, location_code)
        conn.execute(
            insert(codes).values(
                code_hash=sha256_hex(raw),
                location_id=location_id,
                kind=kind,
                created_at=now,
                expires_at=now + CODE_LIFETIME,
            )
        )
    return shown


def _location_id(conn: Connection, code: str) -> int:
    row = conn.execute(select(locations.c.id).where(locations.c.code == code)).first()
    if row is None:
        raise NotFound(
            f"There is no location with code {code}.",
            next_step="Check the store code (e.g. BLR-01) or seed the ledger first.",
        )
    return int(row[0])


def enrol(engine: Engine, request: EnrolRequest) -> EnrolResponse:
    """Consume a one-time code and issue a device id and token; with ``previous``, adopt
    (or drop, audited) the station's unsent operations of its previous enrolment
    (:mod:`app.ledger.adoption`). A refusal writes nothing: the code stays usable."""
    token = secrets.token_urlsafe(32)
    device_id = "dev-" + uuid.uuid4().hex[:16]
    with engine.begin() as conn:
        batch = WriteBatch(conn)  # the audit of a handover; locks the ledger head
        now = batch.now
        row = conn.execute(
            select(codes.c.id, codes.c.location_id, codes.c.kind, codes.c.expires_at)
            .where(codes.c.code_hash == sha256_hex(normalise_code(request.code)))
            .where(codes.c.used_at.is_(None))
            .with_for_update()
        ).first()
        if row is None or aware(row.expires_at) <= now:
            raise EnrolRefused(
                "This enrol code is not valid: it is unknown, already used or expired.",
                next_step="Ask the store manager for a new enrol code.",
            )
        conn.execute(
            update(codes).where(codes.c.id == row.id).values(used_at=now, device_id=device_id)
        )
        handover = hand_over(
            conn,
            batch,
            new_device_id=device_id,
            previous=request.previous,
            token_hash=sha256_hex(request.previous.token) if request.previous else "",
        )
        number = conn.execute(
            insert(devices)
            .values(
                device_id=device_id,
                name=request.station_name,
                kind=row.kind,
                location_id=row.location_id,
                token_hash=sha256_hex(token),
                last_applied_seq=handover.last_applied_seq,
                created_at=now,
            )
            .returning(devices.c.id)
        ).scalar_one()
        batch.flush()
        loc = conn.execute(
            select(locations.c.code, locations.c.name).where(locations.c.id == row.location_id)
        ).one()
    return EnrolResponse(
        device_id=device_id,
        token=token,
        location_code=loc.code,
        location_name=loc.name,
        station_kind=row.kind,
        adopted_device_id=handover.adopted_device_id,
        station_number=int(number),
    )


def _device_at_store() -> Select[Any]:
    """A device row with its store's code: what a :class:`DeviceRef` is made of."""
    d = devices.c
    return select(
        d.device_id,
        d.location_id,
        d.kind,
        d.clock_exception_id,
        d.adopted_through_seq,
        locations.c.code,
    ).join(locations, locations.c.id == d.location_id)


def _device_ref(row: Row[Any]) -> DeviceRef:
    return DeviceRef(
        device_id=row.device_id,
        location_id=row.location_id,
        location_code=row.code,
        kind=row.kind,
        clock_exception_id=row.clock_exception_id,
    )


def authenticate(conn: Connection, token: str) -> DeviceRef | None:
    """The device holding ``token``, or None when unknown or revoked."""
    row = conn.execute(
        _device_at_store()
        .where(devices.c.token_hash == sha256_hex(token))
        .where(devices.c.revoked_at.is_(None))
    ).first()
    return None if row is None else _device_ref(row)


def device_of(conn: Connection, device_id: str) -> DeviceRef:
    """The device ``device_id`` as a request of it would be (revoked or not)."""
    return _device_ref(
        conn.execute(_device_at_store().where(devices.c.device_id == device_id)).one()
    )


def acting_device(engine: Engine, device: DeviceRef, request: PushRequest) -> DeviceRef | None:
    """The device a push acts for: the requesting device itself, or a device whose unsent
    operations it adopted at re-enrolment (only up to the last one made under it).
    None when the push names a device it has nothing to do with."""
    if request.device_id == device.device_id:
        return device
    with engine.connect() as conn:
        adopted = conn.execute(
            _device_at_store()
            .where(devices.c.device_id == request.device_id)
            .where(devices.c.adopted_by == device.device_id)
        ).first()
    if adopted is None:
        return None
    through_seq = int(adopted.adopted_through_seq or 0)
    beyond = [op.device_seq for op in request.ops if op.device_seq > through_seq]
    if beyond:
        raise AdoptionRefused(
            f"Operation {beyond[0]} is newer than the operations this station adopted from "
            f"its previous enrolment (up to {through_seq}).",
            next_step="Call IT support; operations are kept on the station.",
        )
    return _device_ref(adopted)


def revoke_device(engine: Engine, device_id: str) -> None:
    """Revoke a device: its token stops working at once."""
    with engine.begin() as conn:
        done = conn.execute(
            update(devices)
            .where(devices.c.device_id == device_id)
            .where(devices.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        if done.rowcount == 0:
            exists = conn.execute(select(devices.c.id).where(devices.c.device_id == device_id))
            if exists.first() is None:
                raise NotFound(f"There is no device {device_id}.")


def set_last_applied(conn: Connection, device_id: str, seq: int) -> None:
    """Record that ``device_id``'s operations up to ``seq`` are applied."""
    conn.execute(
        update(devices).where(devices.c.device_id == device_id).values(last_applied_seq=seq)
    )
