"""The ledger's one error body, and how every error becomes an HTTP answer.

Every refusal the ledger answers (401, 403, 404, 409, 413, 422, 429 …) has the body
:class:`ErrorBody`: ``error`` (a code a program can test), ``message`` (what went wrong, in
words), ``next_step`` (what to do about it). A request that fails validation (422) also
lists each problem in ``detail``. Push keeps its own two bodies (``GapError`` on 409,
``ReusedOpError`` on 422), and order intake adds ``alternatives`` (``OrderRefused``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from app.domain.routing import StoreCannotFill
from app.errors import BadInput, KnownError, NotFound, RuleRefused
from app.ledger.api.auth import Forbidden, Unauthorized
from app.ledger.devices import EnrolRefused
from app.ledger.push import DeviceRevoked, PushGap, PushReused, WrongDevice

JSON = "application/json"


class FieldProblem(BaseModel):
    """One problem with a request: where (``loc``, e.g. ``["body", "lines", 0, "sku"]``)
    and what."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error the ledger answers (see the module doc)."""

    error: str  # unauthorized, forbidden, not_found, invalid_request, too_large …
    message: str
    next_step: str = ""
    detail: list[FieldProblem] | None = None  # 422 only: each problem found


# What each status means, for the OpenAPI document.
DESCRIPTIONS = {
    400: "Unreadable as sent: a body that is not JSON text in UTF-8, or a bad header",
    401: "No token, or a token the ledger does not know (or a revoked device)",
    403: "The token is known but may not do this",
    404: "Not found",
    409: "Refused by a rule (state, stock, duplicate)",
    413: "The request body is larger than this endpoint takes",
    422: "The request is not valid; ``detail`` says where",
    426: "This station speaks a protocol older than the ledger serves: update it",
    429: "Too many attempts from this address; wait Retry-After seconds",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for an endpoint's own error statuses; each gets the ``ErrorBody``
    (:mod:`app.ledger.api.contract` adds those every request can get)."""
    return {status: {"description": DESCRIPTIONS[status]} for status in statuses}


def printable(text: str) -> str:
    """``text`` safe to send as UTF-8 (a lone surrogate becomes ``\\udcff``)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(
    status: int,
    error: str,
    message: str,
    next_step: str = "",
    *,
    detail: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An :class:`ErrorBody` answer; ``extra`` adds optional fields a client may ignore
    (e.g. ``alternatives`` of ``protocol.OrderRefused``)."""
    body = ErrorBody(
        error=error, message=printable(message), next_step=printable(next_step), detail=detail
    )
    content = {**body.model_dump(mode="json", exclude_none=True), **extra}
    return JSONResponse(content, status_code=status, headers=headers)


def problems_of(errors: list[Any]) -> list[FieldProblem]:
    """FastAPI's validation errors as :class:`FieldProblem` (no echo of the input)."""
    return [
        FieldProblem(
            loc=[x if isinstance(x, int) else printable(str(x)) for x in e.get("loc", ())],
            msg=printable(str(e.get("msg", ""))),
            type=str(e.get("type", "")),
        )
        for e in errors
    ]


def invalid_request(problems: list[FieldProblem]) -> JSONResponse:
    """422 with each problem; the message names the first few."""
    said = "; ".join(
        f"{'.'.join(str(x) for x in p.loc if x != 'body') or 'body'}: {p.msg}" for p in problems[:3]
    )
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return error_response(
        422,
        "invalid_request",
        f"The request is not valid: {said}{more}.",
        "Correct the fields named and send it again.",
        detail=problems,
    )


def unstorable(where: list[str | int], kind: str) -> JSONResponse:
    """422 for a value the ledger cannot store (see :mod:`app.ledger.api.text`): ``kind``
    ``"text"`` (a lone surrogate such as ``\\udcff``, or NUL) or ``"number"``."""
    loc = [x if isinstance(x, int) else printable(x) for x in where]
    field = ".".join(str(x) for x in loc[1:]) or "body"
    if kind == "text":
        what = (
            "holds a character that is not text (a lone UTF-16 surrogate such as \\udcff, or NUL)"
        )
        fix = "Send the text as valid Unicode; check how the source encodes it."
    else:
        what = "is a whole number beyond ±(2**53 - 1), more than the ledger takes"
        fix = "Send a number the ledger can hold; check the field."
    problem = FieldProblem(loc=loc, msg=f"Value {what}", type=f"unstorable_{kind}")
    return error_response(
        422, f"unstorable_{kind}", f"The value at {field} {what}.", fix, detail=[problem]
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map auth failures, validation errors, HTTP errors and ``KnownError`` to answers."""

    @app.exception_handler(Unauthorized)
    def _unauthorized(_: Request, exc: Unauthorized) -> JSONResponse:
        return unauthorized(exc)

    @app.exception_handler(DeviceRevoked)
    def _revoked(_: Request, exc: DeviceRevoked) -> JSONResponse:
        return unauthorized(exc)

    @app.exception_handler(Forbidden)
    def _forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return forbidden(exc)

    @app.exception_handler(RequestValidationError)
    def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return invalid_request(problems_of(list(exc.errors())))

    @app.exception_handler(HTTPException)
    def _http(_: Request, exc: HTTPException) -> JSONResponse:
        text = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        error = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        return error_response(
            exc.status_code,
            error.get(exc.status_code, "refused"),
            text,
            "Send the body as JSON text in UTF-8." if exc.status_code == 400 else "",
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(PushGap)
    def _gap(_: Request, exc: PushGap) -> Response:
        return Response(exc.body.model_dump_json(), status_code=409, media_type=JSON)

    @app.exception_handler(PushReused)
    def _reused(_: Request, exc: PushReused) -> Response:
        return Response(exc.body.model_dump_json(), status_code=422, media_type=JSON)

    @app.exception_handler(KnownError)
    def _known(_: Request, exc: KnownError) -> JSONResponse:
        return known_error(exc)


def unauthorized(exc: Exception) -> JSONResponse:
    return error_response(
        401,
        "unauthorized",
        str(exc),
        "Enrol this station again, or use the token the ledger gave you.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(exc: Exception) -> JSONResponse:
    return error_response(403, "forbidden", str(exc), "Use a token that may do this.")


def known_error(exc: KnownError) -> JSONResponse:
    """403 for a refused enrolment or device, 404, 409 for a rule, 422 for bad input,
    else 400."""
    status, error = 400, "refused"
    if isinstance(exc, EnrolRefused | WrongDevice):
        status, error = 403, "forbidden"
    elif isinstance(exc, NotFound):
        status, error = 404, "not_found"
    elif isinstance(exc, RuleRefused):
        status, error = 409, getattr(exc, "code", "rule_refused")
    elif isinstance(exc, BadInput):
        status, error = 422, "bad_input"
    extra: dict[str, Any] = {}
    if isinstance(exc, StoreCannotFill):
        extra["alternatives"] = [asdict(a) for a in exc.alternatives]
    return error_response(status, error, exc.message, exc.next_step, **extra)
