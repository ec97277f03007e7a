"""The items CSV import at retailer scale: 200,000 rows, beside a raw insert.

``counterbench ledger import items FILE.csv`` (checking every row, then bulk writes and one
catalog change row per item, in one transaction) into a fresh migrated ledger, measured
end to end from the file; beside it, a raw ``executemany`` of the same rows into the same
table of another fresh ledger, in the same run. Also a second import of the file with 10 %
of the prices changed (the usual weekly price file). SQLite always; PostgreSQL as well
when ``COUNTERBENCH_TEST_PG`` names a server.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.commands import ledger as ledger_cli
from app.domain.gtin import complete_gtin
from app.ledger.db import make_engine
from app.ledger.migrate import upgrade
from tests.bench import Figure
from tests.support.ledger import fresh_pg_database, pg_server_url

ROWS = 200_000
TARGET = 20_000.0  # rows/s: 200,000 items in 10 s
HEADER = (
    "sku,gtin,name,price,category,hsn_code,gst_rate,weight_g,length_mm,width_mm,height_mm,"
    "return_category,return_days,final_sale"
)
COLUMNS = (
    "sku", "gtin", "name", "price_minor", "currency", "category", "hsn_code", "gst_rate_bp",
    "weight_g", "length_mm", "width_mm", "height_mm", "return_category", "return_days",
    "returnable",
)  # fmt: skip


def _row(n: int, price_paise: int) -> tuple[Any, ...]:
    return (
        f"BIM-{n:06d}", complete_gtin(f"8907{n:08d}"), f"Cotton Kurta style {n} size M",
        price_paise, "INR", "Apparel", "61091000", 500, 250, 300, 200, 30, "apparel", 30, True,
    )  # fmt: skip


def _line(row: tuple[Any, ...]) -> str:
    sku, gtin, name, price, _, category, hsn, gst, weight, ln, wd, ht, ret, days, _r = row
    rupees = f"{price // 100}.{price % 100:02d}"
    fields = (sku, gtin, name, rupees, category, hsn, gst // 100, weight, ln, wd, ht, ret, days)
    return ",".join(map(str, fields)) + ",no"


def _write(path: Path, rows: list[tuple[Any, ...]]) -> None:
    path.write_text("\n".join([HEADER, *map(_line, rows)]) + "\n", encoding="utf-8")


def _import(url: str, path: Path) -> float:
    """Seconds the import command takes for ``path`` (its own engine, like the CLI)."""
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as said:
        status = ledger_cli.main(["import", "items", str(path), "--db", url])
    took = time.perf_counter() - started
    assert status == 0, said.getvalue()
    return took


def _raw_insert(engine: Engine, rows: list[tuple[Any, ...]]) -> float:
    """Seconds for one executemany of ``rows`` into items, in one transaction."""
    names = ", ".join(COLUMNS)
    with engine.connect() as conn:
        driver: Any = conn.connection.driver_connection
        is_pg = conn.dialect.name == "postgresql"
        mark = "%s" if is_pg else "?"
        sql = f"INSERT INTO items ({names}) VALUES ({', '.join(mark for _ in COLUMNS)})"
        started = time.perf_counter()
        if is_pg:
            with driver.cursor() as cursor:
                cursor.executemany(sql, rows)
            driver.commit()
        else:
            driver.execute("BEGIN")
            driver.executemany(sql, rows)
            driver.execute("COMMIT")
        return time.perf_counter() - started


def _migrated(url: str) -> Engine:
    engine = make_engine(url, pool_size=1)
    upgrade(engine)
    return engine


@contextlib.contextmanager
def _databases(tmp: Path) -> Iterator[list[tuple[str, str, str]]]:
    """(name, import URL, raw URL) per backend."""
    found = [("SQLite", f"sqlite:///{tmp / 'import.sqlite3'}", f"sqlite:///{tmp / 'raw.sqlite3'}")]
    if not pg_server_url():
        yield found
        return
    with fresh_pg_database() as imported, fresh_pg_database() as raw:
        yield [*found, ("PostgreSQL", imported, raw)]


def run() -> list[Figure]:
    rows = [_row(n, 19_900 + n % 5000) for n in range(ROWS)]
    repriced = [_row(n, 19_900 + n % 5000 + (500 if n % 10 == 0 else 0)) for n in range(ROWS)]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as name:
        tmp = Path(name)
        first, second = tmp / "items.csv", tmp / "prices.csv"
        _write(first, rows)
        _write(second, repriced)
        with _databases(tmp) as backends:
            for backend, url, raw_url in backends:
                for engine_url in (url, raw_url):
                    _migrated(engine_url).dispose()
                took = _import(url, first)
                again = _import(url, second)
                raw_engine = _migrated(raw_url)
                raw = _raw_insert(raw_engine, rows)
                raw_engine.dispose()
                figures += [
                    Figure(
                        f"{backend} import 200k items CSV (checked, fed to stations)",
                        ROWS / took, "rows/s", f">= {TARGET:,.0f} rows/s", ROWS / took >= TARGET,
                        "raw executemany of the same rows into items", ROWS / raw, "rows/s",
                    ),
                    Figure(
                        f"{backend} re-import 200k items, 10 % new prices",
                        ROWS / again, "rows/s", f">= {TARGET:,.0f} rows/s",
                        ROWS / again >= TARGET,
                        "raw executemany of the same rows into items", ROWS / raw, "rows/s",
                    ),
                ]  # fmt: skip
    return figures
