"""The ledger's endpoints as FastAPI holds them, for the gate and the contract.

Newer FastAPI keeps an included router as one lazy entry of ``app.routes``;
``iter_route_contexts`` yields each endpoint in it with its full path. Older FastAPI
copies every endpoint into ``app.routes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.routing import APIRoute


def api_routes(app: FastAPI) -> Iterator[Any]:
    """Each endpoint (an ``APIRoute`` or a context that reads like one), with its full
    path (``path_format``), ``methods``, ``dependant``, ``body_field`` and ``matches``."""
    contexts = getattr(fastapi.routing, "iter_route_contexts", iter)
    for route in contexts(app.routes):
        if isinstance(getattr(route, "original_route", route), APIRoute):
            yield route
