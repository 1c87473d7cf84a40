"""One TLS client connection driven by pyOpenSSL over a non-blocking socket.

Every wait is a poll on the socket with the caller's deadline, so no server behaviour
(silence, garbage, a slow drip, a huge chain) can hold a probe past its timeout.
OpenSSL does not verify anything here (VERIFY_NONE, security level 0): the probe must
see whatever the server serves, weak or broken, and judge it in probes.chain.

Client contexts are built once per (client identity, TLS versions) and shared by the
connections that use them: an ``SSL.Context`` is read-only once a connection has been
made from it (pyOpenSSL refuses changes), and nothing that one handshake leaves behind
reaches the next: the client session cache is off and no session is ever offered, so
every check is a full handshake; what a handshake shows goes to its own observer.
"""

from __future__ import annotations

import functools
import socket
import time
from collections.abc import Sequence

from OpenSSL import SSL

from probes.deadline import Deadline, elapsed_ms
from probes.der_names import NameDecodeError, decode_name
from probes.identity import ClientIdentity
from probes.names import display_name
from probes.network import (
    READABLE,
    WRITABLE,
    NetworkError,
    SocketWaiter,
    connect,
    format_peer,
)
from probes.tls_observer import HandshakeObserver, classify
from probes.tls_result import HandshakeFailure, HandshakeResult, Timings

TLS_VERSIONS: dict[str, int] = {
    "TLSv1": SSL.TLS1_VERSION,
    "TLSv1.1": SSL.TLS1_1_VERSION,
    "TLSv1.2": SSL.TLS1_2_VERSION,
    "TLSv1.3": SSL.TLS1_3_VERSION,
}
_DISABLE: dict[str, int] = {
    "TLSv1": SSL.OP_NO_TLSv1,
    "TLSv1.1": SSL.OP_NO_TLSv1_1,
    "TLSv1.2": SSL.OP_NO_TLSv1_2,
    "TLSv1.3": SSL.OP_NO_TLSv1_3,
}


def _version_bounds(tls_versions: Sequence[str]) -> tuple[int, int, int]:
    unknown = [v for v in tls_versions if v not in TLS_VERSIONS]
    if unknown or not tls_versions:
        raise ValueError(
            f"unknown TLS version(s) {unknown or list(tls_versions)}: use {', '.join(TLS_VERSIONS)}"
        )
    order = list(TLS_VERSIONS)
    indices = sorted(order.index(v) for v in tls_versions)
    low, high = order[indices[0]], order[indices[-1]]
    gaps = 0
    for name in order[indices[0] : indices[-1] + 1]:
        if name not in tls_versions:
            gaps |= _DISABLE[name]
    return TLS_VERSIONS[low], TLS_VERSIONS[high], gaps


def _report_to_observer(connection: SSL.Connection, where: int, ret: int) -> None:
    """The info callback of shared contexts: each connection's own observer (app data)."""
    observer = connection.get_app_data()
    if observer is not None:
        observer(connection, where, ret)


def build_context(
    identity: ClientIdentity | None,
    tls_versions: Sequence[str],
    observer: HandshakeObserver | None = None,
) -> SSL.Context:
    """A new client context. Its info callback goes to ``observer`` when one is given (a
    context for one connection), else to each connection's app data (a shared context)."""
    low, high, gaps = _version_bounds(tls_versions)
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_min_proto_version(low)
    context.set_max_proto_version(high)
    context.set_options(gaps | SSL.OP_LEGACY_SERVER_CONNECT)
    # Level 0 so that a weak server certificate (RSA-1024, SHA-1) is observed, not refused.
    context.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    context.set_verify(SSL.VERIFY_NONE)
    # No resumption: nothing is cached, and no session is ever set on a connection.
    context.set_session_cache_mode(SSL.SESS_CACHE_OFF)
    context.set_info_callback(_report_to_observer if observer is None else observer)
    if identity is not None:
        context.use_certificate(identity.certificate)
        context.use_privatekey(identity.private_key)
        for certificate in identity.chain:
            context.add_extra_chain_cert(certificate)
    return context


