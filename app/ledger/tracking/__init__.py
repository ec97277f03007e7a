"""Tracking: carriers' events about our parcels, pushed to the ledger's webhook or pulled
from each carrier's feed, recorded once on the parcel, the order's timeline and, when a
parcel does not reach its customer, as an exception for the shipping location."""
