"""HTTP client of the ledger's sync API, over one ``requests.Session`` with timeouts.

Failures become exceptions the station can act on:

* network errors, timeouts, 5xx   -> ``app.errors.Offline`` (retry with backoff)
* an untrusted TLS certificate    -> ``CertificateProblem`` (an ``Offline`` that says so)
* http:// to a ledger not on this PC -> ``PlainHttpRefused`` unless ``allow_http``
* 401                             -> ``ReEnrolNeeded`` (token unknown or revoked)
* 409                             -> ``GapError`` carrying ``expected_seq``
* 422 on push                     -> ``ReusedOp`` (a bug or a corrupt cache: stop pushing)
* 426                             -> ``UpgradeNeeded`` (this terminal is too old)

Every request says which sync protocol this station speaks (``Counterbench-Protocol``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from app import log
from app.config import SyncSettings
from app.domain.clock import Clock, utcnow
from app.domain.tax.invoice_numbers import Series
from app.errors import KnownError, Offline
from app.sync import protocol
from app.sync.abortable import AbortableAdapter
from app.sync.invoice_blocks import (
    INVOICE_BLOCKS_PATH,
    InvoiceBlocksAnswer,
    InvoiceBlocksRequest,
)
from app.sync.return_orders import (
    NO_RECEIPT_PATH,
    RETURN_ORDERS_PATH,
    NoReceiptHistory,
    ReturnOrdersFound,
)

_log = log.get("sync")


class ReEnrolNeeded(KnownError):
    """The ledger does not accept this station's token (revoked or unknown)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The ledger no longer accepts this station" + (f" ({detail})." if detail else "."),
            next_step="Ask IT to enrol this station again with a new code.",
        )


class UpgradeNeeded(KnownError):
    """The ledger no longer serves this program's protocol (HTTP 426)."""

    TEXT = "This terminal is too old for the ledger — update this terminal."

    def __init__(self) -> None:
        super().__init__(
            self.TEXT,
            next_step="Ask IT to install the current Counterbench here. "
            "Work done on this terminal is kept and sent after the update.",
        )


class GapError(Exception):
    """The ledger expected another device_seq next (HTTP 409)."""

    def __init__(self, expected_seq: int) -> None:
        super().__init__(f"the ledger expects device_seq {expected_seq} next")
        self.expected_seq = expected_seq


class ReusedOp(KnownError):
    """An op_id or device_seq reached the ledger again with another payload (HTTP 422)."""

    def __init__(self, op_id: str, device_seq: int, detail: str) -> None:
        super().__init__(
            f"Operation {device_seq} ({op_id}) disagrees with what the ledger holds: {detail}",
            next_step="Sending is stopped to protect the data. Call IT support.",
        )
        self.op_id = op_id
        self.device_seq = device_seq


class CertificateProblem(Offline):
    """The ledger's TLS certificate is not trusted here (unknown issuer, wrong name, expired).

    Work is kept and retried like when offline, but the text says what is wrong, since
    waiting for the network will not mend it."""

    def __init__(self, base_url: str, reason: str) -> None:
        super().__init__(
            f"The ledger's certificate is not trusted ({reason}), so nothing is sent to "
            f"{base_url}.",
            next_step="Ask IT to install the ledger's certificate on this PC or fix its name. "
            "Work is kept here and sent once it is fixed.",
        )


class PlainHttpRefused(KnownError):
    """http:// to a ledger on another machine: the token would cross the network in clear."""

    def __init__(self, base_url: str) -> None:
        super().__init__(
            f"{base_url} is plain http on the network: this station sends its token and "
            "staff logins only over https.",
            next_step="Use the ledger's https:// address, or ask IT to allow http for this "
            "station (counterbench station enrol --allow-http).",
        )


def plain_http_to_network(base_url: str) -> bool:
    """Whether ``base_url`` is http:// to a host that is not this PC (loopback)."""
    parts = urlsplit(base_url)
    if parts.scheme.lower() != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _certificate_reason(exc: Exception) -> str | None:
    """Why the certificate was refused, when ``exc`` is a certificate failure."""
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" not in text and "certificate verify failed" not in text:
        return None
    found = re.search(r"certificate verify failed: ([^(]+?)\s*\(_ssl", text)
    return found.group(1) if found else "certificate verify failed"


CARRIER_WAITS = ("carrier_down", "carrier_slow")  # app.ledger.api.parcels


class LedgerRefused(KnownError):
    """The ledger answered with an error this station cannot fix by retrying."""

    error = ""  # the ledger's error code (``carrier_refused`` …), when it gave one


