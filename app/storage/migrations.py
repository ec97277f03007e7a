"""Versioned migrations of the station cache, numbered by ``PRAGMA user_version``.

Each step is a list of SQL statements run in one IMMEDIATE transaction together with
the new ``user_version``, so a cache is always at exactly one version. Add a step at the
end; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app import log
from app.storage import pickups

_log = log.get("storage")


@dataclass(frozen=True)
class Step:
    version: int
    title: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE device (
        id INTEGER PRIMARY KEY, ledger_url TEXT NOT NULL, device_id TEXT NOT NULL,
        location_code TEXT NOT NULL, location_name TEXT NOT NULL, station_name TEXT NOT NULL,
        station_kind TEXT NOT NULL, enrolled_at TEXT NOT NULL,
        next_device_seq INTEGER NOT NULL DEFAULT 1)""",
    """CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY, cursor INTEGER NOT NULL DEFAULT 0, last_sync_at TEXT,
        last_attempt_at TEXT, last_error TEXT NOT NULL DEFAULT '',
        online BOOLEAN NOT NULL DEFAULT 0, ledger_applied_seq INTEGER NOT NULL DEFAULT 0,
        push_blocked TEXT NOT NULL DEFAULT '', snapshot_done BOOLEAN NOT NULL DEFAULT 0)""",
    "INSERT INTO sync_state (id) VALUES (1)",
    """CREATE TABLE locations (
        id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, kind TEXT, city TEXT,
        latitude REAL, longitude REAL, timezone TEXT, capabilities TEXT)""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY, sku TEXT NOT NULL, gtin TEXT, name TEXT NOT NULL,
        price_minor INTEGER NOT NULL, currency TEXT NOT NULL, category TEXT, weight_g INTEGER,
        return_days INTEGER, returnable BOOLEAN)""",
    "CREATE INDEX ix_items_gtin ON items (gtin)",
    "CREATE INDEX ix_items_sku ON items (sku)",
    """CREATE TABLE staff (
        id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
        pin_hash TEXT, badge_hash TEXT, active INTEGER NOT NULL)""",
    "CREATE INDEX ix_staff_code ON staff (code)",
    """CREATE TABLE stock_base (
        id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, bucket TEXT NOT NULL,
        on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL, safety_stock INTEGER NOT NULL)""",
    "CREATE INDEX ix_stock_base_item ON stock_base (item_id, bucket)",
    """CREATE TABLE network_stock (
        id INTEGER PRIMARY KEY, location_id INTEGER NOT NULL, item_id INTEGER NOT NULL,
        available INTEGER NOT NULL)""",
    "CREATE INDEX ix_network_stock_item ON network_stock (item_id)",
    """CREATE TABLE fulfilment_orders (
        id INTEGER PRIMARY KEY, order_number TEXT NOT NULL, channel TEXT NOT NULL,
        method TEXT NOT NULL, state TEXT NOT NULL, customer_name TEXT, customer_phone TEXT,
        lines TEXT, created_at TEXT, updated_at TEXT)""",
    "CREATE INDEX ix_fulfilment_orders_number ON fulfilment_orders (order_number)",
    """CREATE TABLE ledger_exceptions (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, op_id TEXT, message TEXT NOT NULL,
        next_step TEXT, status TEXT NOT NULL, created_at TEXT)""",
    """CREATE TABLE outbox (
        op_id TEXT PRIMARY KEY, device_seq INTEGER NOT NULL UNIQUE, type TEXT NOT NULL,
        payload TEXT NOT NULL, actor TEXT, approval TEXT, device_time TEXT NOT NULL,
        base_ledger_seq INTEGER NOT NULL, status TEXT NOT NULL, result TEXT,
        ledger_seq INTEGER, created_at TEXT NOT NULL, confirmed_at TEXT)""",
    "CREATE INDEX ix_outbox_status_seq ON outbox (status, device_seq)",
    "CREATE INDEX ix_outbox_ledger_seq ON outbox (ledger_seq)",
    """CREATE TABLE pending_stock (
        id INTEGER PRIMARY KEY,
        op_id TEXT NOT NULL REFERENCES outbox (op_id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL, bucket TEXT NOT NULL, delta INTEGER NOT NULL)""",
    "CREATE INDEX ix_pending_stock_item ON pending_stock (item_id, bucket)",
    "CREATE INDEX ix_pending_stock_op ON pending_stock (op_id)",
    """CREATE TABLE login_attempts (
        staff_code TEXT PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0,
        last_failure_at TEXT, locked_until TEXT)""",
    """CREATE TABLE exception_resolutions (
        key TEXT PRIMARY KEY, note TEXT NOT NULL, staff_code TEXT NOT NULL,
        resolved_at TEXT NOT NULL)""",
)

