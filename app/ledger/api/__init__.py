"""The ledger's HTTP API (FastAPI): ``create_app(engine, admin_token)``."""
