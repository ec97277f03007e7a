"""An exchange: the refund meets the replacements (worked examples), where each
replacement unit comes from, the order's number, and the ``exchange.order`` payload with
each refusal in words."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.domain.returns.exchange import (
    FROM_HERE_WORDS,
    ExchangeLine,
    ExchangeOrder,
    Replacement,
    Settlement,
    check_replacement,
    exchange_lines,
    exchange_order_number,
    from_here_by_line,
    parse_exchange,
    settle,
)
from app.errors import BadInput, RuleRefused

ORDER_WORDS = (
    "An exchange order's number is its store and return: "
    "EX-<store>-<the return id's first 12 hex digits>."
)
RETURN_ID = "5f0c2a4e-8b7d-4c1a-9e3f-2d6b1a7c9e40"
SPEAKER = Replacement("SKU-1004", "Bluetooth speaker, 20 W", 2_199_00, from_here=True)
BOTTLE = Replacement("SKU-1001", "Steel water bottle 1 litre", 449_00, from_here=False)
KURTA = Replacement("SKU-1000", "Silk kurta, indigo, size L", 2_600_00, from_here=True)


def _payload(**changed: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "location": "BLR-01",
        "return_id": RETURN_ID,
        "order_number": "EX-BLR-01-5F0C2A4E8B7D",
        "pickup_code": "482913",
        "customer_name": "Priya Sharma",
        "lines": [{"sku": "SKU-1004", "quantity": 1}, {"sku": "SKU-1001", "quantity": 2}],
        "refund_minor": 1_893_92,
        "replacement_minor": 3_097_00,
    }
    return payload | changed


def test_a_refund_larger_than_the_replacement_pays_for_it_and_the_rest_goes_back() -> None:
    # ₹1,893.92 back, a ₹449.00 bottle taken: ₹449.00 of it applied, ₹1,444.92 refunded
    settled = Settlement(refund_minor=1_893_92, replacement_minor=449_00)
    assert (settled.applied_minor, settled.to_pay_minor, settled.to_refund_minor) == (
        449_00, 0, 1_444_92
    )  # fmt: skip
    assert settled.words("to the original payment") == (
        "₹449.00 of the refund pays for it; ₹1,444.92 is refunded to the original payment."
    )
    assert settled.words("as store credit").endswith("₹1,444.92 is refunded as store credit.")


def test_a_refund_smaller_than_the_replacement_leaves_the_rest_to_pay_at_the_till() -> None:
    # ₹1,893.92 back, a ₹2,199.00 speaker taken: the customer pays ₹305.08
    settled = Settlement(refund_minor=1_893_92, replacement_minor=2_199_00)
    assert (settled.applied_minor, settled.to_pay_minor, settled.to_refund_minor) == (
        1_893_92, 305_08, 0
    )  # fmt: skip
    assert settled.words("to the original payment") == (
        "The refund of ₹1,893.92 pays for part of it: the customer pays ₹305.08 at the till."
    )


def test_a_refund_equal_to_the_replacement_pays_for_it_exactly() -> None:
    settled = Settlement(refund_minor=2_199_00, replacement_minor=2_199_00)
    assert (settled.applied_minor, settled.to_pay_minor, settled.to_refund_minor) == (
        2_199_00, 0, 0
    )  # fmt: skip
    assert settled.words("as store credit") == (
        "The refund pays for it exactly: nothing to pay, nothing to refund."
    )


def test_settle_adds_every_replacement_unit_at_its_price() -> None:
    # 2,199.00 + 449.00 + 449.00 + 2,600.00 = 5,697.00, less the ₹1,893.92 refund: 3,803.08
    settled = settle(1_893_92, [SPEAKER, BOTTLE, BOTTLE, KURTA])
    assert settled == Settlement(1_893_92, 5_697_00)
    assert settled.to_pay_minor == 3_803_08
    assert settle(1_893_92, [BOTTLE]).to_refund_minor == 1_444_92


def test_the_order_lines_count_units_of_each_item_in_the_order_first_scanned() -> None:
    assert exchange_lines([BOTTLE, SPEAKER, BOTTLE, KURTA, BOTTLE]) == (
        ExchangeLine("SKU-1001", 3), ExchangeLine("SKU-1004", 1), ExchangeLine("SKU-1000", 1)
    )  # fmt: skip


def test_units_come_from_this_shelf_while_it_has_them_then_from_elsewhere() -> None:
    # 2 on this store's shelf, 1 more at the warehouse: the 1st and 2nd from here, the 3rd
    # sent here, the 4th refused
    assert [check_replacement("Bluetooth speaker", 2, 1, taken) for taken in (0, 1, 2)] == [
        True, True, False
    ]  # fmt: skip
    assert check_replacement("Bluetooth speaker", 0, 5, 0) is False
    with pytest.raises(RuleRefused) as refused:
        check_replacement("Bluetooth speaker, 20 W", 2, 1, 3)
    assert refused.value.message == (
        "No store or warehouse has another Bluetooth speaker, 20 W to promise, so it cannot "
        "be the replacement."
    )
    assert refused.value.next_step == (
        "Scan another size or colour, or Esc to give the refund instead."
    )


def test_nothing_anywhere_is_refused_at_the_first_unit() -> None:
    with pytest.raises(RuleRefused, match="No store or warehouse has another Kurta"):
        check_replacement("Kurta", 0, 0, 0)


def test_the_order_number_is_the_store_and_8_hex_of_the_return_in_capitals() -> None:
    number = exchange_order_number("BLR-01", RETURN_ID)
    assert number == "EX-BLR-01-5F0C2A4E8B7D"
    # the same return gives the same number however its uuid is written, offline too
    assert exchange_order_number("BLR-01", RETURN_ID.replace("-", "").upper()) == number
    assert exchange_order_number("DEL-02", RETURN_ID) == "EX-DEL-02-5F0C2A4E8B7D"
    other = exchange_order_number("BLR-01", "0a1b2c3d-0000-4000-8000-000000000000")
    assert other == "EX-BLR-01-0A1B2C3D0000" != number


def test_the_payload_reads_back_what_it_was_written_from() -> None:
    order = parse_exchange(_payload())
    assert order == ExchangeOrder(
        location="BLR-01",
        return_id="5f0c2a4e8b7d4c1a9e3f2d6b1a7c9e40",  # kept as the uuid's hex
        order_number="EX-BLR-01-5F0C2A4E8B7D",
        pickup_code="482913",
        customer_name="Priya Sharma",
        lines=(ExchangeLine("SKU-1004", 1), ExchangeLine("SKU-1001", 2)),
        refund_minor=1_893_92,
        replacement_minor=3_097_00,
    )
    assert ExchangeOrder.from_payload(order.to_payload()) == order
    assert order.settlement == Settlement(1_893_92, 3_097_00)
    assert order.TYPE == "exchange.order"


def test_where_each_unit_comes_from_is_kept_line_by_line_and_named_again_for_a_reprint() -> None:
    scanned = [SPEAKER, BOTTLE, replace(SPEAKER, from_here=False)]  # the last one sent here
    lines = exchange_lines(scanned)
    where = from_here_by_line(scanned)
    order = parse_exchange(_payload(lines=[{"sku": x.sku, "quantity": x.quantity}
                                           for x in lines], from_here=list(where)))  # fmt: skip

    assert lines == (ExchangeLine("SKU-1004", 2), ExchangeLine("SKU-1001", 1))
    assert where == (True, False, False)  # the speakers, then the bottle
    assert order.from_here == where
    assert ExchangeOrder.from_payload(order.to_payload()) == order
    named = {"SKU-1004": (SPEAKER.name, SPEAKER.price_minor)}  # the bottle left the catalog
    assert order.replacements(named) == (
        SPEAKER, replace(SPEAKER, from_here=False), Replacement("SKU-1001", "SKU-1001", 0, False),
    )  # fmt: skip


def test_an_exchange_that_kept_no_where_reads_back_the_same_and_names_it_not_known() -> None:
    order = parse_exchange(_payload())
    assert order.from_here is None and "from_here" not in order.to_payload()
    assert parse_exchange(_payload(from_here=None)) == order
    named = {"SKU-1004": (SPEAKER.name, SPEAKER.price_minor),
             "SKU-1001": (BOTTLE.name, BOTTLE.price_minor)}  # fmt: skip
    assert order.replacements(named) == (
        replace(SPEAKER, from_here=None), *[replace(BOTTLE, from_here=None)] * 2,
    )  # fmt: skip


@pytest.mark.parametrize(
    "from_here",
    [[True, False], [True, False, True, False], "TTF", [1, 0, 0], [True, None, False],
     {"SKU-1004": True}, [True] * 1001],
)  # fmt: skip
def test_a_bad_from_here_is_refused_with_words(from_here: Any) -> None:
    with pytest.raises(BadInput) as refused:
        parse_exchange(_payload(from_here=from_here))
    assert refused.value.message == FROM_HERE_WORDS


def test_a_walk_in_exchange_is_named_for_the_slip() -> None:
    assert parse_exchange(_payload(customer_name="")).customer_name == "Exchange customer"
    unnamed = _payload()
    del unnamed["customer_name"]
    assert parse_exchange(unnamed).customer_name == "Exchange customer"


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        ({"lines": []}, "An exchange holds 1 to 20 replacement lines."),
        ({"lines": [{"sku": f"SKU-{n}", "quantity": 1} for n in range(21)]},
         "An exchange holds 1 to 20 replacement lines."),
        ({"lines": None}, "An exchange holds a list of 1 to 20 lines."),
        ({"lines": ["SKU-1004"]}, "Line 1 of the exchange is not a line."),
        ({"lines": [{"sku": "", "quantity": 1}]}, "Line 1 of the exchange needs the item's SKU."),
        ({"return_id": "not-a-uuid"}, "The exchange names no return (the return's uuid)."),
        ({"return_id": None}, "The exchange names no return (the return's uuid)."),
        ({"order_number": "BLR-01-5F0C2A4E8B7D"}, ORDER_WORDS),
        ({"order_number": "EX-MUM-01-5F0C2A4E8B7D"}, ORDER_WORDS),  # another store's
        ({"order_number": "EX-" + "9" * 38}, ORDER_WORDS),
        ({"pickup_code": "١٢٣٤٥٦"}, "An exchange order needs a 6-digit pickup code."),
        ({"pickup_code": "48291"}, "An exchange order needs a 6-digit pickup code."),
        ({"pickup_code": "4829130"}, "An exchange order needs a 6-digit pickup code."),
        ({"pickup_code": "48291A"}, "An exchange order needs a 6-digit pickup code."),
        ({"location": ""}, "An exchange needs the location code of the station."),
        ({"lines": [{"sku": "SKU-1004", "quantity": 0}]},
         "Line 1's quantity must be a whole number of at least 1."),
        ({"lines": [{"sku": "SKU-1004", "quantity": 1}, {"sku": "SKU-1001", "quantity": 51}]},
         "Line 2's quantity must be at most 50."),
        ({"lines": [{"sku": "SKU-1004", "quantity": True}]},
         "Line 1's quantity must be a whole number of at least 1."),
        ({"lines": [{"sku": "SKU-1004", "quantity": 1.0}]},
         "Line 1's quantity must be a whole number of at least 1."),
        ({"refund_minor": -1}, "The refund must be a whole number of at least 0."),
        ({"refund_minor": False}, "The refund must be a whole number of at least 0."),
        ({"refund_minor": 10**12 + 1}, "The refund must be at most 1000000000000."),
        ({"replacement_minor": -449_00},
         "The replacement's value must be a whole number of at least 0."),
        ({"replacement_minor": "449.00"},
         "The replacement's value must be a whole number of at least 0."),
    ],
)  # fmt: skip
def test_a_bad_payload_is_refused_with_words(changed: dict[str, Any], said: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_exchange(_payload(**changed))
    assert refused.value.message == said


def test_a_payload_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BadInput, match=r"^The exchange operation has no payload\.$"):
        parse_exchange(["exchange"])  # type: ignore[arg-type]


def test_twenty_lines_are_the_most_an_exchange_holds() -> None:
    lines = [{"sku": f"SKU-{n}", "quantity": 50} for n in range(20)]
    assert len(parse_exchange(_payload(lines=lines)).lines) == 20
