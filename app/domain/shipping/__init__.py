"""The pure rules of ship-from-store at the packing bench: which box a parcel goes in
(:mod:`.boxes`), whether it weighs what it should and how a lead accepts it when not
(:mod:`.weights`), the SSCC each parcel carries and the local courier's tracking number
(:mod:`.parcels`), what each scan means on a batch pick walk (:mod:`.pick_scan`, with
:mod:`.walk_codes` and :mod:`.pick_stops`), the payloads of the ship operations a bench
sends to the ledger (:mod:`.ops`, :mod:`.op_parts`), and the steps those operations take
on a ship order's line counters (:mod:`.steps` over :mod:`.order_view`). No I/O: the
bench services and the ledger call these on their own rows.
"""
