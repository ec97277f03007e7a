"""The fields every pickup and ship payload shares (app/domain/op_fields.py)."""

import pytest

from app.domain.op_fields import text, whole
from app.domain.pickup_ops import PickupAccept
from app.domain.shipping.ops import ShipUnpick
from app.errors import BadInput


@pytest.mark.parametrize("value", [True, -1, 2.0, "3", None])
def test_a_whole_number_refuses_anything_else(value: object) -> None:
    with pytest.raises(BadInput, match=r"^The count must be a whole number of at least 0"):
        whole(value, "The count")


def test_a_whole_number_over_its_maximum_is_refused() -> None:
    assert whole(5, "Units", maximum=5) == 5
    with pytest.raises(BadInput, match=r"^Units must be at most 5"):
        whole(6, "Units", maximum=5)


def test_text_drops_control_characters_and_refuses_a_missing_field() -> None:
    assert text({"bin": " H-\x0001\x1d "}, "bin") == "H-01"
    assert text({}, "note", "") == ""
    with pytest.raises(BadInput, match="missing 'bin'"):
        text({}, "bin")


def test_each_kind_of_payload_names_a_missing_location_in_its_own_words() -> None:
    with pytest.raises(BadInput, match=r"^A pickup operation needs the store's location code"):
        PickupAccept.from_payload({"location": "", "fulfilment_id": 7})
    with pytest.raises(BadInput, match=r"^A ship operation needs the location code of the bench"):
        line = {"sku": "A", "quantity": 1, "bin": "B-01"}
        ShipUnpick.from_payload({"location": "", "fulfilment_id": 7, "lines": [line]})


def test_both_kinds_read_and_give_back_the_order_they_are_for() -> None:
    accept = PickupAccept.from_payload({"location": "BLR-01", "fulfilment_id": 7})
    assert accept.to_payload() == {"location": "BLR-01", "fulfilment_id": 7}
    with pytest.raises(BadInput, match="The fulfilment order id must be a whole number"):
        PickupAccept.from_payload({"location": "BLR-01", "fulfilment_id": 0})
