"""Returns at the ledger: recording a return taken in, and what each order line has
had back."""
