"""Render what the terminal says when something needs a person, offscreen from a real demo
ledger, at each counter screen size (1024x768 and 1366x768) into OUT_DIR/<size>/.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.notice_screenshots [OUT_DIR] [--size 1024x768]

Starts a ledger (tests/support/ledger.py) with the demo data and a station at BLR-01 that
asks for 6-digit PINs (``counterbench station security --pin-digits 6``; L200's PIN set to
a 6-digit one through the admin API), then drives the real main window and saves:

* login-6-digits.png: L200 types the demo's 4-digit PIN: refused, all 6 digits asked for
* stock-lookup-prices.png: three prices changed at the ledger (admin API), pulled: Stock
  lookup's bar "Prices changed: 3 shelf labels show an old price" with Print all (Shift+F8)
* clock-skew.png: the station's clock 2 days 5 h behind the ledger's: the status bar says so
* update-terminal.png: the ledger restarted with ``COUNTERBENCH_MIN_PROTOCOL=2`` while the
  station sends protocol 1 (a terminal from before the header): 426, one count waiting
* certificate-not-trusted.png: the station pointed at an HTTPS server on loopback with a
  self-signed certificate (tests/sync/test_tls.py): one count waiting
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from app.cli import main as cli
from app.config import SyncSettings
from app.ledger.api.versions import MIN_PROTOCOL_ENV
from app.services.station import Station, build_station
from app.storage import device
from app.sync.client import LedgerClient
from app.sync.engine import default_client
from app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from app.ui.scanner import ScanInput
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.theme import apply_theme
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.test_tls import make_cert, serve_https
from tests.ui.screenshots import (
    STORE,
    render_each_size,
    shown_window,
    type_into,
    wait_until,
)

NEW_PIN = "482915"  # L200's 6-digit PIN here
BEHIND = timedelta(days=2, hours=5)
ITEM_FIELDS = (
    *("gtin", "name", "category", "hsn_code", "weight_g", "length_mm", "width_mm"),
    *("height_mm", "return_category", "return_days", "final_sale"),
)


def admin(ledger: RunningLedger, method: str, path: str, body: dict[str, object]) -> dict:
    answer = requests.request(
        method,
        f"{ledger.url}/v1/admin{path}",
        json=body,
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json() if answer.content else {}


def raise_prices(ledger: RunningLedger, skus: list[str]) -> None:
    """Each item ₹10 dearer, through the admin API (as HQ's price tool would)."""
    for sku in skus:
        item = admin(ledger, "GET", f"/items/{sku}", {})
        body = {k: item[k] for k in ITEM_FIELDS}
        body |= {"price_minor": item["price_minor"] + 1000, "gst_rate": item["gst_rate_bp"] / 100}
        admin(ledger, "PUT", f"/items/{sku}", body)


def sync_quietly(station: Station) -> None:
    """One sync round; a refusal (what the screenshot shows) is kept in the station's state."""
    try:
        station.sync.sync_once()
    except Exception as exc:
        print(f"sync: {type(exc).__name__}: {exc}", file=sys.stderr)


def render(out: Path, size: QSize) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app)
    root = Path(tempfile.mkdtemp(prefix="cb-notices-"))
    saved: list[Path] = []
    offset = [timedelta(0)]  # the station's clock, off the real time by this
    clients: list[LedgerClient] = []

    def client(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        clients.append(default_client(url, token, settings))
        return clients[-1]

    def speak(version: int) -> None:  # 1: as a terminal from before the protocol header
        for made in clients:
            made._http.headers[PROTOCOL_HEADER] = str(version)

    data_dir = str(root / "station")  # the retailer asks for 6-digit PINs at this station
    cli(["station", "security", "--pin-digits", "6", "--data-dir", data_dir])
    os.environ.pop(MIN_PROTOCOL_ENV, None)
    with RunningLedger(f"sqlite:///{root / 'ledger.sqlite3'}", root / "ledger") as ledger:
        ledger.seed("demo")
        admin(ledger, "POST", "/staff/L200/pin", {"pin": NEW_PIN, "by": "M300"})
        station = build_station(
            root / "station",
            clock=lambda: datetime.now(UTC) + offset[0],
            client_factory=client,
        )
        station.enrolment.enrol(ledger.url, ledger.enrol_code(STORE), "Counter 1", "counter")
        scans = ScanInput()
        window, runner = shown_window(app, station, root / "station", size, scans=scans)

        def shot(name: str) -> None:
            wait_until(app, lambda: not runner.is_busy())
            path = out / name
            window.grab().save(str(path))
            saved.append(path)

        def status_shows(done: Callable[[], bool]) -> None:
            window.refresh_status()
            wait_until(app, lambda: window.last_status is not None and done())

        login = window.login
        type_into(login.code_field, "L200")
        type_into(login.pin_field, "2222")
        wait_until(app, lambda: "6 digits" in login.message.text())
        shot("login-6-digits.png")
        login.pin_field.clear()
        type_into(login.pin_field, NEW_PIN)
        wait_until(app, lambda: window.staff() is not None)

        screen = window.screens[0]
        assert isinstance(screen, StockLookupScreen) and screen.reprints is not None
        skus = [item.sku for item in station.stock.lookup("rice")[:3]]
        raise_prices(ledger, skus)
        sync_quietly(station)
        status_shows(lambda: True)
        type_into(screen.search, "rice")
        wait_until(app, lambda: screen.shown_item() is not None)
        screen.reprints.refresh()
        wait_until(app, lambda: screen.reprints is not None and screen.reprints.isVisible())
        shot("stock-lookup-prices.png")

        offset[0] = -BEHIND
        sync_quietly(station)
        status_shows(lambda: window.status.clock.isVisible())
        shot("clock-skew.png")
        offset[0] = timedelta(0)
        sync_quietly(station)

        lead = station.auth.login_pin("L200", NEW_PIN)
        count_settled(station.stock, lead, skus[0], 7)  # waits to be sent
        os.environ[MIN_PROTOCOL_ENV] = "2"
        ledger.restart()
        speak(1)
        sync_quietly(station)
        status_shows(lambda: window.status.sync.text() == "Update this terminal")
        shot("update-terminal.png")
        speak(PROTOCOL_VERSION)
        os.environ.pop(MIN_PROTOCOL_ENV, None)

        cert = make_cert(root / "tls", names=["ledger.shop.example"], ips=["127.0.0.1"])
        with contextlib.contextmanager(serve_https)(cert) as https_url:
            with station.db.writing() as session:
                enrolled = device.enrolment(session)
                assert enrolled is not None
                device.save_enrolment(session, replace(enrolled, ledger_url=https_url))
            sync_quietly(station)
            status_shows(lambda: "certificate" in window.status.sync.text())
            shot("certificate-not-trusted.png")
        runner.shutdown()
        app.removeEventFilter(scans)
        station.close()
    return saved


def main() -> None:
    render_each_size(__doc__, render)


if __name__ == "__main__":
    main()
