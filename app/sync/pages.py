"""The stream of snapshot pages during a (re)snapshot, downloaded ahead of the writer."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Generator

from app.sync import mirror, protocol
from app.sync.client import LedgerClient

_PREFETCH_PAGES = 3


def snapshot_pages(
    client: LedgerClient, scopes: list[protocol.Scope], limit: int
) -> Generator[mirror.RawPage, None, None]:
    """Snapshot pages of ``scopes`` in order, downloaded by a helper thread that keeps a
    few pages ahead (also across scopes) while the caller stores them.

    The helper only waits on the socket and asks SQLite for the page header, and the
    caller inserts a page in one SQLite statement, so neither holds the GIL for long.
    """
    ready: queue.Queue[mirror.RawPage | BaseException | None] = queue.Queue(_PREFETCH_PAGES)
    stop = threading.Event()

    def produce() -> None:
        conn = sqlite3.connect(":memory:")
        try:
            for scope in scopes:
                after: int | None = 0
                while after is not None and not stop.is_set():
                    page = mirror.read_page(conn, client.snapshot_text(scope, after, limit))
                    _put(page)
                    after = page.next_after
            _put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            _put(exc)
        finally:
            conn.close()

    def _put(item: mirror.RawPage | BaseException | None) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    helper = threading.Thread(target=produce, name="snapshot-pages", daemon=True)
    helper.start()
    try:
        while True:
            item = ready.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()
