"""What can go wrong with the simulated carrier, set at runtime (``POST /sim/mode``).

* ``slow``: every carrier call is done, then answered ``delay_ms`` later (a caller that
  gave up by then does not know a booking was made);
* ``refuse``: bookings are answered 422 with ``reason``, nothing booked;
* ``down``: every carrier call is answered 503, nothing done;
* ``drop``: a booking is made, then its answer breaks off half way (the connection closes).

``times`` limits a fault to the next so many calls it applies to; ``None``: until the
mode is set again. ``/sim/...`` is never affected.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from dataclasses import dataclass, replace
from enum import StrEnum

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("counterbench.carrier_sim")

CARRIER_PATHS = "/v1/"
BOOKING_PATH = "/v1/shipments"


class Fault(StrEnum):
    NONE = "none"
    SLOW = "slow"
    REFUSE = "refuse"
    DOWN = "down"
    DROP = "drop"


@dataclass(frozen=True)
class Mode:
    fault: Fault = Fault.NONE
    delay_ms: int = 0
    reason: str = "bookings are paused at your pickup point today."
    times: int | None = None


class FaultSwitch:
    """The mode now, and which calls it hits (thread-safe: tests set it from outside)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.mode = Mode()

    def set(self, mode: Mode) -> None:
        with self._lock:
            self.mode = mode

    def take(self, method: str, path: str) -> Mode:
        """The fault for this call (counting it against ``times``), or no fault."""
        with self._lock:
            mode = self.mode
            booking = method == "POST" and path == BOOKING_PATH
            hits = mode.fault in (Fault.SLOW, Fault.DOWN) or (
                mode.fault in (Fault.REFUSE, Fault.DROP) and booking
            )
            if not path.startswith(CARRIER_PATHS) or not hits:
                return Mode()
            if mode.times is not None:
                left = mode.times - 1
                self.mode = Mode() if left <= 0 else replace(mode, times=left)
            return mode


class Faults:
    """ASGI middleware that plays the mode of a :class:`FaultSwitch` on carrier calls."""

    def __init__(self, app: ASGIApp, switch: FaultSwitch) -> None:
        self.app = app
        self.switch = switch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        mode = self.switch.take(scope["method"], scope["path"])
        if mode.fault is Fault.DOWN:
            await _answer(send, 503, {"reason": "the booking service is down for maintenance."})
        elif mode.fault is Fault.REFUSE:
            await _answer(send, 422, {"reason": mode.reason})
        elif mode.fault in (Fault.SLOW, Fault.DROP):
            await self._late_or_broken(scope, receive, send, mode)
        else:
            await self.app(scope, receive, send)

    async def _late_or_broken(self, scope: Scope, receive: Receive, send: Send, mode: Mode) -> None:
        kept: list[Message] = []

        async def keep(message: Message) -> None:
            kept.append(message)

        await self.app(scope, receive, keep)
        if mode.fault is Fault.DROP:
            body = b"".join(m.get("body", b"") for m in kept[1:])
            log.warning("dropping the answer to %s %s as asked", scope["method"], scope["path"])
            await send(kept[0])  # its Content-Length promises the whole body: half comes
            await send({"type": "http.response.body", "body": body[: len(body) // 2],
                        "more_body": True})  # fmt: skip
            return
        if await _client_left_within(receive, mode.delay_ms / 1000):
            return
        for message in kept:
            await send(message)


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait ``seconds``, less if the client hangs up; whether it did."""

    async def hang_up() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(hang_up(), seconds)
    except TimeoutError:
        return False
    return True


async def _answer(send: Send, status: int, body: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
