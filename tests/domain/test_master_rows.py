"""Master-data CSV rows: each field's check, bad rows reported by line, the header."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app.domain import master_fields as f
from app.domain.gtin import complete_gtin
from app.domain.master_rows import MasterKind, read_rows
from app.errors import BadInput

GOOD_GTIN = complete_gtin("890100000001")
ITEMS_HEADER = "sku,gtin,name,price,category,hsn_code,gst_rate,length_mm,final_sale\n"


def _items(*rows: str) -> list[str]:
    """The file's physical lines, as the import reads them."""
    return "".join([ITEMS_HEADER, *(r + "\n" for r in rows)]).splitlines(keepends=True)


def test_a_good_item_row_becomes_a_record_with_paise_and_basis_points() -> None:
    parsed = read_rows(
        MasterKind.ITEMS,
        _items(f'kur-1,{GOOD_GTIN},"Cotton Kurta, M",1499.50,Apparel,6109,5,300,yes'),
    )
    assert parsed.problems == ()
    ((line, item),) = parsed.rows
    assert line == 2 and item.sku == "KUR-1" and item.name == "Cotton Kurta, M"
    assert item.price_minor == 149950 and item.gst_rate_bp == 500 and item.hsn_code == "6109"
    assert item.length_mm == 300 and item.width_mm == 0 and item.final_sale is True
    assert item.return_category == "standard" and item.currency == "INR"


def test_every_bad_row_is_reported_by_its_line_and_the_good_ones_still_read() -> None:
    bad_check = GOOD_GTIN[:-1] + str((int(GOOD_GTIN[-1]) + 1) % 10)
    parsed = read_rows(
        MasterKind.ITEMS,
        _items(
            f"A-1,{GOOD_GTIN},Kurta,100,Apparel,6109,5,0,no",
            f"A-2,{bad_check},Shirt,100,Apparel,6109,5,0,no",
            "",  # a blank line is skipped, but still counts as a line
            f"A-3,{complete_gtin('890100000002')},Saree,1O0,Apparel,6109,5,0,no",
            f"A-4,{complete_gtin('890100000003')},Jeans,100,Apparel,61,7,0,no",
            f"A-1,{complete_gtin('890100000004')},Again,100,Apparel,6109,5,0,no",
            "A-5,too,few",
        ),
    )
    assert [line for line, _ in parsed.rows] == [2]
    said = {p.line: str(p) for p in parsed.problems}
    assert sorted(said) == [3, 5, 6, 7, 8]
    assert "gtin: GTIN" in said[3] and "wrong check digit" in said[3]
    assert "price: '1O0' is not a price" in said[5]
    assert "hsn_code" in said[6]  # the first bad field of the row is named
    assert "A-1 is also on line 2" in said[7]
    assert "3 fields; the header has 9" in said[8]


def test_a_quoted_field_over_two_lines_keeps_the_next_rows_line_numbers_true() -> None:
    parsed = read_rows(
        MasterKind.ITEMS,
        _items(
            f'A-1,{GOOD_GTIN},"Kurta\nlong",100,Apparel,6109,5,0,no',
            f"A-2,{GOOD_GTIN},Shirt,100,Apparel,6109,5,0,no",
        ),
    )
    assert [line for line, _ in parsed.rows] == [2, 4]  # A-2 starts on line 4


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("sku,gtin,name,prce,category,hsn_code,gst_rate", "'prce' is not a column"),
        ("sku,gtin,name,category,hsn_code,gst_rate", "no 'price' column"),
        ("sku,sku,gtin,name,price,category,hsn_code,gst_rate", "named twice"),
        ("", "is empty"),
    ],
)
def test_a_wrong_header_refuses_the_whole_file(header: str, said: str) -> None:
    with pytest.raises(BadInput, match=said):
        read_rows(MasterKind.ITEMS, [header + "\n"] if header else [])


def test_gstin_shape_state_and_check_character() -> None:
    assert f.check_gstin(" 27aapfu0939f1zv ") == "27AAPFU0939F1ZV"
    with pytest.raises(BadInput, match="wrong last"):
        f.check_gstin("27AAPFU0939F1ZW")
    with pytest.raises(BadInput, match="no GST state code"):
        f.check_gstin("40AAPFU0939F1Z" + f.gstin_check_char("40AAPFU0939F1Z"))
    with pytest.raises(BadInput, match="not a GSTIN"):
        f.check_gstin("27AAPFU0939F1")


