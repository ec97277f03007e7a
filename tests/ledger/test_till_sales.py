"""Walk-in sales from the till: kept as orders once, refused under a used receipt number,
and imported from a CSV file receipt by receipt, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ledger.conftest import tiny_skus
from tests.support.ledger import INTAKE_TOKEN, RunningLedger

INTAKE = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


def sale(receipt: str, skus: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "receipt": receipt,
        "location": "BLR-01",
        "sold_at": "2026-12-01T10:15:00+05:30",
        "lines": [
            {"sku": s, "quantity": 1 + n, "unit_paid_minor": 9900 + n} for n, s in enumerate(skus)
        ],
        "payment": "upi",
        "customer_phone": "+91 98450 11111",
        "customer_email": "Priya.R@Example.com",
        "customer_name": "Priya Rao",
        **extra,
    }


def post(
    ledger: RunningLedger, body: dict[str, Any], headers: dict[str, str] = INTAKE
) -> requests.Response:
    return requests.post(f"{ledger.url}/v1/sales", json=body, headers=headers, timeout=30)


def stock_rows(ledger: RunningLedger) -> tuple[Any, ...]:
    return ledger.sql(
        "SELECT (SELECT count(*) FROM stock_movements), (SELECT sum(on_hand) FROM stock_balances),"
        " (SELECT count(*) FROM reservations), (SELECT count(*) FROM fulfilment_orders)"
    )[0]


def test_a_till_sale_is_kept_as_a_walkin_order_once_and_moves_no_stock(
    shared_ledger: RunningLedger,
) -> None:
    skus = tiny_skus(shared_ledger)[:2]
    before = stock_rows(shared_ledger)

    first = post(shared_ledger, sale("BLR01-R-0001", skus))
    again = post(shared_ledger, sale("BLR01-R-0001", skus))

    assert first.status_code == 200, first.text
    assert again.status_code == 200 and again.json() == first.json()
    assert first.json() == {
        "order_number": "BLR01-R-0001",
        "location": "BLR-01",
        "sold_at": "2026-12-01T04:45:00Z",
        "payment": "upi",
        "lines": 2,
        "total_minor": 9900 + 2 * 9901,
    }
    assert stock_rows(shared_ledger) == before
    rows = shared_ledger.sql(
        "SELECT o.channel, o.method, o.phone_key, o.email_key, t.payment, t.source, l.code "
        "FROM orders o JOIN till_receipts t ON t.order_id = o.id "
        "JOIN locations l ON l.id = t.location_id WHERE o.order_number = 'BLR01-R-0001'"
    )
    assert rows == [
        ("store", "walkin", "9845011111", "priya.r@example.com", "upi", "api", "BLR-01")
    ]
    lines = shared_ledger.sql(
        "SELECT ol.sku, ol.quantity, ol.paid_minor FROM order_lines ol JOIN orders o "
        "ON o.id = ol.order_id WHERE o.order_number = 'BLR01-R-0001' ORDER BY ol.id"
    )
    assert lines == [(skus[0], 1, 9900), (skus[1], 2, 9901)]
    audited = shared_ledger.sql(
        "SELECT count(*) FROM audit_log WHERE action = 'sale.recorded' AND body LIKE :r",
        {"r": "%BLR01-R-0001%"},
    )
    assert audited == [(1,)]


def test_another_sale_under_a_used_receipt_number_is_refused_with_words(
    shared_ledger: RunningLedger,
) -> None:
    skus = tiny_skus(shared_ledger)[:3]
    assert post(shared_ledger, sale("BLR01-R-0002", skus[:1])).status_code == 200

    other_lines = post(shared_ledger, sale("BLR01-R-0002", skus[1:3]))
    other_payment = post(shared_ledger, sale("BLR01-R-0002", skus[:1], payment="cash"))
    web_number = post(shared_ledger, sale("T-1002", skus[:1]))

    for refused in (other_lines, other_payment):
        assert refused.status_code == 409
        body = refused.json()
        assert body["error"] == "receipt_taken"
        assert "Receipt BLR01-R-0002 was taken in before" in body["message"]
        assert "new sale its own receipt number" in body["next_step"]
    assert web_number.status_code == 409
    assert "order from another channel" in web_number.json()["message"]
    assert shared_ledger.sql(
        "SELECT count(*) FROM order_lines ol JOIN orders o ON o.id = ol.order_id "
        "WHERE o.order_number = 'BLR01-R-0002'"
    ) == [(1,)]


def test_a_sale_needs_the_intake_token_a_store_known_skus_and_a_plausible_time(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[0]

    no_token = post(shared_ledger, sale("R-X1", [sku]), headers={})
    unknown_sku = post(shared_ledger, sale("R-X2", ["NOPE-1"]))
    warehouse = post(shared_ledger, sale("R-X3", [sku], location="WH-BHW"))
    future = post(shared_ledger, sale("R-X4", [sku], sold_at="2099-01-01T00:00:00Z"))
    bad_method = post(shared_ledger, sale("R-X5", [sku], payment="cheque"))

    assert no_token.status_code == 401
    assert unknown_sku.status_code == 404 and "NOPE-1" in unknown_sku.json()["message"]
    assert warehouse.status_code == 409 and "not a store" in warehouse.json()["message"]
    assert future.status_code == 422 and "till's clock" in future.json()["next_step"]
    assert bad_method.status_code == 422
    assert shared_ledger.sql("SELECT count(*) FROM orders WHERE order_number LIKE 'R-X%'") == [(0,)]


def write_csv(path: Path, rows: list[str]) -> Path:
    header = "receipt,location,sold_at,sku,quantity,unit_paid,payment,phone,email"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run_import(ledger: RunningLedger, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.commands.ledger", "import", "sales", str(path),
         "--db", ledger.db_url, *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_sales_import_takes_whole_receipts_and_reports_bad_rows_by_line(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    a, b, c = tiny_skus(shared_ledger)[5:8]
    rows = [
        f"IMP-1,BLR-01,2026-12-02 11:00,{a},1,149.50,cash,98450 22222,",
        f"IMP-1,BLR-01,2026-12-02 11:00,{b},2,99,cash,98450 22222,",
        f"IMP-2,MUM-01,2026-12-02 12:00,{c},1,10,card,,",
        f"IMP-2,MUM-01,2026-12-02 12:00,{a},x,10,card,,",  # bad quantity: IMP-2 left out
        f"IMP-3,BLR-01,2026-12-02 13:00,{a},1,10,cash,,",
        f"IMP-3,MUM-01,2026-12-02 13:00,{b},1,10,cash,,",  # another store on one receipt
        "IMP-4,BLR-01,2026-12-02 14:00,NOPE-9,1,10,cash,,",
        f"IMP-5,BLR-01,2026-12-02 15:00,{a},1,10,cheque,,",
    ]
    path = write_csv(tmp_path / "sales.csv", rows)

    refused = run_import(shared_ledger, path)
    partly = run_import(shared_ledger, path, "--skip-bad-rows")
    again = run_import(shared_ledger, path, "--skip-bad-rows")

    assert refused.returncode == 1, refused.stderr
    said = refused.stderr
    assert "line 5: quantity: The quantity 'x' is not a whole number." in said
    assert "line 4: Receipt IMP-2 has a bad line, so none of it is taken in." in said
    assert "line 7: Receipt IMP-3 says another store" in said
    assert "line 6: Receipt IMP-3 has a bad line" in said
    assert "line 8: There is no item NOPE-9." in said
    assert "line 9: payment: 'cheque' is not a payment method" in said
    assert partly.returncode == 0 and "Imported sales: 1 added" in partly.stdout
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    held = shared_ledger.sql(
        "SELECT o.order_number, o.created_at, t.source FROM orders o "
        "JOIN till_receipts t ON t.order_id = o.id WHERE o.order_number LIKE 'IMP-%'"
    )
    assert [(n, s) for n, _, s in held] == [("IMP-1", "import")]
    assert str(held[0][1]).startswith("2026-12-02 05:30:00")  # 11:00 in Bengaluru


def test_a_receipt_imported_and_then_sent_by_the_api_is_the_same_sale(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    a = tiny_skus(shared_ledger)[9]
    path = write_csv(
        tmp_path / "one.csv", [f"IMP-10,BLR-01,2026-12-03T09:00:00+05:30,{a},2,49.00,card,,"]
    )
    assert run_import(shared_ledger, path).returncode == 0
    body = sale("IMP-10", [a], payment="card", sold_at="2026-12-03T03:30:00Z")
    body |= {"customer_phone": "", "customer_email": "", "customer_name": ""}
    body["lines"] = [{"sku": a, "quantity": 2, "unit_paid_minor": 4900}]

    same = post(shared_ledger, body)
    other = post(shared_ledger, body | {"payment": "cash"})

    assert same.status_code == 200 and same.json()["total_minor"] == 9800
    assert other.status_code == 409


@pytest.mark.parametrize(
    "field, value",
    [("receipt", ""), ("lines", []), ("sold_at", "2026-12-01T10:15:00"), ("customer_phone", "12")],
)
def test_bad_sale_bodies_are_422_with_words(
    shared_ledger: RunningLedger, field: str, value: Any
) -> None:
    body = sale("R-BAD", tiny_skus(shared_ledger)[:1]) | {field: value}

    answer = post(shared_ledger, body)

    assert answer.status_code == 422
    assert answer.json()["message"]
