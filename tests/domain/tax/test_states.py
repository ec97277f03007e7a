"""Place of supply: a delivery address's state as people type it, to its GST code."""

from __future__ import annotations

import pytest

from app.domain.tax.states import STATE_NAMES, state_by_code, state_of
from app.errors import BadInput


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Karnataka", "29"),
        ("KA", "29"),
        (" karnataka ", "29"),
        ("IN-KA", "29"),
        ("Maharashtra", "27"),
        ("Jammu & Kashmir", "01"),
        ("Orissa", "21"),
        ("Pondicherry", "34"),
        ("Tamilnadu", "33"),
        ("New Delhi", "07"),
        ("Telangana", "36"),
        ("TG", "36"),
        ("Andhra Pradesh", "37"),
        ("Daman and Diu", "26"),
        ("Andaman & Nicobar Islands", "35"),
    ],
)
def test_names_spellings_and_short_codes_find_the_state(typed: str, code: str) -> None:
    assert state_of(typed).code == code


def test_every_state_is_found_by_its_own_name_and_prints_with_its_code() -> None:
    for code, name in STATE_NAMES.items():
        assert state_of(name.upper()).code == code
    assert state_by_code("29").text() == "Karnataka (29)"


@pytest.mark.parametrize("typed", ["", "Bengaluru", "XX", "Karnatak"])
def test_a_place_that_is_no_state_is_refused(typed: str) -> None:
    with pytest.raises(BadInput, match="not an Indian state") as caught:
        state_of(typed)
    assert "Ask HQ" in caught.value.next_step


def test_a_code_of_no_state_is_refused() -> None:
    with pytest.raises(BadInput, match="no GST state code"):
        state_by_code("28")  # the old Andhra Pradesh's, no longer given
