"""Expected wire behaviour for one cell, computed with the rules the virtual ASA uses
(lab/rules): never re-implemented here, only called and translated into the probe's words.

* served certificate: ``choose_server_identity`` (SNI binding, interface, global,
  temporary; REPLICA STAND-IN on a replica);
* client certificate request and CA list: ``client_certificate_request``;
* certificate verdict: ``validate_client_certificate`` at the device's time;
* tunnel-group: ``select_tunnel_group`` with the group-url the probe sends;
* outcome of the exchange: harness/oracle/outcome.py from the group and the verdict.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.oracle.model import OracleModel
from harness.oracle.outcome import expected_outcome
from harness.oracle.records import (
    TEMPORARY,
    ClientClass,
    Column,
    ExpectedCell,
    ExpectedIdentity,
    ExpectedLogin,
    ExpectedRequest,
    stand_in_label,
    trustpoint_label,
)
from lab.rules.client_certificate import (
    ClientCertificateVerdict,
    client_certificate_request,
    client_validation_cas,
    validate_client_certificate,
)
from lab.rules.server_identity import choose_server_identity
from lab.rules.tunnel_group import select_tunnel_group, ssl_group
from probes.anyconnect import DEFAULT_USER_AGENT
from probes.gateway import Gateway
from probes.names import display_name
from probes.tls import DEFAULT_TLS_VERSIONS

#: The path the probe's AnyConnect exchange posts to (and names in <group-access>).
PROBE_PATH = "/"


def sha256_hex(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def probe_group_url(address: tuple[str, int] | None, column: Column) -> str | None:
    """The <group-access> URL the probe sends: ``https://`` + its Host authority + path."""
    if address is None:
        return None
    gateway = Gateway(
        address[0],
        address[1],
        sni=column.sni,
        client_identity=None,
        user_agent=DEFAULT_USER_AGENT,
        tls_versions=DEFAULT_TLS_VERSIONS,
    )
    return f"https://{gateway.authority}{PROBE_PATH}"


def expected_identity(model: OracleModel, column: Column) -> ExpectedIdentity:
    choice = choose_server_identity(
        model.device, column.interface, column.sni, keys=model.keys, stand_ins=model.stand_ins
    )
    if choice.trustpoint is None or choice.certificate is None:
        return ExpectedIdentity(TEMPORARY, None, choice.source, False, (), (), choice.explanation)
    if choice.stand_in:
        return ExpectedIdentity(
            stand_in_label(choice.trustpoint),
            choice.trustpoint,
            choice.source,
            True,
            (),
            (display_name(choice.certificate.subject),),
            choice.explanation,
        )
    chain = (choice.certificate, *choice.ca_certificates)
    return ExpectedIdentity(
        trustpoint_label(choice.trustpoint),
        choice.trustpoint,
        choice.source,
        False,
        tuple(sha256_hex(c) for c in chain),
        tuple(display_name(c.subject) for c in chain),
        choice.explanation,
    )


def expected_request(model: OracleModel, column: Column) -> ExpectedRequest:
    decision = client_certificate_request(model.device, column.interface)
    names = tuple(display_name(name) for name in decision.ca_names) if decision.request else ()
    return ExpectedRequest(decision.request, names, "; ".join(decision.reasons))


def _assumed_valid(model: OracleModel, client: ClientClass) -> ClientCertificateVerdict | None:
    """A described class's certificate is not held: its validity is assumed when it is
    issued in the name of a CA the device trusts (a real one would chain to it)."""
    assert client.certificate is not None
    for ca in client_validation_cas(model.device):
        if ca.certificate.subject == client.certificate.issuer:
            return ClientCertificateVerdict(
                True,
                f"assumed valid: a certificate issued by {display_name(ca.certificate.subject)} "
                f"(trustpoint {ca.trustpoint}), which the harness cannot issue",
                client.certificate,
                ca.trustpoint,
            )
    return None


def _verdict(
    model: OracleModel, client: ClientClass, requested: bool
) -> tuple[bool, ClientCertificateVerdict]:
    if client.certificate is None or not requested:
        return False, validate_client_certificate(model.device, (), model.at)
    if client.described:
        assumed = _assumed_valid(model, client)
        if assumed is not None:
            return True, assumed
    chain = client.material.chain if client.material else ()
    return True, validate_client_certificate(model.device, (client.certificate, *chain), model.at)


def expected_login(
    model: OracleModel, client: ClientClass, requested: bool, group_url: str | None
) -> ExpectedLogin | None:
    if client.kind != "no-certificate" and client.certificate is None:
        return None  # a class no certificate could be built for
    presented, verdict = _verdict(model, client, requested)
    decision = select_tunnel_group(
        model.device,
        client_certificate=verdict.certificate if verdict.valid else None,
        group_url=group_url,
        group_select=None,
    )
    group = ssl_group(model.device, decision.tunnel_group)
    assert group is not None  # select_tunnel_group only returns SSL groups
    outcome, why = expected_outcome(group, verdict)
    if client.certificate is not None and not requested:
        why = "the interface does not ask for a client certificate, so none is sent; " + why
    return ExpectedLogin(
        certificate_presented=presented,
        certificate_valid=verdict.valid,
        certificate_reason=verdict.reason,
        tunnel_group=decision.tunnel_group,
        decided_by=decision.decided_by,
        group_url=group_url,
        outcome=outcome,
        explanation=f"{decision.explanation}\n{why}",
    )


def expected_cell(
    model: OracleModel, column: Column, client: ClientClass, address: tuple[str, int] | None
) -> ExpectedCell:
    request = expected_request(model, column)
    return ExpectedCell(
        column=column,
        client=client.id,
        address=f"{address[0]}:{address[1]}" if address else None,
        identity=expected_identity(model, column),
        request=request,
        login=expected_login(model, client, request.requested, probe_group_url(address, column)),
    )
