"""What the ledger cannot store, found in a JSON body before any endpoint reads it.

* a lone UTF-16 surrogate (JSON ``"\\udcff"``): Python keeps it in a str, and the database
  driver then fails to encode it (a 500);
* NUL in text: PostgreSQL refuses it;
* a whole number beyond ±(2**53 - 1): the interoperable range of I-JSON (RFC 7493),
  which every client reads exactly (a JSON number is a double in most of them), and far
  inside what a database column holds (a bigger one would fail there: a 500).

:func:`first_unstorable` finds the first such value, to refuse the request with 422. A
push's operation payloads are left alone: a bad op is quarantined on its own there, never
the whole push (that would wedge the station's queue).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_INT = 2**53 - 1
MIN_INT = -MAX_INT
# A cheap look at the raw bytes first: only a body with an escaped surrogate or NUL, or
# a number of 16 digits or more, is parsed here.
_SUSPECT = re.compile(rb"\\u(?:[dD][89abcdefABCDEF][0-9a-fA-F]{2}|0000)|[0-9]{16}")
Where = list[str | int]


def is_storable_text(text: str) -> bool:
    """True when ``text`` encodes as UTF-8 and holds no NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def first_unstorable(body: bytes, *, skip_op_payloads: bool = False) -> tuple[Where, str] | None:
    """Where the first unstorable value of the JSON ``body`` is, and ``"text"`` or
    ``"number"``; None when there is none. ``skip_op_payloads``: leave ``ops[*].payload``
    unchecked (a push)."""
    if not _SUSPECT.search(body):
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None  # not JSON: FastAPI answers that itself
    return _find(value, [], skip_op_payloads)


def _find(value: Any, where: Where, skip_op_payloads: bool) -> tuple[Where, str] | None:
    if isinstance(value, str):
        return None if is_storable_text(value) else (where, "text")
    if isinstance(value, int) and not isinstance(value, bool):
        return None if MIN_INT <= value <= MAX_INT else (where, "number")
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, list):
        items = list(enumerate(value))
    elif isinstance(value, dict):
        for key in value:
            if not is_storable_text(key):
                return [*where, key], "text"
        items = list(value.items())
        if skip_op_payloads and len(where) == 2 and where[0] == "ops":
            items = [(k, v) for k, v in items if k != "payload"]
    for key, item in items:
        found = _find(item, [*where, key], skip_op_payloads)
        if found is not None:
            return found
    return None
