"""The client contexts the probe shares between checks: one per (client identity, TLS
versions), nothing carried from one check to the next, every check a full handshake."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.pki import IssuedIdentity, LabCA
from probes.identity import ClientIdentity
from probes.tls import DEFAULT_TLS_VERSIONS, handshake
from probes.tls_channel import client_context
from tests.conftest import LabPki
from tests.probes.conftest import StartServer

HOST = "vpn.example.lab"


@pytest.fixture(scope="module")
def server_identity(lab_ca: LabPki) -> IssuedIdentity:
    return lab_ca.issuing.issue_server(HOST)


def _identity(issued: IssuedIdentity) -> ClientIdentity:
    return ClientIdentity.from_objects(issued.certificate, issued.private_key, issued.chain)


@pytest.fixture(scope="module")
def alice(lab_ca: LabPki) -> ClientIdentity:
    return _identity(lab_ca.issuing.issue_client(CN="alice"))


@pytest.fixture(scope="module")
def bob(lab_ca: LabPki) -> ClientIdentity:
    return _identity(lab_ca.issuing.issue_client(CN="bob"))


@pytest.fixture(scope="module")
def stranger() -> ClientIdentity:
    return _identity(LabCA("Stranger Root").issue_client(CN="stranger"))


def test_a_context_is_shared_only_by_the_same_identity_and_versions(
    alice: ClientIdentity, bob: ClientIdentity
) -> None:
    versions = [DEFAULT_TLS_VERSIONS, ("TLSv1.2",), ("TLSv1.3",)]

    shared = client_context(alice, DEFAULT_TLS_VERSIONS)
    assert client_context(alice, list(DEFAULT_TLS_VERSIONS)) is shared
    contexts = [client_context(i, v) for i in (None, alice, bob) for v in versions]
    assert len({id(c) for c in contexts}) == len(contexts)


def test_an_unknown_version_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="unknown TLS version"):
            client_context(None, ("TLSv1.2", "SSLv3"))


@pytest.mark.parametrize("flag", ["-tls1_2", "-tls1_3"])
def test_checks_with_different_identities_never_see_each_others_certificate(
    s_server: StartServer,
    lab_ca: LabPki,
    server_identity: IssuedIdentity,
    alice: ClientIdentity,
    bob: ClientIdentity,
    stranger: ClientIdentity,
    flag: str,
) -> None:
    server = s_server(
        server_identity, flag, "-Verify", "2", "-verify_return_error",
        client_cas=[lab_ca.issuing.certificate, lab_ca.root.certificate],
    )  # fmt: skip

    def check(identity: ClientIdentity | None) -> tuple[object, ...]:
        result = handshake(server.host, server.port, sni=HOST, client_identity=identity)
        kind = result.failure.kind if result.failure else None
        return result.ok, kind, result.client_cert_requested, result.client_cert_sent

    without = (False, "client_cert_required", True, False)
    accepted = (True, None, True, True)
    rejected = (False, "unknown_ca", True, True)
    # Each failing check is followed by checks that must be complete and correct.
    sequence = [None, alice, stranger, None, bob, alice, stranger, bob, None]
    expected = [without, accepted, rejected, without, accepted, accepted, rejected, accepted]
    assert [check(identity) for identity in sequence] == [*expected, without]


def test_checks_with_different_versions_never_share_a_context(
    s_server: StartServer, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, "-tls1_3")

    def check(versions: tuple[str, ...]) -> tuple[object, ...]:
        result = handshake(server.host, server.port, tls_versions=versions)
        alert = result.failure.alert if result.failure else None
        return result.ok, result.tls_version, alert

    refused = (False, None, "protocol_version")
    spoken = (True, "TLSv1.3", None)
    sequence = [("TLSv1.2",), DEFAULT_TLS_VERSIONS, ("TLSv1.2",), ("TLSv1.3",), ("TLSv1.2",)]
    assert [check(v) for v in sequence] == [refused, spoken, refused, spoken, refused]


def test_a_check_after_a_failed_one_reports_the_same_as_the_first(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, "-Verify", "2", client_cas=[lab_ca.issuing.certificate])
    first = handshake(server.host, server.port, sni=HOST)
    handshake("127.0.0.1", server.port, sni=HOST, tls_versions=("TLSv1",))  # refused
    again = handshake(server.host, server.port, sni=HOST)

    assert first.failure is not None and first.failure.kind == "client_cert_required"
    assert (again.ok, again.failure, again.served_chain, again.tls_version, again.cipher) == (
        first.ok, first.failure, first.served_chain, first.tls_version, first.cipher,
    )  # fmt: skip
    assert (
        again.client_ca_names
        == first.client_ca_names
        == (lab_ca.issuing.certificate.subject.rfc4514_string(),)
    )


def test_concurrent_checks_each_report_their_own_handshake(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    asking = s_server(server_identity, "-verify", "2", client_cas=[lab_ca.issuing.certificate])
    silent = s_server(server_identity)
    servers = [asking, silent] * 12

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda s: handshake(s.host, s.port, sni=HOST), servers))

    assert all(r.ok for r in results)
    assert [r.client_cert_requested for r in results] == [s is asking for s in servers]


# ------------------------------------------------------------------ no session resumption


@dataclass
class _ResumingServer:
    """A TLS server (Python's ssl module) that issues session tickets and resumes sessions
    it is offered; it records, per connection, whether the session was resumed."""

    context: ssl.SSLContext
    listener: socket.socket = field(init=False)
    resumed: list[bool | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with contextlib.suppress(OSError), connection:
                connection.settimeout(5)
                with self.context.wrap_socket(connection, server_side=True) as tls:
                    self.resumed.append(tls.session_reused)
                    tls.sendall(b"x")  # lets a client that reads take the session ticket
                    with contextlib.suppress(OSError):
                        tls.recv(1)


@pytest.fixture(params=["TLSv1_2", "TLSv1_3"])
def resuming_server(
    request: pytest.FixtureRequest, server_identity: IssuedIdentity, tmp_path: Path
) -> Iterator[_ResumingServer]:
    cert, key = server_identity.write(tmp_path, "server")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    version = getattr(ssl.TLSVersion, request.param)
    context.minimum_version = context.maximum_version = version
    server = _ResumingServer(context)
    yield server
    server.listener.close()


def _resumes_when_offered(port: int) -> bool | None:
    """A client that keeps its session and offers it again: the server does resume."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    session = None
    for _ in range(2):
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as sock,
            context.wrap_socket(sock, session=session) as tls,
        ):
            tls.recv(1)
            session, reused = tls.session, tls.session_reused
    return reused


def test_every_check_is_a_full_handshake(resuming_server: _ResumingServer) -> None:
    port = resuming_server.port

    results = [handshake("127.0.0.1", port, sni=HOST) for _ in range(4)]

    assert all(r.ok for r in results)
    assert _resumes_when_offered(port)  # the server would have resumed an offered session
    assert resuming_server.resumed == [False, False, False, False, False, True]
