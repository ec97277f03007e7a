"""Re-enrolment hands the old device's unsent operations to the new device, audited.

Why the new device pushes the old device's operations *under the old device_id and
numbering* instead of the station renumbering them under the new device:

Exactly-once on the ledger rests on one invariant: each (device_id, device_seq) is
applied at most once, checked under the device row's lock (``app.ledger.push``), with
``ops_received`` answering a replay with the stored result. Keeping the old numbering
keeps that proof unchanged: an operation the ledger already applied (its answer lost
before the re-enrolment) comes back as a replay, and a push of the old device still in
flight somewhere meets the same row lock and the same stored results. Renumbering would
give each pending operation a second identity (new device, new seq); exactly-once would
then hang on the station knowing precisely which old seqs the ledger had applied at the
moment of re-enrolment, and on no old push landing after it, which nothing enforces.

So an adoption records, on the old device's row, who adopted it and the last device_seq
the adopter may push in its name (``through_seq``, what the station made under it). The
old device is revoked in the same transaction (its token stops working), and the new
device numbers its own operations on from ``through_seq``. ``--discard-pending`` drops
the operations instead: also revoked, and audited with how many were dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from app.errors import KnownError
from app.ledger.models import Device, table_of
from app.ledger.writes import WriteBatch
from app.sync.protocol import PreviousEnrolment

devices = table_of(Device)


class AdoptionRefused(KnownError):
    """The previous enrolment cannot hand its operations over (unknown, or taken)."""


@dataclass(frozen=True)
class Handover:
    """What an enrolment did with the previous one: the new device's last_applied_seq
    (its numbering goes on from there) and the device it adopted, if it did."""

    last_applied_seq: int
    adopted_device_id: str | None


def hand_over(
    conn: Connection,
    batch: WriteBatch,
    *,
    new_device_id: str,
    previous: PreviousEnrolment | None,
    token_hash: str,
) -> Handover:
    """Adopt (or, asked to, discard) the previous enrolment's unsent operations, in the
    enrolment's transaction; raises ``AdoptionRefused`` (nothing is written then)."""
    if previous is None:
        return Handover(0, None)
    old = (
        conn.execute(
            select(devices.c.device_id, devices.c.adopted_by, devices.c.revoked_at)
            .where(devices.c.device_id == previous.device_id)
            .where(devices.c.token_hash == token_hash)
            .with_for_update()
        )
        .mappings()
        .first()
    )
    if previous.discard:
        return _discard(conn, batch, new_device_id, previous, known=old is not None)
    if old is None:
        raise AdoptionRefused(
            f"This ledger does not know the station's previous enrolment, so its "
            f"{previous.pending} unsent operation(s) cannot be handed over.",
            next_step="Enrol with the ledger this station used before. To drop those "
            "operations instead, enrol again with --discard-pending (the ledger records it).",
        )
    if old["adopted_by"] is not None:
        raise AdoptionRefused(
            "The previous enrolment's operations were already handed to another station.",
            next_step="Call IT support: this station's data may have been copied.",
        )
    conn.execute(
        update(devices)
        .where(devices.c.device_id == previous.device_id)
        .values(
            adopted_by=new_device_id,
            adopted_through_seq=previous.through_seq,
            revoked_at=old["revoked_at"] or batch.now,
        )
    )
    batch.audit(
        actor=f"device:{new_device_id}",
        approver=None,
        action="device.adopt_outbox",
        subject={
            "device_id": new_device_id,
            "adopted_device_id": previous.device_id,
            "through_seq": previous.through_seq,
            "pending": previous.pending,
            "was_revoked": old["revoked_at"] is not None,
        },
    )
    return Handover(previous.through_seq, previous.device_id)


def _discard(
    conn: Connection,
    batch: WriteBatch,
    new_device_id: str,
    previous: PreviousEnrolment,
    *,
    known: bool,
) -> Handover:
    """The station chose to drop its unsent operations: record that, revoke the old token."""
    if known:
        conn.execute(
            update(devices)
            .where(devices.c.device_id == previous.device_id)
            .where(devices.c.revoked_at.is_(None))
            .values(revoked_at=batch.now)
        )
    batch.audit(
        actor=f"device:{new_device_id}",
        approver=None,
        action="device.discard_pending",
        subject={
            "device_id": new_device_id,
            "previous_device_id": previous.device_id,
            "through_seq": previous.through_seq,
            "discarded": previous.pending,
            "previous_known": known,  # False: the token was not this ledger's
        },
    )
    return Handover(0, None)
