"""Helpers for the master-data tests: CSV files, the import command, admin API calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from app.commands import ledger as ledger_cli
from app.domain.gtin import complete_gtin
from tests.support.ledger import RunningLedger

ITEM_HEADER = (
    "sku,gtin,name,price,category,hsn_code,gst_rate,weight_g,length_mm,width_mm,height_mm,"
    "return_category,return_days,final_sale"
)


def gtin(n: int) -> str:
    """A valid GTIN-13 no seeded item has (company prefix 890777)."""
    return complete_gtin(f"890777{n:06d}")


def item_line(sku: str, n: int, price: str = "499.00", **over: str) -> str:
    fields = {
        "sku": sku, "gtin": gtin(n), "name": f"Test kurta {n}", "price": price,
        "category": "Apparel", "hsn_code": "61091000", "gst_rate": "5", "weight_g": "250",
        "length_mm": "300", "width_mm": "200", "height_mm": "30", "return_category": "apparel",
        "return_days": "30", "final_sale": "no",
    }  # fmt: skip
    fields.update(over)
    return ",".join(fields[c] for c in ITEM_HEADER.split(","))


def write_csv(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run_import(
    ledger: RunningLedger,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    path: Path,
    *extra: str,
) -> tuple[int, str, str]:
    """``counterbench ledger import KIND FILE`` on the ledger's database: (status, out, err)."""
    capsys.readouterr()
    status = ledger_cli.main(["import", kind, str(path), "--db", ledger.db_url, *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def admin(ledger: RunningLedger, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {ledger.admin_token}", **kwargs.pop("headers", {})}
    return requests.request(
        method, f"{ledger.url}/v1/admin{path}", headers=headers, timeout=60, **kwargs
    )


def catalog_changes(changes: list[dict[str, Any]], sku: str) -> list[dict[str, Any]]:
    return [c["data"] for c in changes if c["scope"] == "catalog" and c["data"]["sku"] == sku]
