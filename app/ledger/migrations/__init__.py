"""Alembic migrations of the ledger database (run programmatically, no alembic.ini)."""
