"""GST rate rows of a master-data file: read into the rate table, or refused naming the
column; a whole file through the master-data reader reports each bad line."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.master_rows import MasterKind, read_rows
from app.domain.tax.rate_records import gst_rate_record
from app.domain.tax.rates import GstRate
from app.errors import BadInput


def test_a_banded_row_and_a_flat_row_are_read() -> None:
    banded = gst_rate_record(
        {"hsn_prefix": "61", "rate": "5", "effective_from": "2025-09-22",
         "band_limit": "2,500.00", "rate_above": "18%"}
    )  # fmt: skip
    flat = gst_rate_record({"hsn_prefix": "7323.00", "rate": "5", "effective_from": "2025-09-22"})
    assert banded == GstRate("61", 500, date(2025, 9, 22), 2_500_00, 1800)
    assert flat == GstRate("732300", 500, date(2025, 9, 22))


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"rate": "7"}, "rate: '7' is not a GST rate"),
        ({"effective_from": "22/09/2025"}, "effective_from: '22/09/2025' is not a date"),
        ({"band_limit": "lots"}, "band_limit: 'lots' is not a price"),
        ({"rate_above": "19"}, "rate_above: '19' is not a GST rate"),
        ({"rate_above": ""}, "HSN 61: a price band needs both"),
        ({"hsn_prefix": "6"}, "'6' is not an HSN code or chapter"),
    ],
)
def test_a_bad_field_is_refused_by_its_column(fields: dict[str, str], said: str) -> None:
    row = {"hsn_prefix": "61", "rate": "5", "effective_from": "2025-09-22",
           "band_limit": "2500", "rate_above": "18", **fields}  # fmt: skip
    with pytest.raises(BadInput) as caught:
        gst_rate_record(row)
    assert said in caught.value.message


def test_a_file_lists_each_bad_line_and_each_repeated_prefix_and_date() -> None:
    parsed = read_rows(
        MasterKind.GST_RATES,
        [
            "hsn_prefix,rate,effective_from,band_limit,rate_above\n",
            "61,5,2025-09-22,2500,18\n",
            "62,5,2025-09-22,2500,18\n",
            "61,12,2025-09-22,,\n",  # the same prefix and date again
            "61,5,2017-07-01,1000,12\n",  # the same prefix from another date: fine
            "64,5,yesterday,2500,18\n",
        ],
    )
    assert [line for line, _ in parsed.rows] == [2, 3, 5]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (4, "61 2025-09-22 is also on line 2."),
        (6, "effective_from: 'yesterday' is not a date."),
    ]