def test_location_row_checks_pincode_coordinates_capabilities_and_lists() -> None:
    header = "code,name,kind,city,pincode,latitude,longitude,gstin,capabilities,carriers\n"
    parsed = read_rows(
        MasterKind.LOCATIONS,
        [
            header,
            "blr-09,Bengaluru HSR,store,Bengaluru,560102,12.91,77.64,,"
            '"bopis;returns",delhivery|bluedart\n',
            "BLR-10,Swapped,store,Bengaluru,560102,77.64,12.91,,bopis,\n",
            "BLR-11,Bad pin,store,Bengaluru,056010,12.91,77.64,,bopis,\n",
            "BLR-12,Odd,store,Bengaluru,560102,12.91,77.64,,curbside,\n",
        ],
    )
    ((_, loc),) = parsed.rows
    assert loc.code == "BLR-09" and loc.capabilities == ("bopis", "returns")
    assert loc.carriers == ("delhivery", "bluedart") and loc.gstin == ""
    said = {p.line: str(p) for p in parsed.problems}
    assert "look swapped" in said[3] and "pincode" in said[4] and "'curbside'" in said[5]


def test_staff_rows_refuse_easy_pins_and_unknown_roles() -> None:
    parsed = read_rows(
        MasterKind.STAFF,
        [
            "code,name,role,store,pin\n",
            "a500,Asha Rao,associate,BLR-01,4827\n",
            "A501,Ravi,associate,BLR-01,1234\n",
            "A502,Ravi,boss,,\n",
        ],
    )
    ((_, person),) = parsed.rows
    assert person.code == "A500" and person.pin == "4827" and person.active
    said = {p.line: str(p) for p in parsed.problems}
    assert "too easy" in said[3] and "'boss' is not a role" in said[4]


def test_reason_rows_take_the_return_use_and_a_stock_effect() -> None:
    parsed = read_rows(
        MasterKind.REASONS,
        [
            "code,label,effect,applies_to\n",
            "defective,Defective,damaged,return;ship_reject\n",
            "lost,Lost,vanished,short_pick\n",
        ],
    )
    ((_, reason),) = parsed.rows
    assert [u.value for u in reason.applies_to] == ["return", "ship_reject"]
    assert "'vanished' is not a stock effect" in str(parsed.problems[0])


def test_gst_rates_in_force_and_prices() -> None:
    assert [f.gst_rate_bp(t) for t in ("0", "0.25", "3", "18%", "40")] == [0, 25, 300, 1800, 4000]
    with pytest.raises(BadInput, match="not a GST rate"):
        f.gst_rate_bp("17")
    assert f.price_minor("1,499.5") == 149950
    with pytest.raises(BadInput, match="not a price"):
        f.price_minor("12.345")


def test_the_readme_example_line_of_each_kind_reads_without_a_problem() -> None:
    """The README's CSV formats table: each example line under its columns (as a header)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    found = {}
    for line in readme.splitlines():
        row = re.match(r"\| (\w+) \(`[^|]*\) \| `([^`]*)` \| `([^`]*)` \|", line)
        if row:
            kind, columns, example = row.groups()
            header = re.sub(r"\[([a-z_]+)(=[^\]]*)?\]", r"\1", columns)
            found[kind] = read_rows(MasterKind(kind), [header + "\n", example + "\n"])
    assert sorted(found) == sorted(k.value for k in MasterKind)
    assert {k: (len(p.rows), p.problems) for k, p in found.items()} == {k: (1, ()) for k in found}


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (f.price_minor, "NaN"),
        (f.price_minor, "Infinity"),
        (f.gst_rate_bp, "Infinity"),
        (lambda t: f.decimal_number(t, "latitude"), "inf"),
        (f.check_hsn, "\u0661\u0662\u0663\u0664"),  # Arabic-Indic digits pass isdigit()
        (f.check_gtin, "\u0968" * 13),  # Devanagari digits
        (lambda t: f.check_text(t, "name", 20), "Kurta\x00"),
        (lambda t: f.check_text(t, "name", 20), "Kurta\udcff"),
    ],
)
def test_odd_text_is_a_bad_field_never_a_crash(check: Any, text: str) -> None:
    with pytest.raises(BadInput):
        check(text)


def test_a_line_the_csv_reader_cannot_read_refuses_the_file() -> None:
    with pytest.raises(BadInput, match="Line 3 cannot be read as CSV"):
        read_rows(
            MasterKind.ITEMS, _items(f"A-1,{GOOD_GTIN},K,1,A,6109,5,0,no", "A-2," + "x" * 200_000)
        )