class LedgerClient:
    """Talks to one ledger at ``base_url`` (e.g. ``http://127.0.0.1:8400``)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        settings: SyncSettings | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.settings = settings or SyncSettings()
        self._http = session or requests.Session()
        self._adapter = AbortableAdapter()
        self._http.mount("http://", self._adapter)
        self._http.mount("https://", self._adapter)
        self._http.headers["Accept"] = "application/json"
        self._http.headers[protocol.PROTOCOL_HEADER] = str(protocol.PROTOCOL_VERSION)
        self.ledger_protocol: int | None = None  # as the ledger's last answer said
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        self._refuse_http = plain_http_to_network(self.base_url) and not self.settings.allow_http
        self.clock: Clock = utcnow  # this station's clock, sent and compared with the ledger's
        self.clock_skew_s: float | None = None  # station minus ledger, from the last answer

    def close(self) -> None:
        self._http.close()

    def abort(self) -> None:
        """End any request in flight now (from another thread), then close the session.

        ``close()`` alone leaves a request waiting for an answer until its read timeout;
        this shuts its socket down, so the waiting call raises ``Offline`` at once. The
        client refuses further requests.
        """
        self._adapter.abort()
        self._http.close()

    # --- endpoints -------------------------------------------------------------------------

    def health(self) -> protocol.Health:
        return protocol.Health.model_validate_json(self._request("GET", "/health").content)

    def enrol(
        self,
        code: str,
        station_name: str,
        kind: str,
        previous: protocol.PreviousEnrolment | None = None,
    ) -> protocol.EnrolResponse:
        body = protocol.EnrolRequest(
            code=code,
            station_name=station_name,
            station_kind=kind,  # type: ignore[arg-type]
            previous=previous,
        )
        response = self._request(
            "POST", "/enrol", json=body.model_dump(mode="json", exclude_none=True)
        )
        return protocol.EnrolResponse.model_validate_json(response.content)

    def push(self, device_id: str, ops: Sequence[protocol.PushOp]) -> protocol.PushResponse:
        body = protocol.PushRequest(device_id=device_id, ops=list(ops))
        response = self._request(
            "POST",
            "/sync/push",
            data=body.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
        return protocol.PushResponse.model_validate_json(response.content)

    def pull(self, cursor: int, limit: int | None = None) -> protocol.PullResponse:
        params = {"cursor": cursor, "limit": limit or self.settings.pull_page}
        response = self._request("GET", "/sync/pull", params=params)
        return protocol.PullResponse.model_validate_json(response.content)

    def snapshot(
        self, scope: protocol.Scope, after: int = 0, limit: int | None = None
    ) -> protocol.SnapshotPage:
        params = {
            "scope": scope.value,
            "after": after,
            "limit": limit or self.settings.snapshot_page,
        }
        response = self._request("GET", "/sync/snapshot", params=params)
        return protocol.SnapshotPage.model_validate_json(response.content)

    def snapshot_text(self, scope: protocol.Scope, after: int = 0, limit: int | None = None) -> str:
        """One snapshot page as the JSON text the ledger sent (for the bulk-load path)."""
        params = {
            "scope": scope.value,
            "after": after,
            "limit": limit or self.settings.snapshot_page,
        }
        return self._request("GET", "/sync/snapshot", params=params).content.decode()

    def book_parcel(self, sscc: str, *, cancel: bool = False) -> dict[str, Any]:
        """A packed parcel's booking with its carrier (``cancel``: cancel a void one's).
        The carrier down or slow reads as ``Offline``; its refusal as ``LedgerRefused``
        with ``error`` ``carrier_refused``."""
        path = f"/parcels/{sscc}/booking{'/cancel' if cancel else ''}"
        return _json(self._request("POST", path))

    def locate_pickup(self, query: str) -> protocol.PickupLocated | None:
        """Which store holds a pickup order (number, code or QR); None when none does."""
        try:
            response = self._request("GET", "/pickups/locate", params={"q": query[:80]})
        except LedgerRefused:
            return None
        return protocol.PickupLocated.model_validate_json(response.content)

    def return_orders(self, asked: str, value: str, by: str) -> ReturnOrdersFound:
        """The orders a return may be taken against that ``value`` finds, asked as
        ``asked`` (order, phone, email, gtin or parcel) by staff member ``by`` (audited)."""
        response = self._request("GET", RETURN_ORDERS_PATH, params={"by": by, asked: value[:80]})
        return ReturnOrdersFound.model_validate_json(response.content)

    def no_receipt_history(self, phone: str, by: str) -> NoReceiptHistory:
        """The customer's (``phone``) returns without an order at any store in the limit's
        period, asked by staff member ``by`` (audited)."""
        response = self._request("GET", NO_RECEIPT_PATH, params={"by": by, "phone": phone[:32]})
        return NoReceiptHistory.model_validate_json(response.content)

    def invoice_blocks(
        self, year: int, known_last: int, series: Series = Series.INVOICE
    ) -> InvoiceBlocksAnswer:
        """This bench's number blocks of ``year``'s ``series`` (tax invoices or credit
        notes) after serial ``known_last``."""
        body = InvoiceBlocksRequest(financial_year=year, known_last=known_last, series=series)
        response = self._request(
            "POST",
            INVOICE_BLOCKS_PATH,
            data=body.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
        return InvoiceBlocksAnswer.model_validate_json(response.content)

    # --- plumbing --------------------------------------------------------------------------

    def _note_ledger_clock(self, response: requests.Response) -> None:
        """How far this station's clock is off the ledger's, from the answer's HTTP Date
        header (whole seconds: ample for a limit of minutes)."""
        ledger = _http_date(response.headers.get("Date"))
        if ledger is not None:
            self.clock_skew_s = (self.clock() - ledger).total_seconds()

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = f"{self.base_url}{protocol.API_PREFIX}{path}"
        if self._adapter.live.aborted:
            raise Offline("Sync is stopping.", next_step="Work goes on here and is sent later.")
        if self._refuse_http:
            raise PlainHttpRefused(self.base_url)
        timeout = (self.settings.connect_timeout_s, self.settings.read_timeout_s)
        headers = {**kwargs.pop("headers", {}), protocol.CLOCK_HEADER: self.clock().isoformat()}
        try:
            response = self._http.request(method, url, timeout=timeout, headers=headers, **kwargs)
        except requests.exceptions.SSLError as exc:
            reason = _certificate_reason(exc)
            if reason is None:
                raise Offline(
                    f"The secure connection to {self.base_url} failed ({exc.__class__.__name__}).",
                    next_step="Work goes on here. Call IT support if this message stays.",
                ) from exc
            _log.error("the ledger's certificate is not trusted: %s", exc)
            raise CertificateProblem(self.base_url, reason) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Offline(
                f"The ledger at {self.base_url} cannot be reached.",
                next_step="Work goes on here and is sent when the network is back.",
            ) from exc
        except requests.RequestException as exc:
            raise Offline(f"Talking to the ledger failed ({exc.__class__.__name__}).") from exc
        self._note_ledger_clock(response)
        status = response.status_code
        self._note_protocol(response)
        if status < 400:
            return response
        body = _json(response)
        if status >= 500 and body.get("error") in CARRIER_WAITS:  # the ledger is fine
            raise Offline(_message(body), next_step=str(body.get("next_step") or ""))
        if status >= 500:
            raise Offline(
                f"The ledger had a problem (HTTP {status}).",
                next_step="Work goes on here; sending is retried shortly.",
            )
        if status == 401:
            raise ReEnrolNeeded(_message(body))
        if status == 409 and "expected_seq" in body:
            raise GapError(int(body["expected_seq"]))
        if status == 422 and body.get("error") == "op_reused":
            err = protocol.ReusedOpError.model_validate(body)
            _log.error(
                "ledger refused op %s (seq %d) as reused: %s",
                err.op_id,
                err.device_seq,
                err.message,
            )
            raise ReusedOp(err.op_id, err.device_seq, err.message)
        if status == 426:
            _log.error("the ledger refused this station's protocol: %s", response.text[:300])
            raise UpgradeNeeded()
        refused = LedgerRefused(
            _message(body) or f"The ledger refused the request (HTTP {status}).",
            next_step=str(body.get("next_step") or ""),
        )
        refused.error = str(body.get("error") or "")
        raise refused

    def _note_protocol(self, response: requests.Response) -> None:
        """Keep the protocol the ledger says it speaks (a ledger before the header: 1)."""
        text = response.headers.get(protocol.PROTOCOL_HEADER, "1").strip()
        version = int(text) if text.isdigit() and len(text) < 10 else None
        if version != self.ledger_protocol:
            _log.info(
                "the ledger speaks sync protocol %s (this station %d)",
                text,
                protocol.PROTOCOL_VERSION,
            )
            self.ledger_protocol = version


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _message(body: dict[str, Any]) -> str:
    return str(body.get("message") or body.get("detail") or "")


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, dict):  # FastAPI HTTPException(detail={...})
            return {**detail, "detail": detail.get("message", detail)}
        return body
    return {}
