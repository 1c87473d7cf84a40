"""Evidence builders for the diagnosis tests: real certificates, fabricated probe results."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import pytest
from cryptography import x509

from harness.diagnose import Evidence
from harness.pki import CertificateAuthority, LabCA
from probes.anyconnect import AnyConnectResult
from probes.chain import analyse
from probes.tls import HandshakeResult, Timings

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
HOST = "vpn.example.lab"


def handshake_result(chain: Sequence[x509.Certificate] = (), **changes: object) -> HandshakeResult:
    base = HandshakeResult(
        ok=True,
        peer="192.0.2.10:443",
        sni=HOST,
        served_chain=tuple(chain),
        tls_version="TLSv1.3",
        cipher="TLS_AES_256_GCM_SHA384",
        client_cert_requested=False,
        client_ca_names=(),
        client_cert_sent=False,
        failure=None,
        timings=Timings(1.0, 2.0, 3.0),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def anyconnect_result(**changes: object) -> AnyConnectResult:
    base = AnyConnectResult(
        outcome="auth-request",
        tunnel_group="DefaultWEBVPNGroup",
        group_alias=None,
        auth_methods=("password",),
        form_fields=("username", "password"),
        group_list=(),
        banner=None,
        message=None,
        session_token_present=False,
        certificate_round=False,
        error=None,
        http_status=200,
        handshake=None,
        logged_out=None,
        request_path="/",
        group_select=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


MakeEvidence = Callable[..., Evidence]
MakeHandshake = Callable[..., HandshakeResult]
MakeAnyConnect = Callable[..., AnyConnectResult]
#: The ``pki`` fixture: a root CA and the intermediate that issues the test certificates.
Pki = tuple[LabCA, CertificateAuthority]


@pytest.fixture
def evidence_for() -> MakeEvidence:
    """``evidence_for(chain, anchors=(), hostname=HOST, at=NOW, handshake=..., **fields)``"""

    def make(
        chain: Sequence[x509.Certificate] = (),
        *,
        anchors: Sequence[x509.Certificate] = (),
        hostname: str | None = HOST,
        at: dt.datetime = NOW,
        **fields: object,
    ) -> Evidence:
        handshake = fields.pop("handshake", handshake_result(chain))
        return Evidence(
            probe_clock=at,
            hostname=hostname,
            handshake=handshake,  # type: ignore[arg-type]
            chain=analyse(chain, hostname=hostname, trust_anchors=anchors, at=at)
            if chain
            else None,
            **fields,  # type: ignore[arg-type]
        )

    return make


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = LabCA("Diag Root", not_before=NOW - dt.timedelta(days=400))
    issuing = root.intermediate("Diag Issuing", not_before=NOW - dt.timedelta(days=300))
    return root, issuing


@pytest.fixture
def make_handshake() -> MakeHandshake:
    return handshake_result


@pytest.fixture
def make_anyconnect() -> MakeAnyConnect:
    return anyconnect_result
