"""The HTTPS listener of one interface: pyOpenSSL over memory BIOs inside the asyncio loop.

pyOpenSSL (not the standard library) because an ASA's CertificateRequest carries the
acceptable-CA list, and the stdlib server cannot send it. The certificate is chosen per
connection from the SNI name by lab.rules (so rebinding applies to new connections).
"""

from __future__ import annotations

import asyncio
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
    """Whether to ask for a client certificate, and which CA names to list in the request."""

    request: bool = False
    acceptable_cas: tuple[x509.Name, ...] = ()


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
            tuple(hashlib.sha256(c.public_bytes(serialization.Encoding.DER)).digest() for c in identity.chain),
            policy.request,
            tuple(n.public_bytes() for n in policy.acceptable_cas),
        )
        context = self._contexts.get(key)
        if context is None:
            context = _make_context(identity, policy)
            if len(self._contexts) > 256:
                self._contexts.clear()
            self._contexts[key] = context
        return context


def _accept_any(_conn: SSL.Connection, _cert: object, _errno: int, _depth: int, _ok: int) -> bool:
    # The ASA validates client certificates itself (against its trustpoints and its own
    # clock); the TLS layer only collects them.
    return True


def _make_context(identity: ServedIdentity, policy: ClientCertificatePolicy) -> SSL.Context:
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    context.use_certificate(identity.certificate)
    context.use_privatekey(identity.private_key)
    for ca in identity.ca_certificates:
        context.add_extra_chain_cert(ca)
    if policy.request:
        context.set_verify(SSL.VERIFY_PEER, _accept_any)
        for name in policy.acceptable_cas:
            context.add_client_ca(name)
        context.set_session_id(b"asa-cert-harness")
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
        self._peer: tuple[str, int] = ("", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
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
        chain = self._tls.get_peer_cert_chain(as_cryptography=True) or []
        self._session = TlsSession(
            self._listener.nameif, getattr(self, "_sni", None), self._identity, self._peer, tuple(chain)
        )

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
            response = self._listener.application(request, self._session)
            self._send(response)
            if response.close or not request.keep_alive:
                self._close()
                return
        self._flush()

    def _send(self, response: HttpResponse) -> None:
        if self._tls is None:
            return
        try:
            self._tls.sendall(response.encode())
        except SSL.Error:
            pass
        self._flush()

    def _close(self) -> None:
        if self._tls is not None:
            try:
                self._tls.shutdown()
            except SSL.Error:
                pass
        self._flush()
        if self._transport is not None:
            self._transport.close()

    def _flush(self) -> None:
        if self._tls is None or self._transport is None or self._transport.is_closing():
            return
        while True:
            try:
                out = self._tls.bio_read(65536)
            except SSL.WantReadError:
                return
            if not out:
                return
            self._transport.write(out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._tls = None
        self._transport = None


class InterfaceListener:
    """TLS for one nameif on a reserved address; accepting only while ``webvpn`` enables it.

    The socket is bound at start so the port is known; it listens only while enabled, so a
    connection to a disabled interface is refused, as on an ASA.
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
        self.base_context = SSL.Context(SSL.TLS_SERVER_METHOD)
        self.base_context.set_tlsext_servername_callback(self._on_servername)
        self._socket = self._bind(host, port)
        self.port = int(self._socket.getsockname()[1])
        self._server: asyncio.Server | None = None

    @staticmethod
    def _bind(host: str, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        return sock

    @staticmethod
    def _on_servername(tls: SSL.Connection) -> None:
        connection = tls.get_app_data()
        if isinstance(connection, _Connection):
            connection.select(tls)

    @property
    def accepting(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    async def set_accepting(self, accepting: bool) -> None:
        if accepting and self._server is None:
            self._socket.listen(512)
            loop = asyncio.get_running_loop()
            self._server = await loop.create_server(lambda: _Connection(self), sock=self._socket)
        elif not accepting and self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
            self._socket = self._bind(self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._socket.close()
