"""Station ↔ ledger synchronisation: wire shapes, HTTP client, push/pull engine."""
