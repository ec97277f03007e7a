"""Snapshots: pages downloaded ahead by a helper thread, each scope stored in one
transaction."""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field

from app.storage import outbox
from app.storage.engine import Database, raw_connection
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


@dataclass
class SnapshotsTaken:
    """What a (re)snapshot stored."""

    as_of: int = 0  # the seq to pull from afterwards
    rows: int = 0
    scopes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def take_snapshots(
    db: Database, client: LedgerClient, scopes: list[protocol.Scope], limit: int
) -> SnapshotsTaken:
    """Replace ``scopes`` from paged snapshots, one transaction per scope.

    ``as_of`` is the lowest ``as_of_seq`` of any page, so changes made while the pages
    were taken are pulled (and re-applied) after them.
    """
    started = time.perf_counter()
    taken = SnapshotsTaken()
    with closing(snapshot_pages(client, scopes, limit)) as pages:
        as_of = [_store_scope(db, pages, scope, taken) for scope in scopes]
    taken.as_of = min(as_of)
    taken.seconds = time.perf_counter() - started
    return taken


def _store_scope(
    db: Database, pages: Iterator[mirror.RawPage], scope: protocol.Scope, taken: SnapshotsTaken
) -> int:
    """Write one scope's pages in one transaction; return its lowest as_of_seq."""
    as_of: int | None = None
    with db.writing() as session:
        conn = raw_connection(session)
        indexes = mirror.clear_scope(conn, scope)
        for page in pages:
            if page.scope is not scope:
                raise ValueError(f"asked for a {scope} snapshot, got {page.scope}")
            mirror.insert_snapshot_page(conn, page)
            taken.rows += page.rows
            as_of = page.as_of_seq if as_of is None else min(as_of, page.as_of_seq)
            if page.next_after is None:
                break
        mirror.finish_snapshot(conn, scope, indexes)
        assert as_of is not None
        if scope is protocol.Scope.STOCK:
            outbox.drop_pulled_effects(session, as_of)
    taken.scopes.append(scope.value)
    return as_of
