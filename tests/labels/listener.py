"""Raw TCP 9100 stand-ins on 127.0.0.1: a printer that keeps every job it receives and
answers the host status request (``~HS``) as a Zebra does, and one that never reads."""

from __future__ import annotations

import socket
import threading
import time

HOST_STATUS = b"~HS"


def host_status(
    *,
    paper_out: bool = False,
    paused: bool = False,
    head_open: bool = False,
    partial: bool = False,
    waiting: int = 0,
) -> bytes:
    """A ``~HS`` reply: three <STX>…<ETX><CR><LF> strings (ZPL II Programming Guide);
    ``waiting`` formats still in the receive buffer."""
    one = f"030,{paper_out:d},{paused:d},1218,{waiting:03d},0,0,{partial:d},000,0,0,0"
    two = f"000,0,{head_open:d},0,0,2,6,0,00000000,1,000"
    return b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (one, two, "1234,0"))


READY = host_status()


class PrinterListener:
    """Accepts connections on a free loopback port and records each job's bytes (without
    the status request); answers ``~HS`` with ``answer`` (None: reads, never answers), or
    with each of ``answers`` in turn, the last one from then on."""

    def __init__(self, answer: bytes | None = READY, *, answers: tuple[bytes, ...] = ()) -> None:
        self.answer = answer
        self.answers = answers
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.status_asked = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                self.jobs.append(self._read_job(conn))

    def _read_job(self, conn: socket.socket) -> bytes:
        """Everything sent until the client closes; ``~HS`` at the end is answered."""
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
            if received.endswith(HOST_STATUS):
                received = received[: -len(HOST_STATUS)]
                self.status_asked += 1
                if self.answers:
                    conn.sendall(self.answers[min(self.status_asked, len(self.answers)) - 1])
                elif self.answer is not None:
                    conn.sendall(self.answer)
        return received

    def wait_for_jobs(self, count: int, timeout_s: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout_s
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.jobs

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.server.close()


class DeafPrinter:
    """Accepts connections and never reads a byte: the kernel's buffers take a label in."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.target = f"127.0.0.1:{self.server.getsockname()[1]}"

    def close(self) -> None:
        self.server.close()


def refused_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
