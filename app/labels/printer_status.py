"""A Zebra printer's own word on a label: the ``~HS`` host status, asked after a send.

A raw 9100 printer that accepts a connection has not printed anything yet: it may never
read, be out of paper or have its head open. So after the label, ``~HS`` goes down the
same connection. The printer reads its input in order, so an answer means it has read
the label. It answers three ``<STX> … <ETX><CR><LF>`` strings (ZPL II Programming Guide,
``~HS``)::

    String 1  aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
              b paper out · c pause · eee formats waiting in the receive buffer ·
              f receive buffer full · h partial format in progress · j configuration
              lost (corrupt RAM) · k under temperature · l over temperature
    String 2  mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
              o head up (open) · p ribbon out · q thermal transfer mode
    String 3  xxxx,y

The label is printed once the printer has no formats waiting (eee) and no problem, so
``~HS`` is asked again until then, within the status timeout; formats still waiting at
the end are "waiting in the printer", never "printed".

Newer firmware does not answer at all while the media or ribbon is out, the head is open
or too hot: no answer is "not confirmed", never "printed".
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass

HOST_STATUS = b"~HS"
_STRING = re.compile(rb"\x02([^\x02\x03]*)\x03")


@dataclass(frozen=True)
class HostStatus:
    """What a printer said about itself; ``problems`` in the words a counter uses."""

    problems: tuple[str, ...]
    formats_waiting: int

    @property
    def ready(self) -> bool:
        return not self.problems


def _flag(fields: list[bytes], index: int) -> bool:
    return len(fields) > index and fields[index].strip() == b"1"


def parse_host_status(reply: bytes) -> HostStatus | None:
    """The status in a ``~HS`` reply; None until all three strings have arrived."""
    strings = _STRING.findall(reply)
    if len(strings) < 3:
        return None
    one, two = strings[0].split(b","), strings[1].split(b",")
    if len(one) < 8 or len(two) < 4:
        return None
    checks = (
        (_flag(one, 1), "paper out"),
        (_flag(two, 2), "head open"),
        (_flag(two, 3) and _flag(two, 4), "ribbon out"),
        (_flag(one, 2), "paused"),
        (_flag(one, 5), "receive buffer full"),
        (_flag(one, 7), "the label arrived only in part"),
        (_flag(one, 9), "settings lost (corrupt memory)"),
        (_flag(one, 10), "print head too cold"),
        (_flag(one, 11), "print head too hot"),
    )
    waiting = one[4].strip()
    return HostStatus(
        tuple(words for on, words in checks if on), int(waiting) if waiting.isdigit() else 0
    )


POLL_S = 0.1  # between two ~HS asks while the printer still holds formats


def read_host_status(conn: socket.socket, *, timeout_s: float) -> HostStatus | None:
    """Ask ``~HS`` once on an open connection; None when no answer comes in time."""
    return _ask_host_status(conn, time.monotonic() + timeout_s)


def status_after_label(conn: socket.socket, *, timeout_s: float) -> HostStatus | None:
    """Ask ``~HS`` after a label until the printer has no format waiting and no
    problem, or ``timeout_s`` is up; its last answer, None when none came in time."""
    deadline = time.monotonic() + timeout_s
    status: HostStatus | None = None
    while (answer := _ask_host_status(conn, deadline)) is not None:
        status = answer
        if status.ready and not status.formats_waiting:
            break
        if deadline - time.monotonic() <= POLL_S:
            break
        time.sleep(POLL_S)
    return status


def _ask_host_status(conn: socket.socket, deadline: float) -> HostStatus | None:
    """One ``~HS`` and its answer; None when none comes before ``deadline``."""
    try:
        conn.sendall(HOST_STATUS)
        reply = b""
        while (status := parse_host_status(reply)) is None:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            conn.settimeout(left)
            chunk = conn.recv(1024)
            if not chunk:
                return None
            reply += chunk
        return status
    except OSError:  # timeout, reset: no answer
        return None
