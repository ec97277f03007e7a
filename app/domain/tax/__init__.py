"""GST on what the customer paid: rates by HSN code and price band, place of supply,
and the tax invoice's amounts. Pure; no I/O."""
