"""The HTTPS listener of one interface: pyOpenSSL over memory BIOs inside the asyncio loop.

pyOpenSSL (not the standard library) because an ASA's CertificateRequest carries the
acceptable-CA list, and the stdlib server cannot send it. The certificate is chosen per
connection from the SNI name by lab.rules (so rebinding applies to new connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL

from lab.emulator.http import HttpError, HttpRequest, HttpResponse, RequestParser
from lab.rules.server_identity import ServedIdentity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientCertificatePolicy:
    """Whether to ask for a client certificate, and the CAs whose subject names the
    CertificateRequest lists."""

    request: bool = False
    acceptable_cas: tuple[x509.Certificate, ...] = ()


@dataclass
class TlsSession:
    """What the HTTP layer may know about the TLS connection it runs on."""

    nameif: str
    sni: str | None
    identity: ServedIdentity
    peer_address: tuple[str, int]
    client_chain: tuple[x509.Certificate, ...] = ()
    attributes: dict[str, object] = field(default_factory=dict)


Application = Callable[[HttpRequest, TlsSession], HttpResponse]
IdentitySelector = Callable[[str, str | None], ServedIdentity]
ClientPolicySelector = Callable[[str], ClientCertificatePolicy]


class ContextCache:
    """One SSL.Context per (certificate chain, key, client-certificate policy)."""

    def __init__(self) -> None:
        self._contexts: dict[tuple[object, ...], SSL.Context] = {}

    def get(self, identity: ServedIdentity, policy: ClientCertificatePolicy) -> SSL.Context:
        key = (
            tuple(_digest(c) for c in identity.chain),
            policy.request,
            tuple(_digest(c) for c in policy.acceptable_cas),
        )
        context = self._contexts.get(key)
        if context is None:
            context = _make_context(identity, policy)
            if len(self._contexts) > 256:
                self._contexts.clear()
            self._contexts[key] = context
        return context


def _digest(certificate: x509.Certificate) -> bytes:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()


def _accept_any(_conn: SSL.Connection, _cert: object, _errno: int, _depth: int, _ok: int) -> bool:
    # The ASA validates client certificates itself (against its trustpoints and its own
    # clock); the TLS layer only collects them.
    return True


SESSION_ID_CONTEXT = b"asa-cert-harness"


def _make_context(identity: ServedIdentity, policy: ClientCertificatePolicy) -> SSL.Context:
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    context.set_session_id(SESSION_ID_CONTEXT)
    context.use_certificate(identity.certificate)
    context.use_privatekey(identity.private_key)
    for ca in identity.ca_certificates:
        context.add_extra_chain_cert(ca)
    if policy.request:
        # The CA list follows the context the SNI callback switches to; the verify mode
        # does not (OpenSSL keeps the connection's), so select() sets it per connection.
        context.set_verify(SSL.VERIFY_PEER, _accept_any)
        for ca in policy.acceptable_cas:
            context.add_client_ca(ca)
    return context


def _base_context() -> SSL.Context:
    """The context a connection starts on, until the SNI callback picks the real one."""
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    context.set_session_id(SESSION_ID_CONTEXT)
    return context


class _Connection(asyncio.Protocol):
    def __init__(self, listener: InterfaceListener) -> None:
        self._listener = listener
        self._transport: asyncio.Transport | None = None
        self._tls: SSL.Connection | None = None
        self._handshake_done = False
        self._parser = RequestParser()
        self._session: TlsSession | None = None
        self._identity: ServedIdentity | None = None
        self._sni: str | None = None
        self._peer: tuple[str, int] = ("", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._listener.connections.add(transport)
        peer = transport.get_extra_info("peername") or ("", 0)
        self._peer = (str(peer[0]), int(peer[1]))
        tls = SSL.Connection(self._listener.base_context, None)
        tls.set_app_data(self)
        tls.set_accept_state()
        self._tls = tls

    def select(self, tls: SSL.Connection) -> None:
        """SNI callback: choose the identity and client-certificate policy for this connection."""
        raw = tls.get_servername()
        sni = raw.decode("ascii", errors="replace").lower() if raw else None
        identity = self._listener.select_identity(self._listener.nameif, sni)
        policy = self._listener.client_policy(self._listener.nameif)
        tls.set_context(self._listener.contexts.get(identity, policy))
        if policy.request:
            # Request, never require (anyconnect-protocol.md 5.1): no FAIL_IF_NO_PEER_CERT.
            tls.set_verify(SSL.VERIFY_PEER, _accept_any)
        self._identity = identity
        self._sni = sni

    def data_received(self, data: bytes) -> None:
        tls, transport = self._tls, self._transport
        if tls is None or transport is None:
            return
        try:
            tls.bio_write(data)
            if not self._handshake_done:
                try:
                    tls.do_handshake()
                except SSL.WantReadError:
                    self._flush()
                    return
                self._handshake_done = True
                self._start_session()
            self._read_application_data()
        except (SSL.Error, HttpError, ValueError) as error:
            if isinstance(error, HttpError):
                self._send(HttpResponse(error.status, error.reason, close=True))
            log.debug("TLS connection from %s ended: %s", self._peer, error)
            self._flush()
            transport.close()

    def _start_session(self) -> None:
        assert self._tls is not None
        if self._identity is None:  # no SNI callback happened
            self.select(self._tls)
            assert self._identity is not None
        self._session = TlsSession(
            self._listener.nameif, self._sni, self._identity, self._peer, self._client_chain()
        )

    def _client_chain(self) -> tuple[x509.Certificate, ...]:
        """Leaf first. On a server OpenSSL's peer chain omits the leaf, so it is added."""
        assert self._tls is not None
        leaf = self._tls.get_peer_certificate(as_cryptography=True)
        if leaf is None:
            return ()
        rest = self._tls.get_peer_cert_chain(as_cryptography=True) or []
        return (leaf, *(c for c in rest if c != leaf))

    def _read_application_data(self) -> None:
        assert self._tls is not None and self._session is not None
        received = b""
        while True:
            try:
                chunk = self._tls.recv(65536)
            except SSL.WantReadError:
                break
            except SSL.ZeroReturnError:
                self._flush()
                if self._transport is not None:
                    self._transport.close()
                return
            if not chunk:
                break
            received += chunk
        for request in self._parser.feed(received):
            try:
                response = self._listener.application(request, self._session)
            except Exception:  # a fault in the emulator must not hang the client
                log.exception("HTTP application failed on %s %s", request.method, request.path)
                response = HttpResponse(500, "Internal Server Error", close=True)
            response.close = response.close or not request.keep_alive
            self._send(response)
            if response.close:
                self._close()
                return
        self._flush()

    def _send(self, response: HttpResponse) -> None:
        if self._tls is None:
            return
        with contextlib.suppress(SSL.Error):
            self._tls.sendall(response.encode())
        self._flush()

    def _close(self) -> None:
        if self._tls is not None:
            with contextlib.suppress(SSL.Error):
                self._tls.shutdown()
        self._flush()
        if self._transport is not None:
            self._transport.close()

    def _flush(self) -> None:
        if self._tls is None or self._transport is None or self._transport.is_closing():
            return
        while not self._transport.is_closing():  # a failed send closes it mid-loop
            try:
                out = self._tls.bio_read(65536)
            except SSL.WantReadError:
                return
            if not out:
                return
            self._transport.write(out)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._listener.connections.discard(self._transport)
        self._tls = None
        self._transport = None


