"""The OpenAPI document says what the ledger answers (issue #9 §4): one error body for
every refusal, 401/403 where a token is checked, push's own 409 and 422 bodies beside it.
``make fuzz`` checks the real answers against this document; these pin its shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.ledger import RunningLedger, tiny_ledger


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """SQLite only: the OpenAPI document does not depend on the database; a PostgreSQL
    variant would repeat the same answers."""
    yield from tiny_ledger(tmp_path_factory.mktemp("ledger"))


ERROR = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="module")
def contract(shared_ledger: RunningLedger) -> dict[str, Any]:
    document: dict[str, Any] = requests.get(f"{shared_ledger.url}/openapi.json", timeout=30).json()
    return document


def operations(contract: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in contract["paths"].items()
        for method, operation in item.items()
    }


def error_schema(operation: dict[str, Any], status: str) -> Any:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_every_refusal_has_the_one_error_body(contract: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in contract["components"]["schemas"]
    for name, operation in operations(contract).items():
        for status in operation["responses"]:
            if int(status) >= 400:
                schema = error_schema(operation, status)
                assert schema == ERROR or ERROR in schema["anyOf"], (name, status, schema)


def test_guarded_endpoints_document_401_and_403(contract: dict[str, Any]) -> None:
    ops = operations(contract)
    for name in ("GET /v1/transfers", "POST /v1/admin/expire-holds"):
        assert {"401", "403", "429"} <= set(ops[name]["responses"]), name
    assert {"401", "403", "426"} <= set(ops["POST /v1/sync/push"]["responses"])
    assert "429" not in ops["POST /v1/sync/push"]["responses"]
    assert "401" in ops["POST /v1/orders"]["responses"]
    assert "401" not in ops["GET /v1/health"]["responses"]
    assert {"403", "429", "413"} <= set(ops["POST /v1/enrol"]["responses"])


def test_push_documents_its_own_bodies_beside_the_error_body(contract: dict[str, Any]) -> None:
    push = operations(contract)["POST /v1/sync/push"]
    refs = [s.get("$ref", "") for s in error_schema(push, "422")["anyOf"]]
    assert refs == ["#/components/schemas/ReusedOpError", ERROR["$ref"]]
    assert {"$ref": "#/components/schemas/GapError"} in error_schema(push, "409")["anyOf"]
    assert "8192 KiB" in push["responses"]["413"]["description"]


def test_ids_and_times_say_their_bounds(contract: dict[str, Any]) -> None:
    ship = operations(contract)["POST /v1/transfers/{transfer_id}/ship"]
    (transfer_id,) = [p for p in ship["parameters"] if p["name"] == "transfer_id"]
    assert transfer_id["schema"]["maximum"] == 2**31 - 1
    assert "404" in ship["responses"]
    expire = contract["components"]["schemas"]["ExpireRequest"]["properties"]["now"]
    (time,) = [s for s in expire["anyOf"] if s.get("type") == "string"]
    assert time["format"] == "date-time" and time["pattern"].startswith("^20")
    limit = [
        p
        for p in operations(contract)["GET /v1/admin/messages"]["parameters"]
        if p["name"] == "limit"
    ]
    assert limit[0]["schema"]["maximum"] == 500
