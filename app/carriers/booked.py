"""A carrier booked per parcel over HTTP: the client of the carrier simulator's API
(:mod:`app.carrier_sim.api`), which stands for a real courier's.

Every call has a timeout and is tried at most ``attempts`` times, waiting ``backoff_s``,
then twice that, between tries. Every call is safe to try again: a booking carries the
parcel's SSCC as its ``Idempotency-Key``, and cancelling twice cancels once. What a
failed call raises depends on what the carrier may have done:

* it could not be reached, or answered 503, on every try: ``CarrierDown`` (nothing done);
* some try got no answer in time, or an answer broken off or a server error: ``CarrierSlow``
  (the booking may exist; a later ``book`` of the same parcel finds it);
* it answered no (4xx): ``CarrierRefused`` at once, with its reason.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from app.carriers.adapter import (
    Booking,
    CarrierDown,
    CarrierRefused,
    CarrierSlow,
    EventKind,
    EventPage,
    LabelData,
    Parcel,
    TrackingEvent,
)
from app.domain.master_fields import check_pincode

log = logging.getLogger("counterbench.carriers")
EVENTS_PER_PAGE = 100


class _NotDone(Exception):
    """The carrier did nothing: not reached, or it said it is unavailable."""


class _NoAnswer(Exception):
    """The request went out and no whole answer came back: the outcome is unknown."""


class BookedCarrier:
    """A courier reached over HTTP at ``base_url``."""

    needs_network = True

    def __init__(
        self,
        *,
        code: str,
        name: str,
        base_url: str,
        timeout_s: float = 10.0,
        attempts: int = 3,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.code = code
        self.name = name
        url = urlsplit(base_url)
        self._https = url.scheme == "https"
        self._host = url.hostname or "127.0.0.1"
        self._port = url.port
        self._root = url.path.rstrip("/")
        self.timeout_s = timeout_s
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s
        self._sleep = sleep

    def serviceable(self, pincode: str) -> bool:
        """Whether the carrier delivers to ``pincode`` (it is asked)."""
        pin = check_pincode(pincode)
        _, body = self._call("GET", f"/v1/pincodes/{pin}", booking=False)
        return bool(body["serviceable"])

    def book(self, parcel: Parcel) -> Booking:
        """Book ``parcel``; a parcel booked before (same SSCC) gets that booking back."""
        c = parcel.consignee
        request = {
            "reference": parcel.order_number,
            "consignee": {"name": c.name, "address": c.address, "city": c.city,
                          "pincode": c.pincode, "phone": c.phone},
            "weight_g": parcel.weight_g,
            "value_paise": parcel.value_paise,
            "cod_paise": parcel.cash_on_delivery_paise,
        }  # fmt: skip
        _, body = self._call("POST", "/v1/shipments", request, key=parcel.sscc)
        booking = self._booking(body)
        if booking.sscc != parcel.sscc:  # a carrier that mixes keys up must not go unseen
            raise CarrierRefused(self.name, f"it answered for parcel {booking.sscc}.")
        return booking

    def booking(self, sscc: str) -> Booking | None:
        """The booking made with ``sscc``, or None when the carrier has none."""
        status, body = self._call(
            "GET", f"/v1/shipments?idempotency_key={quote(sscc)}", booking=False, missing_ok=True
        )
        return None if status == http.client.NOT_FOUND else self._booking(body)

    def label(self, tracking: str) -> LabelData:
        """The label data of a booked parcel, to print its label again."""
        _, body = self._call("GET", f"/v1/shipments/{quote(tracking)}/label", booking=False)
        return _label(body)

    def cancel(self, tracking: str) -> None:
        """Cancel a booking (refused once the carrier has collected the parcel)."""
        self._call("POST", f"/v1/shipments/{quote(tracking)}/cancel", {}, booking=False)

    def events(self, after: int) -> EventPage:
        """Up to a page of tracking events after cursor ``after``."""
        path = f"/v1/events?after={after}&limit={EVENTS_PER_PAGE}"
        _, body = self._call("GET", path, booking=False)
        return EventPage(
            events=tuple(_event(e) for e in body["events"]), cursor=int(body["cursor"])
        )

    def _booking(self, body: dict[str, Any]) -> Booking:
        return Booking(
            carrier=self.code,
            sscc=str(body["idempotency_key"]),
            tracking=str(body["tracking"]),
            label=_label(body["label"]),
            booked_at=datetime.fromisoformat(body["booked_at"]),
            found=bool(body["replayed"]),
        )

    def _call(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        *,
        key: str = "",
        booking: bool = True,
        missing_ok: bool = False,
    ) -> tuple[int, dict[str, Any]]:
        """One call, tried again while it fails for want of the carrier (see the module)."""
        unknown = False
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                status, body = self._once(method, path, payload, key)
            except _NotDone:
                continue
            except _NoAnswer:
                unknown = True
                continue
            if status < 400 or (missing_ok and status == http.client.NOT_FOUND):
                return status, body
            raise CarrierRefused(self.name, _reason(status, body))
        if unknown:
            raise CarrierSlow(self.name, booking=booking)
        raise CarrierDown(self.name)

    def _once(
        self, method: str, path: str, payload: dict[str, Any] | None, key: str
    ) -> tuple[int, dict[str, Any]]:
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = kind(self._host, self._port, timeout=self.timeout_s)
        try:
            try:
                conn.connect()
            except OSError as exc:  # refused, unreachable, no connection in time
                log.info("%s not reached: %s", self.name, exc)
                raise _NotDone from exc
            headers = {"Accept": "application/json"}
            data = None
            if payload is not None:
                data = json.dumps(payload).encode()
                headers["Content-Type"] = "application/json"
            if key:
                headers["Idempotency-Key"] = key
            try:
                conn.request(method, self._root + path, body=data, headers=headers)
                answer = conn.getresponse()
                raw = answer.read()
            except (OSError, http.client.HTTPException) as exc:  # timeout, broken off
                log.warning("%s %s to %s: no whole answer (%s)", method, path, self.name, exc)
                raise _NoAnswer from exc
        finally:
            conn.close()
        if answer.status == http.client.SERVICE_UNAVAILABLE:
            raise _NotDone
        if answer.status >= 500:
            log.warning("%s %s to %s: answered %s", method, path, self.name, answer.status)
            raise _NoAnswer
        return answer.status, _json(raw)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        return {"reason": raw.decode(errors="replace")[:200]}
    return body if isinstance(body, dict) else {"reason": str(body)[:200]}


def _reason(status: int, body: dict[str, Any]) -> str:
    """The carrier's reason in words; its validation details when it gave no reason."""
    if body.get("reason"):
        return str(body["reason"])
    detail = body.get("detail")
    if isinstance(detail, list) and detail:
        fields = ", ".join(str(d.get("loc", ["?"])[-1]) for d in detail if isinstance(d, dict))
        return f"it could not read the parcel's {fields}."
    return f"it answered {status}{f': {detail}' if detail else ''}."


def _label(body: dict[str, Any]) -> LabelData:
    return LabelData(
        service=str(body["service"]),
        routing_code=str(body["routing_code"]),
        sort_code=str(body["sort_code"]),
        barcode=str(body["barcode"]),
    )


def _event(body: dict[str, Any]) -> TrackingEvent:
    return TrackingEvent(
        seq=int(body["seq"]),
        tracking=str(body["tracking"]),
        sscc=str(body["idempotency_key"]),
        kind=EventKind(body["event"]),
        at=datetime.fromisoformat(body["at"]),
        place=str(body.get("place", "")),
    )