class InterfaceListener:
    """TLS for one nameif on a reserved address; accepting only while ``webvpn`` enables it.

    The socket is bound at start so the port is known; it listens only while enabled, so a
    connection to a disabled interface is refused, as on an ASA. Switching is synchronous
    (listen + a loop reader, or close), so it is in force as soon as the configuration
    command that caused it returns.
    """

    def __init__(
        self,
        nameif: str,
        host: str,
        port: int,
        *,
        select_identity: IdentitySelector,
        client_policy: ClientPolicySelector,
        application: Application,
    ) -> None:
        self.nameif = nameif
        self.host = host
        self.select_identity = select_identity
        self.client_policy = client_policy
        self.application = application
        self.contexts = ContextCache()
        self.base_context = _base_context()
        self.base_context.set_tlsext_servername_callback(self._on_servername)
        self.connections: set[asyncio.Transport] = set()
        self._socket = self._bind(host, port)
        self.port = int(self._socket.getsockname()[1])
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Task[object]] = set()

    @staticmethod
    def _bind(host: str, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.setblocking(False)
        return sock

    @staticmethod
    def _on_servername(tls: SSL.Connection) -> None:
        connection = tls.get_app_data()
        if isinstance(connection, _Connection):
            connection.select(tls)

    @property
    def accepting(self) -> bool:
        return self._loop is not None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def set_accepting(self, accepting: bool) -> None:
        """Listen or refuse; call on the emulator's loop thread."""
        if accepting and self._loop is None:
            loop = asyncio.get_running_loop()
            self._socket.listen(512)
            loop.add_reader(self._socket.fileno(), self._accept)
            self._loop = loop
        elif not accepting and self._loop is not None:
            self._stop_listening()
            self._socket = self._bind(self.host, self.port)

    def _stop_listening(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(self._socket.fileno())
            self._loop = None
        self._socket.close()

    def _accept(self) -> None:
        loop = self._loop
        if loop is None:
            return
        while True:
            try:
                connection, _address = self._socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # e.g. too many open files: keep serving the others
                log.warning("accept on %s failed: %s", self.address, error)
                return
            connection.setblocking(False)
            task: asyncio.Task[object] = loop.create_task(
                loop.connect_accepted_socket(lambda: _Connection(self), connection)
            )
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def close(self) -> None:
        self._stop_listening()
        for transport in list(self.connections):
            transport.abort()
        for task in list(self._pending):
            task.cancel()