@functools.lru_cache(maxsize=16)
def _shared_context(identity: ClientIdentity | None, tls_versions: tuple[str, ...]) -> SSL.Context:
    return build_context(identity, tls_versions)


def client_context(identity: ClientIdentity | None, tls_versions: Sequence[str]) -> SSL.Context:
    """The shared context for this client identity and these TLS versions (built on first
    use). Connections made from it must carry their observer as app data."""
    return _shared_context(identity, tuple(tls_versions))


def _sni_bytes(sni: str | None) -> bytes | None:
    if sni is None:
        return None
    try:
        return sni.rstrip(".").encode("idna")
    except UnicodeError as error:
        raise ValueError(f"invalid SNI name {sni!r}: {error}") from None


class ChannelError(Exception):
    def __init__(self, failure: HandshakeFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class TlsChannel:
    """An established TLS connection: deadline-bounded send and receive."""

    def __init__(
        self,
        sock: socket.socket,
        connection: SSL.Connection,
        observer: HandshakeObserver,
        waiter: SocketWaiter,
    ):
        self._sock = sock
        self._connection = connection
        self._observer = observer
        self._waiter = waiter
        self._buffer = bytearray()
        self.peer_closed = False

    def _wait(self, events: int, deadline: Deadline, doing: str) -> None:
        if not self._waiter.wait(events, deadline):
            raise ChannelError(HandshakeFailure("timeout", f"timed out {doing}"))

    def send_all(self, data: bytes, deadline: Deadline) -> None:
        view = memoryview(data)
        while view:
            try:
                sent = self._connection.send(view[:16384])
            except SSL.WantWriteError:
                self._wait(WRITABLE, deadline, "sending to the server")
                continue
            except SSL.WantReadError:
                self._wait(READABLE, deadline, "sending to the server")
                continue
            except SSL.Error as error:
                raise ChannelError(classify(error, self._observer)) from None
            view = view[sent:]

    def receive(self, deadline: Deadline, limit: int = 65536) -> bytes:
        """Up to ``limit`` bytes; ``b""`` once the server has closed the connection."""
        if self._buffer:
            data = bytes(self._buffer[:limit])
            del self._buffer[:limit]
            return data
        if self.peer_closed:
            return b""
        while True:
            try:
                return self._connection.recv(limit)
            except SSL.WantReadError:
                self._wait(READABLE, deadline, "waiting for the server's answer")
            except SSL.WantWriteError:
                self._wait(WRITABLE, deadline, "waiting for the server's answer")
            except SSL.ZeroReturnError:
                self.peer_closed = True
                return b""
            except SSL.Error as error:
                failure = classify(error, self._observer)
                if failure.kind == "closed":
                    self.peer_closed = True
                    return b""
                raise ChannelError(failure) from None

    def await_rejection(self, deadline: Deadline) -> HandshakeFailure | None:
        """Read once after the handshake: a TLS 1.3 server rejects a client certificate with an
        alert that arrives after the client's Finished, i.e. after do_handshake returned.

        Returns early on the first sign of acceptance: application data, or a
        NewSessionTicket (servers issue one only after checking the client's Finished).
        """
        tickets = self._observer.tickets_read
        while True:
            try:
                data = self._connection.recv(65536)
            except SSL.WantReadError:
                if self._observer.tickets_read > tickets:
                    return None
                if not self._waiter.wait(READABLE, deadline):
                    return None
                continue
            except SSL.WantWriteError:
                if not self._waiter.wait(WRITABLE, deadline):
                    return None
                continue
            except SSL.ZeroReturnError:
                self.peer_closed = True
                return None
            except SSL.Error as error:
                failure = classify(error, self._observer)
                if failure.kind == "closed":
                    self.peer_closed = True
                    return None
                return failure
            if not data:
                self.peer_closed = True
            self._buffer.extend(data)
            return None

    def close(self) -> None:
        try:
            self._connection.shutdown()
        except SSL.Error:
            pass
        finally:
            self._sock.close()


def _drive_handshake(
    connection: SSL.Connection,
    waiter: SocketWaiter,
    observer: HandshakeObserver,
    deadline: Deadline,
) -> HandshakeFailure | None:
    while True:
        try:
            connection.do_handshake()
            return None
        except SSL.WantReadError:
            events = READABLE
        except SSL.WantWriteError:
            events = WRITABLE
        except SSL.Error as error:
            return classify(error, observer)
        if not waiter.wait(events, deadline):
            if observer.server_hello_read:
                return HandshakeFailure("timeout", "the TLS handshake did not finish in time")
            return HandshakeFailure(
                "timeout", "the server accepted the connection but sent no TLS answer in time"
            )


def _client_ca_names(connection: SSL.Connection) -> tuple[str, ...]:
    names: list[str] = []
    for name in connection.get_client_ca_list():
        der = name.der()
        try:
            names.append(display_name(decode_name(der)))
        except (NameDecodeError, ValueError):
            names.append(f"<undecodable name {der.hex()}>")
    return tuple(names)


def establish(
    host: str,
    port: int,
    *,
    sni: str | None,
    client_identity: ClientIdentity | None,
    deadline: Deadline,
    tls_versions: Sequence[str],
    post_handshake_wait: float,
) -> tuple[HandshakeResult, TlsChannel | None]:
    """Connect and handshake; the channel is returned only when the handshake succeeded."""
    started = time.monotonic()
    observer = HandshakeObserver()
    context = client_context(client_identity, tls_versions)
    server_name = _sni_bytes(sni)
    try:
        sock = connect(host, port, deadline)
    except NetworkError as error:
        timings = Timings(None, None, elapsed_ms(started))
        refused = HandshakeFailure(error.kind, error.message)
        return _failed(format_peer(host, port), sni, refused, timings), None
    connect_ms = elapsed_ms(started)
    address = sock.getpeername()
    peer = format_peer(str(address[0]), int(address[1]))
    connection = SSL.Connection(context, sock)
    connection.set_app_data(observer)
    connection.set_connect_state()
    if server_name is not None:
        connection.set_tlsext_host_name(server_name)
    waiter = SocketWaiter(sock)
    handshake_started = time.monotonic()
    failure = _drive_handshake(connection, waiter, observer, deadline)
    handshake_ms = elapsed_ms(handshake_started)
    channel = TlsChannel(sock, connection, observer, waiter)
    if (
        failure is None
        and observer.certificate_requested
        and connection.get_protocol_version_name() == "TLSv1.3"
    ):
        failure = channel.await_rejection(deadline.sooner(post_handshake_wait))
    result = HandshakeResult(
        ok=failure is None,
        peer=peer,
        sni=sni,
        served_chain=tuple(connection.get_peer_cert_chain(as_cryptography=True) or ()),
        tls_version=_negotiated(connection, observer, connection.get_protocol_version_name()),
        cipher=_negotiated(connection, observer, connection.get_cipher_name()),
        client_cert_requested=(
            True
            if observer.certificate_requested
            else (False if failure is None or observer.past_certificate_request else None)
        ),
        client_ca_names=_client_ca_names(connection),
        client_cert_sent=observer.certificate_sent,
        failure=failure,
        timings=Timings(connect_ms, handshake_ms, elapsed_ms(started)),
    )
    if failure is not None:
        channel.close()
        return result, None
    return result, channel


def _negotiated(
    connection: SSL.Connection, observer: HandshakeObserver, value: str | None
) -> str | None:
    if not observer.server_hello_read or not value or value == "Unknown":
        return None
    return value


def _failed(
    peer: str, sni: str | None, failure: HandshakeFailure, timings: Timings
) -> HandshakeResult:
    return HandshakeResult(
        ok=False,
        peer=peer,
        sni=sni,
        served_chain=(),
        tls_version=None,
        cipher=None,
        client_cert_requested=None,
        client_ca_names=(),
        client_cert_sent=False,
        failure=failure,
        timings=timings,
    )
