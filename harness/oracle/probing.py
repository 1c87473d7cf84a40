"""What one client class sees on one interface and SNI: a real TLS handshake and the
AnyConnect exchange (probes.anyconnect.discover), the served certificate named in the
model's terms, and the tunnel-group from the XML or, for a certificate-only login, from the
session table."""

from __future__ import annotations

from cryptography import x509

from harness.oracle.expectation import PROBE_PATH, sha256_hex
from harness.oracle.model import OracleModel
from harness.oracle.records import (
    TEMPORARY,
    ClientClass,
    Column,
    Observation,
    stand_in_label,
    trustpoint_label,
)
from harness.oracle.sessions import SessionTable
from lab.emulator.replica_standin import is_stand_in_certificate
from probes.anyconnect import discover
from probes.certinfo import is_self_signed
from probes.identity import ClientIdentity
from probes.names import display_name


def served_label(
    model: OracleModel, chain: tuple[x509.Certificate, ...], expected_trustpoint: str | None
) -> str | None:
    """The served leaf in the vocabulary of the expectation; None when nothing was served."""
    if not chain:
        return None
    leaf = chain[0]
    trustpoints = model.device.trustpoints.values()
    holders = [tp.name for tp in trustpoints if tp.identity_certificate == leaf]
    if holders:
        return trustpoint_label(
            expected_trustpoint if expected_trustpoint in holders else holders[0]
        )
    if is_stand_in_certificate(leaf):
        same = [
            tp.name
            for tp in trustpoints
            if tp.identity_certificate is not None
            and tp.identity_certificate.subject == leaf.subject
        ]
        if same:
            return stand_in_label(expected_trustpoint if expected_trustpoint in same else same[0])
    if is_self_signed(leaf):
        return TEMPORARY
    return f"a certificate no trustpoint holds ({display_name(leaf.subject)})"


def observe(
    model: OracleModel,
    address: tuple[str, int],
    column: Column,
    client: ClientClass,
    *,
    expected_trustpoint: str | None,
    sessions: SessionTable | None,
    timeout: float,
) -> Observation:
    material = client.material
    identity = (
        ClientIdentity.from_objects(material.certificate, material.private_key, material.chain)
        if material is not None
        else None
    )
    result = discover(
        address[0],
        address[1],
        sni=column.sni,
        client_identity=identity,
        group_url_path=PROBE_PATH,
        timeout=timeout,
        logout=identity is None or sessions is None,
    )
    handshake = result.handshake
    chain = handshake.served_chain if handshake is not None else ()
    notes: list[str] = []
    tunnel_group = result.tunnel_group
    source = "xml" if tunnel_group is not None else None
    if result.session_token_present and material is not None and sessions is not None:
        finding = sessions.take(material.certificate)
        notes.append(finding.evidence)
        if tunnel_group is None and finding.tunnel_group is not None:
            tunnel_group, source = finding.tunnel_group, "session table"
    failure = handshake.failure.message if handshake is not None and handshake.failure else None
    return Observation(
        address=f"{address[0]}:{address[1]}",
        handshake_ok=handshake is not None and handshake.ok,
        failure=failure,
        served=served_label(model, chain, expected_trustpoint),
        chain_sha256=tuple(sha256_hex(c) for c in chain),
        chain_subjects=tuple(display_name(c.subject) for c in chain),
        client_cert_requested=handshake.client_cert_requested if handshake is not None else None,
        client_ca_names=handshake.client_ca_names if handshake is not None else (),
        client_cert_sent=handshake.client_cert_sent if handshake is not None else False,
        outcome=result.outcome,
        tunnel_group=tunnel_group,
        tunnel_group_source=source,
        error=result.error,
        notes=tuple(notes),
    )
