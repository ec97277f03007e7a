"""An HTTP adapter whose live connections can be cut from another thread.

``requests.Session.close()`` only returns idle connections to nobody: a request already
waiting for an answer keeps waiting until its read timeout. Closing the terminal must
not wait that long, so every connection this adapter opens records itself, and
``abort()`` shuts down their sockets: the waiting request fails at once with a
connection error. A connection made after ``abort()`` is shut down as it connects.
"""

from __future__ import annotations

import socket
import threading
import weakref
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class LiveConnections:
    """The connections of one adapter that are (or were) connected; weakly held."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()
        self.aborted = False

    def connected(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._live.add(conn)
            if self.aborted:
                _shut(conn)

    def abort(self) -> int:
        """Shut down every live socket now (and any connected later); returns how many."""
        with self._lock:
            self.aborted = True
            live = list(self._live)
        return sum(_shut(conn) for conn in live)


def _shut(conn: HTTPConnection) -> bool:
    sock: socket.socket | None = getattr(conn, "sock", None)
    if sock is None:
        return False
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed or never connected
        return False
    return True


class AbortableAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose in-flight requests ``abort()`` ends at once."""

    def __init__(self, **kwargs: Any) -> None:
        self.live = LiveConnections()
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        live = self.live

        class _Http(HTTPConnection):
            def connect(self) -> None:
                super().connect()
                live.connected(self)

        class _Https(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                live.connected(self)

        class _HttpPool(HTTPConnectionPool):
            ConnectionCls = _Http

        class _HttpsPool(HTTPSConnectionPool):
            ConnectionCls = _Https

        self.poolmanager.pool_classes_by_scheme = {"http": _HttpPool, "https": _HttpsPool}

    def abort(self) -> int:
        """Cut every request of this adapter in flight; later ones fail as they connect."""
        return self.live.abort()