_V2 = (
    # Name search: word-prefix full text over items.name, kept by the repositories
    # (detail=none keeps it small and quick to rebuild after a catalog snapshot).
    """CREATE VIRTUAL TABLE items_fts USING fts5(
        name, content='items', content_rowid='id', detail=none, columnsize=0)""",
    "INSERT INTO items_fts (items_fts) VALUES ('rebuild')",
)

_V3 = (
    """CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, reference TEXT NOT NULL,
        profile TEXT NOT NULL, format TEXT NOT NULL, copies INTEGER NOT NULL,
        reprint BOOLEAN NOT NULL, staff_code TEXT, printed_at TEXT NOT NULL,
        status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX ix_print_jobs_reference ON print_jobs (reference)",
)

_V4 = (
    # An op's local effect, kept with it so a re-send after a ledger restore shows it
    # again: a JSON list of [item_id, bucket, delta] (NULL when it has none).
    "ALTER TABLE outbox ADD COLUMN effects TEXT",
)

_V5 = (
    # BOPIS pickup columns of the locations and fulfilment scopes (protocol.SCOPE_COLUMNS).
    "ALTER TABLE locations ADD COLUMN pickup_hold_days INTEGER",
    "ALTER TABLE locations ADD COLUMN bins TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN location_code TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN bin TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN pickup_by TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN pickup_code_hash TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN pickup_code_salt TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN pickup_log TEXT",
    "CREATE INDEX ix_fulfilment_orders_state ON fulfilment_orders (state)",
    # Rows already cached lack the new columns: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V6 = (
    # The pickup queue reads counts per state and one page per state off these, never
    # every open order. Promised time: the end of the hold once ready, else when placed.
    """CREATE INDEX ix_pickup_queue ON fulfilment_orders
        (method, state, coalesce(pickup_by, created_at), id)""",
    "CREATE INDEX ix_pickup_recent ON fulfilment_orders (method, state, updated_at, id)",
    # Units go back to the shelf only from a line with units cancelled or short: index
    # just those orders (the queries name this same WHERE, see storage/pickups.py).
    """CREATE INDEX ix_pickup_restock ON fulfilment_orders (id) WHERE method = 'pickup'
        AND (lines GLOB '*"cancelled":[1-9]*' OR lines GLOB '*"cancelled": [1-9]*'
        OR lines GLOB '*"short":[1-9]*' OR lines GLOB '*"short": [1-9]*')""",
)

_V7 = (
    # Finding an order by a typed phone number: the phone as the counter's forgiving match
    # reads it (``phone_key()`` is pickups.phone_key, added to the connection by migrate),
    # kept by the sync's writes (mirror.py); rows already cached are filled here.
    "ALTER TABLE fulfilment_orders ADD COLUMN phone_key TEXT",
    "UPDATE fulfilment_orders SET phone_key = phone_key(customer_phone)",
    "CREATE INDEX ix_pickup_phone ON fulfilment_orders (phone_key)",
    # A longer phone (a foreign number) may hold a typed number anywhere: index just those.
    "CREATE INDEX ix_pickup_phone_long ON fulfilment_orders (id) WHERE length(phone_key) > 10",
)

_V8 = (
    # The retailer's rejection reasons (protocol Scope.REASONS), to choose from offline.
    """CREATE TABLE reasons (
        id INTEGER PRIMARY KEY, code TEXT NOT NULL, label TEXT NOT NULL, effect TEXT NOT NULL,
        applies_to TEXT NOT NULL, active INTEGER NOT NULL, sort_order INTEGER NOT NULL)""",
    # Not found at a short pick: nothing to promise here until counted (NULL: not due).
    "ALTER TABLE stock_base ADD COLUMN count_due INTEGER",
)

_V9 = (
    # What a ledger exception is about (protocol.SCOPE_COLUMNS): its order or item, for
    # the Exceptions screen to name and open. Rows already cached keep their own words.
    "ALTER TABLE ledger_exceptions ADD COLUMN order_number TEXT",
    "ALTER TABLE ledger_exceptions ADD COLUMN sku TEXT",
)

_V10 = (
    # Master data columns of the catalog and locations scopes (protocol.SCOPE_COLUMNS):
    # dimensions and GST fields of items; capacity, pincode, GSTIN, carriers of locations.
    "ALTER TABLE items ADD COLUMN length_mm INTEGER",
    "ALTER TABLE items ADD COLUMN width_mm INTEGER",
    "ALTER TABLE items ADD COLUMN height_mm INTEGER",
    "ALTER TABLE items ADD COLUMN hsn_code TEXT",
    "ALTER TABLE items ADD COLUMN gst_rate_bp INTEGER",
    "ALTER TABLE items ADD COLUMN return_category TEXT",
    "ALTER TABLE locations ADD COLUMN daily_capacity INTEGER",
    "ALTER TABLE locations ADD COLUMN pincode TEXT",
    "ALTER TABLE locations ADD COLUMN gstin TEXT",
    "ALTER TABLE locations ADD COLUMN carriers TEXT",
    # Items whose price changed in a pull: their shelf labels wait here to be reprinted.
    """CREATE TABLE shelf_reprints (
        item_id INTEGER PRIMARY KEY, old_price_minor INTEGER NOT NULL,
        new_price_minor INTEGER NOT NULL, queued_at TEXT NOT NULL)""",
    # Rows already cached lack the new columns: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V11 = (
    # Re-enrolment adopts the unsent operations of the previous device: they are pushed
    # in its name up to adopted_through_seq; this device numbers on from there.
    "ALTER TABLE device ADD COLUMN adopted_device_id TEXT",
    "ALTER TABLE device ADD COLUMN adopted_through_seq INTEGER NOT NULL DEFAULT 0",
    # How far this terminal's clock is off the ledger's (seconds, + ahead), last measured.
    "ALTER TABLE sync_state ADD COLUMN clock_skew_s REAL",
)

_V12 = (
    # Running totals, kept by triggers, so recording a count or showing the status bar
    # reads one row however long the queue is (sums and counts over the queue grew with
    # it: 16 ms for a count of an item with 30,000 pending effects).
    """CREATE TABLE pending_totals (
        item_id INTEGER NOT NULL, bucket TEXT NOT NULL, delta INTEGER NOT NULL,
        rows INTEGER NOT NULL, PRIMARY KEY (item_id, bucket)) WITHOUT ROWID""",
    """INSERT INTO pending_totals (item_id, bucket, delta, rows)
        SELECT item_id, bucket, sum(delta), count(*) FROM pending_stock GROUP BY item_id, bucket""",
    """CREATE TRIGGER pending_totals_add AFTER INSERT ON pending_stock BEGIN
        INSERT INTO pending_totals (item_id, bucket, delta, rows)
        VALUES (new.item_id, new.bucket, new.delta, 1)
        ON CONFLICT (item_id, bucket) DO UPDATE
        SET delta = delta + excluded.delta, rows = rows + 1;
    END""",
    """CREATE TRIGGER pending_totals_drop AFTER DELETE ON pending_stock BEGIN
        UPDATE pending_totals SET delta = delta - old.delta, rows = rows - 1
        WHERE item_id = old.item_id AND bucket = old.bucket;
        DELETE FROM pending_totals
        WHERE item_id = old.item_id AND bucket = old.bucket AND rows <= 0;
    END""",
    "CREATE INDEX ix_outbox_status_created ON outbox (status, created_at)",
    """CREATE TABLE outbox_pending (
        id INTEGER PRIMARY KEY CHECK (id = 1), ops INTEGER NOT NULL)""",
    "INSERT INTO outbox_pending (id, ops) SELECT 1, count(*) FROM outbox WHERE status = 'pending'",
    """CREATE TRIGGER outbox_pending_add AFTER INSERT ON outbox
        WHEN new.status = 'pending' BEGIN
        UPDATE outbox_pending SET ops = ops + 1 WHERE id = 1;
    END""",
    """CREATE TRIGGER outbox_pending_drop AFTER DELETE ON outbox
        WHEN old.status = 'pending' BEGIN
        UPDATE outbox_pending SET ops = ops - 1 WHERE id = 1;
    END""",
    """CREATE TRIGGER outbox_pending_status AFTER UPDATE OF status ON outbox
        WHEN (old.status = 'pending') != (new.status = 'pending') BEGIN
        UPDATE outbox_pending
        SET ops = ops + (CASE WHEN new.status = 'pending' THEN 1 ELSE -1 END) WHERE id = 1;
    END""",
)

_V13 = (
    # Ship-from-store columns of the fulfilment scope (protocol.SCOPE_COLUMNS): where a
    # parcel goes, its COD, the carrier and service, the promised date, the cut-off it
    # should leave by and routing's note. The bench queue reads open ship orders by cut-off.
    "ALTER TABLE fulfilment_orders ADD COLUMN ship_to TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN payment TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN cod_minor INTEGER",
    "ALTER TABLE fulfilment_orders ADD COLUMN carrier TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN carrier_service TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN promised_by TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN ship_by TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN route_note TEXT",
    "CREATE INDEX ix_ship_queue ON fulfilment_orders (method, state, ship_by)",
    # Ship orders cached before lack the new columns: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V14 = (
    # The bench's picker for a ship order, chosen at this station. Local only for now: no
    # operation tells the ledger yet, so another station does not see who picks it.
    """CREATE TABLE picker_assignments (
        fulfilment_id INTEGER PRIMARY KEY, staff_code TEXT NOT NULL,
        assigned_by TEXT NOT NULL, assigned_at TEXT NOT NULL)""",
)

_V15 = (
    # A ship order's parcels (protocol.SCOPE_COLUMNS): SSCC, lines, void label, box,
    # weight, carrier and tracking, as JSON text; lines carry ``packed`` once packed.
    "ALTER TABLE fulfilment_orders ADD COLUMN parcels TEXT",
    # Ship orders cached before lack their parcels: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V16 = (
    # Where items sit on this location's shelves. A stand-in planogram fills it
    # (app.services.shipping.planogram) until the ledger sends shelf bins as master data.
    """CREATE TABLE shelf_bins (
        item_id INTEGER NOT NULL, bin_code TEXT NOT NULL, units INTEGER NOT NULL,
        sort_order INTEGER NOT NULL, PRIMARY KEY (item_id, bin_code))""",
    # The batch pick in progress, so a walk survives a restart: its orders and totes, the
    # bin stock it was planned on, and every step the picker took (replayed on reopening).
    """CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, started_by TEXT NOT NULL,
        stock TEXT NOT NULL, finished_at TEXT)""",
    """CREATE TABLE batch_orders (
        batch_id TEXT NOT NULL, tote TEXT NOT NULL, fulfilment_id INTEGER NOT NULL,
        order_number TEXT NOT NULL, lines TEXT NOT NULL, promised_by TEXT,
        PRIMARY KEY (batch_id, tote))""",
    """CREATE TABLE batch_progress (
        batch_id TEXT NOT NULL, step INTEGER NOT NULL, action TEXT NOT NULL,
        scanned TEXT NOT NULL DEFAULT '', quantity INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (batch_id, step))""",
)

_V17 = (
    # The bench's parcel counter (the SSCC's counter block): one row, taken in the same
    # transaction as the pack that uses it, so a number is never given twice.
    """CREATE TABLE parcel_counter (
        id INTEGER PRIMARY KEY CHECK (id = 1), next_counter INTEGER NOT NULL)""",
    # The parcel being filled at the pack step, scan by scan, so a crash loses nothing.
    """CREATE TABLE open_parcel_units (
        fulfilment_id INTEGER NOT NULL, sku TEXT NOT NULL, units INTEGER NOT NULL,
        PRIMARY KEY (fulfilment_id, sku))""",
)

_V18 = (
    # Each location's box catalogue, now sent in its locations row: pull it again.
    "ALTER TABLE locations ADD COLUMN boxes TEXT",
    # The number the ledger gave this enrolment (its SSCC station block); NULL before.
    "ALTER TABLE device ADD COLUMN station_number INTEGER",
    "UPDATE sync_state SET snapshot_done = 0",
)

_V19 = (
    # The ledger's shelf bins for this location (protocol Scope.SHELF_BINS), home bin
    # first per item. The bench's shelf_bins (its believed units per bin) follow it after
    # each pull (app.storage.shelf_bins.follow_planogram); the stand-in planogram fills
    # shelf_bins only while this is empty.
    """CREATE TABLE planogram (
        id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, bin_code TEXT NOT NULL,
        sort_order INTEGER NOT NULL)""",
    "CREATE INDEX ix_planogram_item ON planogram (item_id, sort_order)",
    # Caches from before hold no bins from the ledger: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V20 = (
    # Who picks a ship order as the ledger last sent it (ship.assign, ledger 0020), and the
    # days its carrier takes for the order's zone (the queue's promise check). A choice
    # made here shows over the pulled one until the ledger answers it: it is read from
    # the outbox (app.storage.ship_orders), so the local-only picker_assignments go. Their
    # choices never left this station; the bench gives those orders again (Alt+A).
    "ALTER TABLE fulfilment_orders ADD COLUMN picker_code TEXT",
    "ALTER TABLE fulfilment_orders ADD COLUMN transit_days INTEGER",
    "DROP TABLE picker_assignments",
    # Ship orders cached before lack the new columns: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V21 = (
    # Tax invoice numbers (issue #11): the blocks of this station's series the ledger
    # handed it (per financial year; next_serial is the next one to give), and the number
    # each order was invoiced under, taken in the transaction of its first pack.
    """CREATE TABLE invoice_blocks (
        financial_year INTEGER NOT NULL, prefix TEXT NOT NULL, first INTEGER NOT NULL,
        last INTEGER NOT NULL, next_serial INTEGER NOT NULL,
        PRIMARY KEY (financial_year, prefix, first))""",
    """CREATE TABLE order_invoices (
        fulfilment_id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,
        issued_on TEXT NOT NULL)""",
    # The ledger's GST rate table (protocol Scope.GST_RATES, shared), for invoicing offline.
    """CREATE TABLE gst_rates (
        id INTEGER PRIMARY KEY, hsn_prefix TEXT NOT NULL, effective_from TEXT NOT NULL,
        rate_bp INTEGER NOT NULL, band_limit_minor INTEGER, rate_above_bp INTEGER)""",
    # Caches from before hold no rates: take fresh snapshots on the next sync.
    "UPDATE sync_state SET snapshot_done = 0",
)

_V22 = (
    # Parcels packed for a booked carrier, waiting for (or given) their booking by the
    # ledger (app.storage.parcel_bookings): the shipping label prints once booked.
    """CREATE TABLE parcel_bookings (
        sscc TEXT PRIMARY KEY, fulfilment_id INTEGER NOT NULL, carrier TEXT NOT NULL,
        staff_code TEXT NOT NULL, state TEXT NOT NULL, said TEXT NOT NULL DEFAULT '',
        tracking TEXT, service TEXT, routing_code TEXT, sort_code TEXT, barcode TEXT,
        packed_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX ix_parcel_bookings_state ON parcel_bookings (state)",
)


