"""What the ledger cannot store, found in a JSON body before any endpoint reads it.

* a lone UTF-16 surrogate (JSON ``"\\udcff"``): Python keeps it in a str, and the database
  driver then fails to encode it (a 500);
* NUL in text: PostgreSQL refuses it;
* a whole number beyond ±(2**53 - 1): the interoperable range of I-JSON (RFC 7493),
  which every client reads exactly (a JSON number is a double in most of them), and far
  inside what a database column holds (a bigger one would fail there: a 500).

:func:`first_unstorable` finds the first such value, to refuse the request with 422. A
push's operation payloads are left alone: a bad op is quarantined on its own there, never
the whole push (that would wedge the station's queue): only its envelope is checked.
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


# What of a push is checked: its envelope, the fields a station's own code fills in. An
# op's payload is the push's to deal with op by op, and unknown fields (a newer station)
# are ignored: refusing either would refuse the whole push and wedge the station's queue.
Shape = dict[str, "Shape"] | list["Shape"] | None  # None: everything below is checked
PUSH_ENVELOPE: Shape = {
    "device_id": None,
    "ops": [
        {
            "op_id": None,
            "device_seq": None,
            "type": None,
            "actor": None,
            "approval": {"approver": None, "approval_id": None},
            "device_time": None,
            "base_ledger_seq": None,
        }
    ],
}


def first_unstorable(body: bytes, shape: Shape = None) -> tuple[Where, str] | None:
    """Where the first unstorable value of the JSON ``body`` is, and ``"text"`` or
    ``"number"``; None when there is none. ``shape``: only the fields it names are
    checked (e.g. :data:`PUSH_ENVELOPE`); by default all of them, object keys included."""
    if not _SUSPECT.search(body):
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None  # not JSON: FastAPI answers that itself
    return _find(value, [], shape)


def _find(value: Any, where: Where, shape: Shape) -> tuple[Where, str] | None:
    if isinstance(shape, dict):
        named = isinstance(value, dict)
        items: list[tuple[str | int, Any, Shape]] = (
            [(k, value[k], shape[k]) for k in shape if k in value] if named else []
        )
    elif isinstance(shape, list):
        items = (
            [(n, item, shape[0]) for n, item in enumerate(value)] if isinstance(value, list) else []
        )
    elif isinstance(value, str):
        return None if is_storable_text(value) else (where, "text")
    elif isinstance(value, int) and not isinstance(value, bool):
        return None if MIN_INT <= value <= MAX_INT else (where, "number")
    elif isinstance(value, list):
        items = [(n, item, None) for n, item in enumerate(value)]
    elif isinstance(value, dict):
        for key in value:
            if not is_storable_text(key):
                return [*where, key], "text"
        items = [(k, v, None) for k, v in value.items()]
    else:
        return None
    for key, item, below in items:
        found = _find(item, [*where, key], below)
        if found is not None:
            return found
    return None
