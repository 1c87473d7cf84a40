"""Which connection profile (tunnel-group) the ASA assigned, against the one expected."""

from __future__ import annotations

from cryptography.x509.oid import NameOID

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings
from harness.diagnose.model import Diagnosis
from probes.anyconnect import AnyConnectResult

_MAP_NAME = "CERT-MAP"
_OU = NameOID.ORGANIZATIONAL_UNIT_NAME
_CN = NameOID.COMMON_NAME


def _routing_fix(
    evidence: Evidence, anyconnect: AnyConnectResult, expected: str
) -> tuple[str, ...]:
    cert_sent = anyconnect.handshake is not None and anyconnect.handshake.client_cert_sent
    if cert_sent and evidence.client_certificate is not None:
        subject = evidence.client_certificate.subject
        ous = subject.get_attributes_for_oid(_OU)
        cns = subject.get_attributes_for_oid(_CN)
        rule = (
            f"subject-name attr ou eq {str(ous[0].value).lower()}"
            if ous
            else (f"subject-name attr cn eq {str(cns[0].value).lower()}" if cns else None)
        )
        return fixes.certificate_group_map(_MAP_NAME, 10, expected, rule)
    if anyconnect.request_path != "/":
        authority = evidence.hostname or "<fqdn>"
        return (
            f"tunnel-group {expected} webvpn-attributes",
            f" group-url https://{authority}{anyconnect.request_path} enable",
        )
    if anyconnect.group_select:
        return (
            f"tunnel-group {expected} webvpn-attributes",
            f" group-alias {anyconnect.group_select} enable",
            "webvpn",
            " tunnel-group-list enable",
        )
    return (
        f"tunnel-group {expected} webvpn-attributes",
        " group-url https://<fqdn>/<path> enable",
        "! or route by client certificate:",
        *fixes.certificate_group_map(_MAP_NAME, 10, expected, "subject-name attr ou eq <ou>"),
    )


def wrong_tunnel_group(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    expected = evidence.expectations.tunnel_group
    if expected is None:
        return []
    anyconnect = evidence.anyconnect
    if anyconnect is None:
        return [
            Diagnosis(
                codes.WRONG_TUNNEL_GROUP,
                "failure",
                f"Tunnel-group {expected} was expected, but no AnyConnect exchange was run to "
                "learn which one the ASA assigns.",
                (),
                (),
            )
        ]
    facts = (
        f"outcome: {anyconnect.outcome}",
        f"tunnel-group disclosed: {anyconnect.tunnel_group or 'none'}",
        f"group-alias: {anyconnect.group_alias or 'none'}",
        f"request path: {anyconnect.request_path}",
        f"group-select sent: {anyconnect.group_select or 'none'}",
    )
    if anyconnect.tunnel_group == expected:
        return []
    if anyconnect.tunnel_group is None:
        why = (
            "a certificate-only login completes without naming its group"
            if anyconnect.outcome == "complete"
            else f"the exchange ended with {anyconnect.outcome}"
            + (f" ({anyconnect.error})" if anyconnect.error else "")
        )
        return [
            Diagnosis(
                codes.WRONG_TUNNEL_GROUP,
                "failure",
                f"Tunnel-group {expected} was expected, but the ASA did not disclose the "
                f"tunnel-group it assigned: {why}. Confirm on the device.",
                ("show vpn-sessiondb anyconnect",),
                facts,
            )
        ]
    return [
        Diagnosis(
            codes.WRONG_TUNNEL_GROUP,
            "failure",
            f"The ASA assigned tunnel-group {anyconnect.tunnel_group}"
            + (f" (alias {anyconnect.group_alias})" if anyconnect.group_alias else "")
            + f", not the expected {expected}.",
            _routing_fix(evidence, anyconnect, expected),
            facts,
        )
    ]