_V23 = (
    # The goods value above which an order needs an e-way bill, from the location's
    # master data (NULL: the law's ₹50,000): pull the locations again.
    "ALTER TABLE locations ADD COLUMN eway_bill_threshold_minor INTEGER",
    "UPDATE sync_state SET snapshot_done = 0",
)

_V24 = (
    # Orders a return may be taken against (issue #12, app.storage.sold_orders): this
    # location's recent sales and what the ledger answered lookups, so returns find them
    # offline. The customer is kept masked; phone and e-mail only as search keys.
    """CREATE TABLE sold_orders (
        order_number TEXT PRIMARY KEY, channel TEXT NOT NULL, sold_on TEXT NOT NULL,
        delivered_on TEXT, location TEXT NOT NULL, location_state TEXT NOT NULL DEFAULT '',
        payment TEXT NOT NULL DEFAULT '', discount_minor INTEGER NOT NULL DEFAULT 0,
        shipping_minor INTEGER NOT NULL DEFAULT 0, customer TEXT NOT NULL DEFAULT '',
        shipping_refunded INTEGER NOT NULL DEFAULT 0, phone_key TEXT, email_key TEXT,
        source TEXT NOT NULL)""",
    "CREATE INDEX ix_sold_orders_phone ON sold_orders (phone_key) WHERE phone_key IS NOT NULL",
    "CREATE INDEX ix_sold_orders_email ON sold_orders (email_key) WHERE email_key IS NOT NULL",
    "CREATE INDEX ix_sold_orders_sold_on ON sold_orders (sold_on)",
    """CREATE TABLE sold_lines (
        order_number TEXT NOT NULL, line_no INTEGER NOT NULL, sold_on TEXT NOT NULL,
        sku TEXT NOT NULL, gtin TEXT NOT NULL, name TEXT NOT NULL, quantity INTEGER NOT NULL,
        unit_paid_minor INTEGER NOT NULL, hsn_code TEXT NOT NULL DEFAULT '',
        gst_rate_bp INTEGER NOT NULL DEFAULT 0, return_days INTEGER NOT NULL DEFAULT 30,
        final_sale INTEGER NOT NULL DEFAULT 0, return_category TEXT NOT NULL DEFAULT 'standard',
        PRIMARY KEY (order_number, line_no))""",
    # Units of each line already returned: as the ledger last answered, and those taken
    # back here since (source 'here'), so a second return at this counter sees the first.
    """CREATE TABLE sold_returns (
        order_number TEXT NOT NULL, line_no INTEGER NOT NULL, quantity INTEGER NOT NULL,
        location TEXT NOT NULL, returned_on TEXT NOT NULL, source TEXT NOT NULL)""",
    "CREATE INDEX ix_sold_returns_order ON sold_returns (order_number, line_no)",
    "CREATE INDEX ix_sold_lines_gtin ON sold_lines (gtin, sold_on DESC)",
    """CREATE TABLE sold_parcels (
        code TEXT PRIMARY KEY, order_number TEXT NOT NULL)""",
    "CREATE INDEX ix_sold_parcels_order ON sold_parcels (order_number)",
)

