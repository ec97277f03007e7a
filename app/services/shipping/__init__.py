"""Ship-from-store at the bench: the queue of ship orders, picking and packing."""
