"""Pushing tracking events to a webhook (the ledger's endpoint, later), best effort: a
push that fails is logged and the event stays in the feed for the caller to pull."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from typing import Any

log = logging.getLogger("counterbench.carrier_sim")
PUSH_TIMEOUT_S = 5.0


def push_event(url: str, event: dict[str, Any]) -> threading.Thread:
    """POST ``event`` as JSON to ``url`` on a thread of its own (so the API never waits)."""
    thread = threading.Thread(target=_post, args=(url, event), name="carrier-sim-webhook")
    thread.daemon = True
    thread.start()
    return thread


def _post(url: str, event: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT_S) as answer:
            answer.read()
    except (OSError, urllib.error.URLError) as exc:
        log.warning("event %s not pushed to %s: %s", event["seq"], url, exc)
