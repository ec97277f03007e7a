"""Helpers shared by tests: a real ledger subprocess, fresh databases."""