_V25 = (
    # Lines of the returns taken in at this location, as the ledger recorded them
    # (protocol Scope.RETURNS, ledger 0025), so every station of the store sees them.
    """CREATE TABLE ledger_returns (
        id INTEGER PRIMARY KEY, return_id TEXT NOT NULL, order_number TEXT,
        line_no INTEGER, sku TEXT NOT NULL, quantity INTEGER NOT NULL, grade TEXT NOT NULL,
        disposition TEXT NOT NULL, refund_minor INTEGER NOT NULL, refund_state TEXT NOT NULL,
        recorded_at TEXT NOT NULL)""",
    "CREATE INDEX ix_ledger_returns_order ON ledger_returns (order_number, line_no)",
)

_V26 = (
    # Credit note numbers (issue #12): blocks of this station's credit note series sit
    # beside its invoice blocks (their prefixes differ: C, not B), told apart by series;
    # the blocks held before are all invoices. The number each return was credited under,
    # taken in the transaction that records the return (by the station's return id).
    "ALTER TABLE invoice_blocks ADD COLUMN series TEXT NOT NULL DEFAULT 'invoice'",
    """CREATE TABLE credit_notes (
        return_id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, issued_on TEXT NOT NULL)""",
)

_V27 = (
    # A ship order's shares of its order's discount and shipping charge (paise), for its
    # tax invoice (protocol.SCOPE_COLUMNS): take fresh snapshots to fill them.
    "ALTER TABLE fulfilment_orders ADD COLUMN discount_minor INTEGER",
    "ALTER TABLE fulfilment_orders ADD COLUMN shipping_minor INTEGER",
    "UPDATE sync_state SET snapshot_done = 0",
)

