"""The OpenAPI document, made to say what every endpoint really answers.

FastAPI documents each endpoint's own answers; this adds the answers every request can
get from :mod:`app.ledger.api.gate` and :mod:`app.ledger.api.errors`, all with the one
:class:`~app.ledger.api.errors.ErrorBody`:

* 401 for an endpoint with a guard, 403 where a known token may be refused, 429 where
  unknown tokens are slowed down (admin and order endpoints);
* 400 and 413 for an endpoint that takes a body, 429 for enrolment;
* 422 with ``ErrorBody`` instead of FastAPI's ``HTTPValidationError``; where an endpoint
  documents its own 422 body (push: ``ReusedOpError``) either one;
* an ``ErrorBody`` for each error status an endpoint lists without a body of its own;
* 404 for an endpoint with a path parameter (what it names may not be there);
* in JSON request bodies and parameters, what the gate refuses: text holds no NUL, whole
  numbers in a body are within ±(2**53 - 1) (:mod:`app.ledger.api.text`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.ledger.api.auth import guard_of, require_device, require_order_intake
from app.ledger.api.errors import DESCRIPTIONS, ErrorBody
from app.ledger.api.limits import ENROL_PATH, body_limit
from app.ledger.api.routes import api_routes
from app.ledger.api.text import MAX_INT, MIN_INT
from app.ledger.api.versions import STATION_PATHS

REF = "#/components/schemas/"
ERROR_REF = {"$ref": f"{REF}ErrorBody"}
FASTAPI_422 = f"{REF}HTTPValidationError"
OWN_ANSWERS = {ENROL_PATH: [403, 429]}  # an unknown or used code; too many attempts
NO_NUL = {"pattern": "\u0000"}


def install_contract(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_contract(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def build_contract(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template=REF + "{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    for route in api_routes(app):
        if route.include_in_schema:
            for method in route.methods:
                operation = document["paths"][route.path_format][method.lower()]
                _complete(route, operation["responses"])
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    _storable_requests(document)
    return document


def _complete(route: Any, responses: dict[str, Any]) -> None:
    statuses = set(_answers(route))
    takes_input = bool(route.body_field or route.dependant.query_params)
    if takes_input or route.dependant.path_params:
        statuses.add(422)
    if route.dependant.path_params:
        statuses.add(404)  # the order, transfer, item … named in the path is not there
    for status in sorted(statuses):
        responses.setdefault(str(status), {"description": _described(route, status)})
    for code, response in responses.items():
        if not code.isdigit() or int(code) < 400:
            continue
        content = response.setdefault("content", {}).setdefault("application/json", {})
        content["schema"] = _error_schema(content.get("schema"))
        response["description"] = response.get("description") or DESCRIPTIONS[int(code)]
        if code == "429":
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}


def _answers(route: Any) -> list[int]:
    """The statuses the gate and the error handlers may answer for ``route``."""
    statuses: list[int] = []
    guard = guard_of(route)
    if guard is not None:
        statuses.append(401)
        if guard is not require_device:
            statuses.append(429)  # unknown tokens, from one address, slowed down
        if guard is not require_order_intake:
            statuses.append(403)  # the intake token on admin ones, our own tokens on sync
    if route.body_field is not None:
        statuses += [400, 413]
    if str(route.path_format).startswith(STATION_PATHS):
        statuses += [400, 426]  # the protocol header unreadable, or too old
    return statuses + OWN_ANSWERS.get(route.path_format, [])


def _described(route: Any, status: int) -> str:
    if status == 413:
        return f"{DESCRIPTIONS[413]} (at most {body_limit(route.path_format) // 1024} KiB)"
    return DESCRIPTIONS[status]


def _error_schema(declared: dict[str, Any] | None) -> dict[str, Any]:
    """``ErrorBody``, or either one where the endpoint declared a body of its own."""
    if not declared or declared.get("$ref") in (FASTAPI_422, ERROR_REF["$ref"]):
        return dict(ERROR_REF)
    return {"anyOf": [declared, dict(ERROR_REF)]}


def _storable_requests(document: dict[str, Any]) -> None:
    """Say in every request's schemas what the gate refuses (see the module doc)."""
    schemas = document["components"]["schemas"]
    marked: set[str] = set()

    def mark(node: Any, numbers: bool) -> None:
        if isinstance(node, list):
            for item in node:
                mark(item, numbers)
            return
        if not isinstance(node, dict):
            return
        name = str(node.get("$ref", "")).removeprefix(REF)
        if name and name not in marked and name in schemas:
            marked.add(name)
            mark(schemas[name], numbers)
        if node.get("type") == "string" and "format" not in node:
            node["not"] = dict(NO_NUL)
        if numbers and node.get("type") == "integer":
            node["maximum"] = min(node.get("maximum", MAX_INT), MAX_INT)
            node["minimum"] = max(node.get("minimum", MIN_INT), MIN_INT)
        for key, value in node.items():
            if key not in ("$ref", "not"):
                mark(value, numbers)

    for path in document["paths"].values():
        for operation in path.values():
            body = operation.get("requestBody", {}).get("content", {})
            mark(body.get("application/json"), numbers=True)
            for parameter in operation.get("parameters", []):
                mark(parameter.get("schema"), numbers=False)
