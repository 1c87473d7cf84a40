"""Servers that misbehave: each must give a classified failure within the timeout.

The servers are tiny socket loops in threads; each waits on an event (never a sleep) until
the test ends.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from OpenSSL import SSL

from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from probes.anyconnect import discover
from probes.tls import handshake

TIMEOUT = 1.0
#: Allowed overrun past the timeout: thread scheduling and closing sockets, nothing more.
SLACK = 1.0

Behaviour = Callable[[socket.socket, threading.Event], None]
ServerPki = tuple[LabCA, CertificateAuthority, IssuedIdentity]
T = TypeVar("T")


class HostileServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.stop = threading.Event()
        self._behaviour = behaviour
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._run, args=(connection,), daemon=True).start()

    def _run(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self._behaviour(connection, self.stop)

    def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        for connection in self._connections:
            connection.close()


@pytest.fixture
def hostile() -> Iterator[Callable[[Behaviour], HostileServer]]:
    servers: list[HostileServer] = []

    def start(behaviour: Behaviour) -> HostileServer:
        servers.append(HostileServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.monotonic()
    result = function()
    return result, time.monotonic() - started


# ------------------------------------------------------------------ TLS level


def silent(connection: socket.socket, stop: threading.Event) -> None:
    stop.wait()


def random_bytes(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(4096)
    connection.sendall(random.Random(7).randbytes(8192))
    stop.wait()


def close_after_client_hello(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(4096)
    connection.close()


def reset_after_client_hello(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(4096)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.close()


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        (silent, "timeout"),
        (random_bytes, "protocol"),
        (close_after_client_hello, "closed"),
        (reset_after_client_hello, "reset"),
    ],
)
def test_handshake_failure_is_classified_in_time(
    hostile: Callable[[Behaviour], HostileServer], behaviour: Behaviour, kind: str
) -> None:
    server = hostile(behaviour)

    result, elapsed = _timed(lambda: handshake("127.0.0.1", server.port, timeout=TIMEOUT))

    assert result.failure is not None
    assert not result.ok and result.failure.kind == kind, result.failure
    assert result.failure.message
    assert elapsed < TIMEOUT + SLACK


def test_refused_port() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        result = handshake("127.0.0.1", placeholder.getsockname()[1], timeout=TIMEOUT)

    assert result.failure is not None
    assert result.failure.kind == "refused" and result.timings.connect_ms is None


def test_unresolvable_name() -> None:
    result = handshake("no-such-host.invalid", 443, timeout=TIMEOUT)

    assert result.failure is not None
    assert result.failure.kind in ("dns", "timeout")


# ------------------------------------------------------------------ a real TLS server


@pytest.fixture(scope="module")
def server_pki() -> ServerPki:
    root = LabCA("Hostile Root")
    issuing = root.intermediate("Hostile Issuing")
    return root, issuing, issuing.issue_server("vpn.example.lab")


def tls_server(
    server_pki: ServerPki, extra_chain: int = 0, answer: bytes | None = None
) -> Behaviour:
    """Handshake with the lab certificate (plus ``extra_chain`` copies of the issuing CA),
    then, if ``answer`` is given, read one HTTP request and send ``answer``."""
    _root, issuing, identity = server_pki
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.use_certificate(identity.certificate)
    context.use_privatekey(identity.private_key)
    for _ in range(extra_chain):
        context.add_extra_chain_cert(issuing.certificate)

    def behaviour(connection: socket.socket, stop: threading.Event) -> None:
        # Blocking: pyOpenSSL cannot use a socket timeout; closing the socket at teardown
        # ends any read still waiting.
        tls = SSL.Connection(context, connection)
        tls.set_accept_state()
        try:
            tls.do_handshake()
            if answer is not None:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += tls.recv(65536)
                tls.sendall(answer)
        except (SSL.Error, OSError):
            return
        stop.wait()

    return behaviour


def test_huge_certificate_chain_is_refused_in_time(
    hostile: Callable[[Behaviour], HostileServer], server_pki: ServerPki
) -> None:
    server = hostile(tls_server(server_pki, extra_chain=300))  # ~300 kB of certificates

    result, elapsed = _timed(lambda: handshake("127.0.0.1", server.port, timeout=TIMEOUT))

    assert result.failure is not None
    assert result.failure.kind == "protocol" and "excessive message size" in result.failure.message
    assert elapsed < TIMEOUT + SLACK


def test_long_but_acceptable_chain_is_analysed(
    hostile: Callable[[Behaviour], HostileServer], server_pki: ServerPki
) -> None:
    server = hostile(tls_server(server_pki, extra_chain=60))

    result = handshake("127.0.0.1", server.port, timeout=TIMEOUT * 5)

    assert result.ok and len(result.served_chain) == 61


# ------------------------------------------------------------------ AnyConnect level

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<config-auth client="vpn" type="auth-request">
<auth id="main"><message>&lol9;</message></auth></config-auth>
"""


def http_answer(body: bytes, *, length: int | None = None, status: str = "200 OK") -> bytes:
    declared = len(body) if length is None else length
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {declared}\r\n\r\n"
    return head.encode() + body


@pytest.mark.parametrize(
    ("answer", "outcome", "words"),
    [
        (http_answer(BILLION_LAUGHS), "error", "dtd"),
        (
            http_answer(b"<config-auth>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</config-auth>"),
            "error",
            "too-deep",
        ),
        (http_answer(b"x" * 10, length=50_000_000), "error", "exceeds"),
        (
            http_answer(b"<html><body>It works</body></html>"),
            "not-anyconnect",
            "not aggregate-auth",
        ),
        (http_answer(b"", status="404 Not Found"), "not-anyconnect", "404"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<config-auth", "error", "timed out"),
        (b"SSH-2.0-OpenSSH_9.2\r\n\r\n", "error", "not an HTTP"),
    ],
    ids=["xml-bomb", "deep-nesting", "huge-body", "html", "404", "stalled-body", "not-http"],
)
def test_anyconnect_answer_is_classified_in_time(
    hostile: Callable[[Behaviour], HostileServer],
    server_pki: ServerPki,
    answer: bytes,
    outcome: str,
    words: str,
) -> None:
    server = hostile(tls_server(server_pki, answer=answer))

    result, elapsed = _timed(
        lambda: discover("127.0.0.1", server.port, sni="vpn.example.lab", timeout=TIMEOUT)
    )

    assert result.outcome == outcome, result
    assert words in (result.error or "")
    assert result.session_token_present is False and result.logged_out is None
    assert elapsed < TIMEOUT + SLACK


def test_anyconnect_against_a_silent_server(hostile: Callable[[Behaviour], HostileServer]) -> None:
    server = hostile(silent)

    result, elapsed = _timed(lambda: discover("127.0.0.1", server.port, timeout=TIMEOUT))

    assert result.handshake is not None and result.handshake.failure is not None
    assert result.outcome == "error" and result.handshake.failure.kind == "timeout"
    assert elapsed < TIMEOUT + SLACK
