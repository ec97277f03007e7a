"""What every request passes before an endpoint reads it (ASGI middleware).

In order: a path taken for other methods only (405, naming them all); the enrolment rate
limit (429); the endpoint's guard (its token checked before the body is read, so an
unauthenticated request is answered 401 whatever it sends, and a client that keeps
presenting unknown admin or order tokens is slowed down, 429); a NUL in a path or query
parameter (422); the body cap (413); values the ledger cannot store (422, see
:mod:`app.ledger.api.text`); and the body's JSON types, read strictly (422, see
:mod:`app.ledger.api.strict`). Only then is the body, read once here, handed on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from pydantic import TypeAdapter
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ledger.api.auth import Forbidden, Guard, Unauthorized, guard_of, require_device
from app.ledger.api.errors import (
    error_response,
    forbidden,
    invalid_request,
    unauthorized,
    unstorable,
)
from app.ledger.api.limits import (
    ENROL_PATH,
    PUSH_PATH,
    Limits,
    TokenBucket,
    body_limit,
    retry_after,
)
from app.ledger.api.routes import api_routes
from app.ledger.api.strict import body_adapter, type_problems
from app.ledger.api.text import PUSH_ENVELOPE, first_unstorable

NO_BODY = {"GET", "HEAD", "OPTIONS"}


Endpoint = tuple[Any, Guard | None, TypeAdapter[Any] | None]  # route, guard, strict body


def _endpoint(route: Any) -> Endpoint:
    strict = route.path_format != PUSH_PATH  # a push is read tolerantly (see strict)
    return route, guard_of(route), body_adapter(route) if strict else None


class Gate:
    """The middleware (see the module doc); ``limits`` sets the rate limits."""

    def __init__(self, app: ASGIApp, limits: Limits | None = None) -> None:
        self.app = app
        limits = limits or Limits()
        self.enrolments = TokenBucket(limits.enrol)
        self.bad_tokens = TokenBucket(limits.bad_token)
        self._routes: list[Endpoint] | None = None  # built on first use

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = self._route(scope)
        if isinstance(found, Response):  # 405, naming every method the path takes
            await found(scope, receive, send)
            return
        if found is None:  # the router answers 404 itself
            await self.app(scope, receive, send)
            return
        guard, params, adapter = found
        refusal = self._rate_limited(scope) or await self._unauthenticated(scope, guard, params)
        refusal = refusal or _nul_in_params(scope, params)
        if refusal is None and scope["method"] not in NO_BODY:
            refusal, body = await _read_body(scope, receive)
            refusal = refusal or _bad_text(scope, body) or _bad_types(adapter, body)
            receive = _replay(body, receive)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _rate_limited(self, scope: Scope) -> Response | None:
        if scope["path"] != ENROL_PATH:
            return None
        wait = self.enrolments.take(_client(scope))
        if not wait:
            return None
        return _too_many("Too many enrolment attempts from this address.", wait)

    def _route(
        self, scope: Scope
    ) -> tuple[Guard | None, Scope, TypeAdapter[Any] | None] | Response | None:
        """The guard of the endpoint ``scope`` asks for and its path parameters; a 405 when
        the path is there for other methods only; None when the path is unknown."""
        if self._routes is None:
            self._routes = [_endpoint(route) for route in api_routes(scope["app"])]
        allowed: set[str] = set()
        for route, guard, adapter in self._routes:
            match, params = route.matches(scope)
            if match == Match.FULL:
                return guard, params, adapter
            if match == Match.PARTIAL:
                allowed |= set(route.methods or ())
        if not allowed:
            return None
        methods = ", ".join(sorted(allowed))
        return error_response(
            405,
            "method_not_allowed",
            f"{scope['method']} is not taken here.",
            f"Use {methods}.",
            headers={"Allow": methods},
        )

    async def _unauthenticated(
        self, scope: Scope, guard: Guard | None, params: Scope
    ) -> Response | None:
        if guard is None:
            return None
        scope.setdefault("state", {})
        request = Request({**scope, **params})
        client = _client(scope)
        # Only the ledger's own tokens can be guessed (a person may choose them); a device
        # token is 256 random bits, and a revoked station retrying must not hold up every
        # other station behind the same shop router.
        presents_token = guard is not require_device and bool(
            request.headers.get("authorization") or request.query_params.get("token")
        )  # a carrier's webhook may carry its token in the URL
        if presents_token and (wait := self.bad_tokens.wait(client)):
            return _too_many("Too many requests with an unknown token from this address.", wait)
        try:
            await guard(request)
        except Unauthorized as exc:
            if presents_token:
                self.bad_tokens.spend(client)
            return unauthorized(exc)
        except Forbidden as exc:
            return forbidden(exc)
        return None


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _too_many(message: str, wait_s: float) -> Response:
    seconds = retry_after(wait_s)
    return error_response(
        429,
        "too_many_requests",
        message,
        f"Wait {seconds} seconds, then try again.",
        headers={"Retry-After": seconds},
    )


async def _read_body(scope: Scope, receive: Receive) -> tuple[Response | None, bytes]:
    """The whole body, or a 413 as soon as it passes the endpoint's cap."""
    cap = body_limit(scope["path"])
    declared = dict(scope["headers"]).get(b"content-length", b"")
    if declared.isdigit() and int(declared) > cap:
        return _too_large(cap), b""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the endpoint sees an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return _too_large(cap), b""
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return None, b"".join(chunks)


def _too_large(cap: int) -> Response:
    return error_response(
        413,
        "too_large",
        f"The request body is larger than this endpoint takes ({cap // 1024} KiB).",
        "Send less at a time (a station sends its queue in smaller pushes).",
    )


def _bad_text(scope: Scope, body: bytes) -> Response | None:
    found = first_unstorable(body, PUSH_ENVELOPE if scope["path"] == PUSH_PATH else None)
    if found is None:
        return None
    where, kind = found
    return unstorable(["body", *where], kind)


def _nul_in_params(scope: Scope, params: Scope) -> Response | None:
    """422 for a NUL in a path or query parameter (PostgreSQL refuses it in text)."""
    for name, value in params.get("path_params", {}).items():
        if isinstance(value, str) and "\x00" in value:
            return unstorable(["path", name], "text")
    query = scope.get("query_string", b"")
    if b"%00" not in query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return unstorable(["query", name], "text")
    return None


def _bad_types(adapter: TypeAdapter[Any] | None, body: bytes) -> Response | None:
    problems = type_problems(adapter, body) if adapter is not None and body else []
    return invalid_request(problems) if problems else None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives ``body`` once, then what the client sends (a disconnect)."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
