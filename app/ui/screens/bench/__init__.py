"""The packing bench's screens: the pick/pack queue of ship orders, and what follows it."""
