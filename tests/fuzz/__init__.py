"""Schemathesis against the real ledger: ``python -m tests.fuzz`` (``make fuzz``)."""
