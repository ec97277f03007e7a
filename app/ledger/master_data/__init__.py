"""Master data on the ledger: items, locations, staff, opening stock, reasons and shelf
bins, written by the admin API and the CSV import (``counterbench ledger import KIND
FILE.csv``).

One module per kind holds its checks against what the ledger already has and its writes;
:mod:`.importing` runs a whole file in one transaction through a :class:`WriteBatch`, so
every change reaches the stations by the change log.
"""