_V28 = (
    # This location's sales of the last 90 days as the ledger sends them (protocol
    # Scope.SOLD_ORDERS): the mirrored rows the scope's checksum counts; each is kept in
    # sold_orders as source 'here' (app.sync.sold_here), so a return finds it offline.
    """CREATE TABLE sold_here (
        id INTEGER PRIMARY KEY, order_number TEXT NOT NULL, sold_at TEXT NOT NULL,
        phone_key TEXT, email_key TEXT, view TEXT NOT NULL)""",
    "CREATE INDEX ix_sold_here_sold_at ON sold_here (sold_at)",
)

_V29 = (
    # The returned units taken in here, one per RMA label (issue #12), kept when the
    # return is recorded: the bucket each waits in, the bin it was put into by scan ("" until
    # then) and whether it is back on its shelf (done), so a put-away is checked offline.
    """CREATE TABLE rma_units (
        rma_id TEXT PRIMARY KEY, return_id TEXT NOT NULL, sku TEXT NOT NULL,
        bucket TEXT NOT NULL, bin TEXT NOT NULL DEFAULT '', shelved INTEGER NOT NULL DEFAULT 0,
        put_at TEXT)""",
    "CREATE INDEX ix_rma_units_return ON rma_units (return_id)",
)

_V30 = (
    # The tax invoice (or till receipt) each sold line was invoiced under and its date
    # (issue #12), so a credit note names the invoice it reverses; "" and NULL when none is
    # known. Take fresh snapshots to fill them for the orders kept before.
    "ALTER TABLE sold_lines ADD COLUMN invoice TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sold_lines ADD COLUMN invoiced_on TEXT",
    "UPDATE sync_state SET snapshot_done = 0",
)

