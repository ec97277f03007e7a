"""Ship operation payloads: each one reads from the wire and gives the same dictionary back;
what is missing or wrong is refused naming the field; control characters are dropped."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.shipping.op_parts import OverrideClaim
from app.domain.shipping.ops import (
    SHIP_PAYLOADS,
    ShipLabelVoid,
    ShipOp,
    ShipPack,
    ShipPick,
    ShipReject,
    ShipUnpick,
    parse_ship,
)
from app.domain.shipping.parcels import LOCAL_COURIER, SsccScheme
from app.domain.shipping.weights import WeightOutcome
from app.errors import BadInput

SSCC = SsccScheme("8901234").sscc(42, 7)
TARGET = {"location": "BLR-01", "fulfilment_id": 17}


def _parcel(**changes: Any) -> dict[str, Any]:
    parcel = {
        "sscc": SSCC,
        "box": "M",
        "weight_g": 1_320,
        "expected_g": 1_100,
        "lines": [{"sku": "SKU-TEA", "quantity": 2}],
        "carrier": LOCAL_COURIER,
        "tracking": SSCC,
        "override": {"lead": "L200", "reason": "filler"},
    }
    return {**parcel, **changes}


WIRE: dict[ShipOp, dict[str, Any]] = {
    ShipOp.PICK: {
        **TARGET,
        "lines": [
            {"sku": "SKU-TEA", "quantity": 2, "bin": "A-01-3"},
            {"sku": "SKU-TEA", "quantity": 1, "bin": "C-02-1"},
        ],
        "tote": "PB-7-T03",
        "batch": "PB-7",
    },
    ShipOp.UNPICK: {**TARGET, "lines": [{"sku": "SKU-TEA", "quantity": 1, "bin": "A-01-3"}]},
    ShipOp.REJECT: {**TARGET, "reason": "not_found", "lines": [{"sku": "SKU-RICE", "quantity": 1}]},
    ShipOp.PACK: {**TARGET, "parcel": _parcel()},
    ShipOp.LABEL_VOID: {**TARGET, "sscc": SSCC, "reason": "Label smudged"},
    ShipOp.HANDOVER: {**TARGET, "sscc": SSCC, "carrier": "SWIFT", "eway_bill": "123456789012"},
}


@pytest.mark.parametrize("op", list(ShipOp))
def test_every_ship_payload_reads_and_gives_back_the_same(op: ShipOp) -> None:
    parsed = parse_ship(op, WIRE[op])
    assert isinstance(parsed, SHIP_PAYLOADS[op]) and parsed.TYPE is op
    assert parsed.to_payload() == WIRE[op]
    assert parse_ship(op.value, parsed.to_payload()) == parsed


def test_every_op_name_has_a_payload() -> None:
    assert set(SHIP_PAYLOADS) == set(ShipOp)
    assert [op.value for op in ShipOp] == [
        "ship.pick", "ship.unpick", "ship.reject", "ship.pack", "ship.label_void",
        "ship.handover",
    ]  # fmt: skip


def test_a_pick_reads_bins_and_totes_in_capitals_and_drops_control_characters() -> None:
    pick = parse_ship(
        ShipOp.PICK,
        {
            **TARGET,
            "lines": [{"sku": "SKU-TEA\x1d", "quantity": 1, "bin": " a-01-3 "}],
            "tote": "pb-7-t03\r",
        },
    )
    assert isinstance(pick, ShipPick)
    assert (pick.lines[0].sku, pick.lines[0].bin, pick.tote, pick.batch) == (
        "SKU-TEA", "A-01-3", "PB-7-T03", "",
    )  # fmt: skip


def test_a_rejection_with_no_lines_is_the_whole_order() -> None:
    reject = parse_ship(ShipOp.REJECT, {**TARGET, "reason": "damaged"})
    assert isinstance(reject, ShipReject) and reject.whole_order
    assert not ShipReject.from_payload(WIRE[ShipOp.REJECT]).whole_order


def test_a_pack_carries_its_weight_check_and_override() -> None:
    pack = parse_ship(ShipOp.PACK, WIRE[ShipOp.PACK])
    assert isinstance(pack, ShipPack)
    assert pack.parcel.weight_check.outcome is WeightOutcome.HEAVY
    assert pack.parcel.override == OverrideClaim("L200", "filler")
    plain = ShipPack.from_payload({**TARGET, "parcel": _parcel(override=None, weight_g=1_100)})
    assert plain.parcel.override is None and plain.parcel.weight_check.within
    booked = _parcel(carrier="delhivery", tracking="DL123")
    assert ShipPack.from_payload({**TARGET, "parcel": booked}).parcel.tracking == "DL123"


def _refused(op: ShipOp, payload: dict[str, Any]) -> str:
    with pytest.raises(BadInput) as err:
        parse_ship(op, payload)
    return str(err.value)


@pytest.mark.parametrize(
    ("op", "payload", "message"),
    [
        (ShipOp.PICK, {"fulfilment_id": 17}, "The operation is missing 'location'."),
        (ShipOp.PICK, {**WIRE[ShipOp.PICK], "fulfilment_id": 0}, "fulfilment order id must be"),
        (ShipOp.PICK, {**WIRE[ShipOp.PICK], "fulfilment_id": "17"}, "fulfilment order id"),
        (ShipOp.PICK, {**WIRE[ShipOp.PICK], "location": " "}, "location code of the bench"),
        (ShipOp.PICK, {**WIRE[ShipOp.PICK], "tote": ""}, "which tote the picked units"),
        (ShipOp.PICK, {**WIRE[ShipOp.PICK], "lines": []}, "needs at least one line"),
        (
            ShipOp.PICK,
            {**WIRE[ShipOp.PICK], "lines": [{"sku": "A", "quantity": 1, "bin": "X"}] * 2},
            "only once per bin",
        ),
        (
            ShipOp.UNPICK,
            {**TARGET, "lines": [{"sku": "A", "quantity": 1}]},
            "which bin the A units came from or went back to",
        ),
        (
            ShipOp.UNPICK,
            {**TARGET, "lines": [{"sku": "A", "quantity": 0, "bin": "X"}]},
            "The quantity of A must be a whole number of at least 1.",
        ),
        (ShipOp.UNPICK, {**TARGET, "lines": ["A"]}, "Each line is an object."),
        (ShipOp.REJECT, {**TARGET}, "Give a rejection reason."),
        (ShipOp.REJECT, {**TARGET, "reason": "not found!"}, "'not found!' is not a rejection"),
        (
            ShipOp.REJECT,
            {**TARGET, "reason": "x", "lines": [{"sku": "A", "quantity": 1}] * 2},
            "only once in an operation",
        ),
        (ShipOp.PACK, {**TARGET}, "The parcel is an object."),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(sscc="123")}, "'123' is not an SSCC"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(box="")}, "which box the parcel"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(weight_g=0)}, "The parcel weight (g)"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(weight_g=70_001)}, "at most 70000"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(expected_g=None)}, "expected parcel weight"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(lines=[])}, "at least one line"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(carrier="")}, "which carrier takes"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(tracking="")}, "has no tracking number"),
        (ShipOp.PACK, {**TARGET, "parcel": _parcel(tracking="X1")}, "track parcel"),
        (
            ShipOp.PACK,
            {**TARGET, "parcel": _parcel(override={"lead": "", "reason": "filler"})},
            "names the lead who accepted it",
        ),
        (
            ShipOp.PACK,
            {**TARGET, "parcel": _parcel(override={"lead": "L200", "reason": "ok"})},
            "needs the lead's reason",
        ),
        (ShipOp.LABEL_VOID, {**TARGET, "sscc": SSCC}, "Give a reason for voiding the label."),
        (ShipOp.LABEL_VOID, {**TARGET, "reason": "smudged"}, "'' is not an SSCC"),
    ],
)
def test_bad_payloads_are_refused_naming_the_field(
    op: ShipOp, payload: dict[str, Any], message: str
) -> None:
    assert message in _refused(op, payload)


def test_an_unknown_operation_or_no_payload_is_refused() -> None:
    assert "'ship.teleport' is not a ship operation." in _refused("ship.teleport", {})  # type: ignore[arg-type]
    assert "The ship.pick operation has no payload." in _refused(ShipOp.PICK, None)  # type: ignore[arg-type]


_sku = st.text("ABCDEFGHJK-0123456789", min_size=1, max_size=12)
_bin_lines = st.lists(
    st.fixed_dictionaries(
        {"sku": _sku, "quantity": st.integers(1, 999), "bin": st.sampled_from(["A-01-1", "B-2"])}
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda d: (d["sku"], d["bin"]),
)


@settings(max_examples=50)
@given(_bin_lines, st.integers(1, 10**9))
def test_picks_and_unpicks_survive_the_round_trip(lines: list[dict[str, Any]], fid: int) -> None:
    wire = {"location": "BLR-01", "fulfilment_id": fid, "lines": lines}
    unpick = ShipUnpick.from_payload(wire)
    assert unpick.to_payload() == wire
    pick = ShipPick.from_payload({**wire, "tote": "PB-1-T01"})
    assert [line.to_payload() for line in pick.lines] == lines
    void = ShipLabelVoid.from_payload({**wire, "sscc": SSCC, "reason": "reprint"})
    assert void.sscc == SSCC


def test_a_packs_invoice_number_is_optional_and_sent_only_when_given() -> None:
    plain = ShipPack.from_payload({**TARGET, "parcel": _parcel()})
    assert plain.invoice == "" and "invoice" not in plain.to_payload()  # as before invoices
    first = ShipPack.from_payload({**TARGET, "parcel": _parcel(), "invoice": "B0001/2627/00001"})
    assert first.to_payload()["invoice"] == "B0001/2627/00001"
    assert ShipPack.from_payload(first.to_payload()) == first
    # a newer bench's field this program does not know is ignored, as older ledgers do
    assert ShipPack.from_payload({**first.to_payload(), "e_way_bill": "x"}) == first
    with pytest.raises(BadInput, match="cannot be an invoice number"):
        ShipPack.from_payload({**TARGET, "parcel": _parcel(), "invoice": "B0001/2627/000001"})
