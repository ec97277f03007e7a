"""The central stock ledger service: models, migrations, HTTP API, operation handlers.

Imports only ``app.domain``, ``app.sync.protocol``, ``app.errors``, ``app.config`` and
``app.log`` (import-linter contract in pyproject).
"""
