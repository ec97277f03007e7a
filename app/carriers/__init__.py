"""Carriers a parcel leaves with: the adapter every carrier implements, our own riders
(offline, the SSCC is the tracking number) and a booked carrier reached over HTTP.

No Qt, no requests, no server stack and nothing of the station here: the ledger books
parcels with these adapters, and a station could use the local courier offline.
"""
