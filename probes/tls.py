"""One TLS handshake against a server, with or without SNI and a client certificate.

    result = handshake("192.0.2.10", 443, sni="vpn.pinglabz.com")
    result.served_chain, result.client_cert_requested, result.client_ca_names

pyOpenSSL, not the standard library: only OpenSSL's own API shows the acceptable-CA list
of the server's CertificateRequest. Network and TLS problems never raise; they come back
as a classified :class:`HandshakeFailure`. Invalid arguments (an unknown TLS version, an
SNI that is not a host name) raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence

from probes.deadline import Deadline
from probes.identity import ClientIdentity, ClientIdentityError
from probes.tls_channel import establish
from probes.tls_result import (
    CONNECTION_KINDS,
    FailureKind,
    HandshakeFailure,
    HandshakeResult,
    Timings,
)

__all__ = [
    "CONNECTION_KINDS",
    "DEFAULT_TLS_VERSIONS",
    "POST_HANDSHAKE_WAIT",
    "ClientIdentity",
    "ClientIdentityError",
    "FailureKind",
    "HandshakeFailure",
    "HandshakeResult",
    "Timings",
    "handshake",
]

DEFAULT_TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")

#: How long to wait, after a TLS 1.3 handshake in which the server asked for a client
#: certificate, for the alert with which it rejects that certificate (or its absence).
POST_HANDSHAKE_WAIT = 1.0


def handshake(
    host: str,
    port: int,
    *,
    sni: str | None = None,
    client_identity: ClientIdentity | None = None,
    timeout: float = 5.0,
    tls_versions: Sequence[str] = DEFAULT_TLS_VERSIONS,
    post_handshake_wait: float = POST_HANDSHAKE_WAIT,
) -> HandshakeResult:
    """Handshake, record what the server showed, close. Bounded by ``timeout`` seconds."""
    result, channel = establish(
        host,
        port,
        sni=sni,
        client_identity=client_identity,
        deadline=Deadline.after(timeout),
        tls_versions=tuple(tls_versions),
        post_handshake_wait=post_handshake_wait,
    )
    if channel is not None:
        channel.close()
    return result
