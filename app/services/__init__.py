"""Station use cases: one unit of work per call, frozen dataclasses out, no Qt."""
