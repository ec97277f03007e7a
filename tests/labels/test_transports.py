"""Transports: raw TCP 9100 gets exactly the ZPL; failures say so plainly."""

from __future__ import annotations

import dataclasses
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.errors import PrintFailed
from app.labels.printing import print_label
from app.labels.profiles import BUILT_IN, Transport
from app.labels.render_zpl import render_zpl
from app.labels.samples import SHIPPING
from app.labels.templates import lay_out
from app.labels.transports import Delivered, deliver, send_cups, send_tcp
from tests.labels.listener import PrinterListener, refused_port


@pytest.fixture
def listener() -> Iterator[PrinterListener]:
    printer = PrinterListener()
    yield printer
    printer.close()


def test_raw_tcp_print_receives_exactly_the_zpl(listener: PrinterListener) -> None:
    profile = dataclasses.replace(
        BUILT_IN["zebra-4x6-203"], transport=Transport.TCP, target=listener.target
    )
    sent = print_label(LabelKind.SHIPPING, SHIPPING, profile)
    expected = render_zpl(lay_out(LabelKind.SHIPPING, SHIPPING, profile))
    assert listener.wait_for_jobs(1) == [expected]
    assert sent.where == f"tcp://{listener.target}"
    assert expected.startswith(b"~DYR:NOTODEVA,B,T,") and b"^XA\n^CI28" in expected


def test_refused_connection_says_so_and_offers_retry_or_pdf() -> None:
    with pytest.raises(PrintFailed) as caught:
        send_tcp(b"^XA^XZ", f"127.0.0.1:{refused_port()}", timeout_s=2)
    assert "refused the connection" in caught.value.message
    assert "retry" in caught.value.next_step and "PDF" in caught.value.next_step


def test_printer_that_never_reads_times_out_with_a_plain_message() -> None:
    # A listener that accepts but never reads: sending more than the socket buffers hold
    # blocks until the timeout.
    server = socket.create_server(("127.0.0.1", 0))
    try:
        target = f"127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(PrintFailed, match=r"did not answer within 0\.3 s"):
            send_tcp(b"x" * 64_000_000, target, timeout_s=0.3)
    finally:
        server.close()


def test_file_transport_writes_into_the_spool_folder(tmp_path: Path) -> None:
    profile = BUILT_IN["a4-laser"]
    done = deliver(b"%PDF-1.4 test", profile, suffix="pdf", spool_dir=tmp_path / "printed")
    assert Path(done.where).read_bytes() == b"%PDF-1.4 test"
    assert Path(done.where).parent == tmp_path / "printed"
    assert done.state is Delivered.SAVED and not done.printed


def test_system_printer_without_the_terminal_is_refused() -> None:
    profile = BUILT_IN["pdf-4x6-203"]
    with pytest.raises(PrintFailed, match="terminal window"):
        deliver(b"", profile, suffix="pdf")


def test_system_printer_hook_gets_printer_resolution_pages() -> None:
    got: list[tuple[str, list[tuple[int, int]]]] = []
    profile = dataclasses.replace(BUILT_IN["pdf-4x6-203"], target="Desk printer")
    print_label(
        LabelKind.SHIPPING,
        SHIPPING,
        profile,
        system_printer=lambda name, pages: got.append((name, [p.size for p in pages])),
    )
    assert got == [("Desk printer", [(profile.width, profile.height)])]


def test_cups_queue(tmp_path: Path) -> None:
    if shutil.which("lp") is None:
        with pytest.raises(PrintFailed, match="no 'lp' command"):
            send_cups(b"^XA^XZ", "zebra", timeout_s=1)
    else:
        with pytest.raises(PrintFailed, match="refused the label"):
            send_cups(b"^XA^XZ", "counterbench-no-such-queue", timeout_s=5)
