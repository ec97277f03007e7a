"""Pure business rules: no I/O, no Qt, no database. Frozen dataclasses and enums."""
