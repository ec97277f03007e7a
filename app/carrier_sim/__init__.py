"""The carrier simulator: a courier's booking API on 127.0.0.1 for the tests and the demo.

It stands for a real carrier (Delhivery, Blue Dart, Shiprocket, India Post): it serves
pincode serviceability, bookings keyed by the caller's idempotency key, label data,
cancellation and tracking events, and can be made slow, refusing, down or to lose its
answer after booking. It shares no code with our client in :mod:`app.carriers`, so a
mistake in the wire format shows up in the tests instead of hiding on both sides.
"""
