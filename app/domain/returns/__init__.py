"""Return intake's rules (issue #12), pure: no I/O, no SQL, no Qt.

- ``quantities``: how many units of a line can still come back; the counter's refusal of
  more, and the ledger's over-return (applied and flagged, never refused).
- ``window``: the return window from delivery (else sale) and the final-sale refusal.
- ``no_receipt``: returns without a receipt: a manager, and a value limit per customer.
- ``grades``: the grade a person gives a unit, its disposition and stock movements.
- ``refund``: the refund due from what was actually paid (discount shares, the rounding);
  ``refund_rules``: when shipping comes back, the restocking fee, the refund method.
- ``credit_note``: the GST credit note that reverses the invoice's tax for a return;
  ``receipt``: the credit note with the refund it pays and how, as the customer gets it.
- ``rma``: the RMA labels of a return, one per unit, ``<credit note or return>-<n>``.
- ``sold``: what was bought, as a return reads it (lookup answer, station cache, screen);
  ``lookup``: how the one search box reads a scan or what was typed.
- ``draft``: the return in progress at the counter, checked unit by unit, its refund.
- ``intake_op``: the ``return.intake`` operation's payload on the wire.
"""