_V31 = (
    # A customer's earlier returns without an order at any store, as the ledger answered
    # when a counter asked before taking one (issue #12): the phone key, when it was asked
    # and the returns (JSON: return id, refund total, store day), replaced at each asking.
    """CREATE TABLE no_receipt_seen (
        phone_key TEXT PRIMARY KEY, asked_at TEXT NOT NULL, returns TEXT NOT NULL)""",
)

STEPS: tuple[Step, ...] = (
    Step(1, "station cache: enrolment, sync state, mirrored scopes, outbox", _V1),
    Step(2, "full-text name search over items", _V2),
    Step(3, "print jobs", _V3),
    Step(4, "local effects kept with outbox ops", _V4),
    Step(5, "pickup columns of locations and fulfilment orders", _V5),
    Step(6, "pickup queue indexes: per state by promised time, recent, restock", _V6),
    Step(7, "phone key of fulfilment orders, indexed, for finding a pickup by phone", _V7),
    Step(8, "rejection reasons; stock waiting for a count after not found", _V8),
    Step(9, "the order or item a ledger exception is about", _V9),
    Step(10, "master data columns of items and locations; shelf labels to reprint", _V10),
    Step(11, "adopted outbox of a previous enrolment; clock skew", _V11),
    Step(12, "pending totals per item and a pending count, kept by triggers", _V12),
    Step(13, "ship-from-store columns of fulfilment orders, the bench queue index", _V13),
    Step(14, "pickers assigned to ship orders at this station (local only)", _V14),
    Step(15, "parcels of ship orders", _V15),
    Step(16, "shelf bins (a stand-in planogram) and the batch pick in progress", _V16),
    Step(17, "the bench's parcel counter and the parcel being packed", _V17),
    Step(18, "box catalogues of locations; the station number of the enrolment", _V18),
    Step(19, "the ledger's shelf bins (planogram) of this location", _V19),
    Step(20, "the picker and the carrier's days of ship orders, from the ledger", _V20),
    Step(21, "tax invoice number blocks and the invoice number of each order", _V21),
    Step(22, "parcels waiting for their carrier's booking", _V22),
    Step(23, "the e-way bill threshold of locations", _V23),
    Step(24, "orders a return may be taken against, searchable offline", _V24),
    Step(25, "returns taken in at this location, from the ledger", _V25),
    Step(26, "credit note number blocks and the credit note number of each return", _V26),
    Step(27, "ship orders' shares of the order's discount and shipping charge", _V27),
    Step(28, "this location's recent sales from the ledger, kept for returns", _V28),
    Step(29, "returned units by RMA id, and where each was put away", _V29),
    Step(30, "the invoice number and date of each sold line, for its credit note", _V30),
    Step(31, "a customer's earlier returns without an order, as the ledger answered", _V31),
)
HEAD = STEPS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, *, target: int = HEAD) -> int:
    """Bring the cache on ``conn`` (autocommit mode) up to ``target``; return the version."""
    version = current_version(conn)
    if version > HEAD:
        raise RuntimeError(
            f"station cache is at version {version}, newer than this program ({HEAD})"
        )
    pickups.add_phone_key_function(conn)
    for step in STEPS:
        if step.version <= version or step.version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= step.version:  # another process got here first
                conn.execute("ROLLBACK")
                continue
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        _log.info("station cache migrated to version %d: %s", step.version, step.title)
        version = step.version
    return current_version(conn)
