"""The TLS handshake itself and the client-certificate side of it."""

from __future__ import annotations

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings, client_summary, describe, nameif
from harness.diagnose.model import Diagnosis
from probes.alerts import CLIENT_CERTIFICATE_ALERTS
from probes.tls import HandshakeFailure, HandshakeResult

CLIENT_CA_TRUSTPOINT = "CLIENT-CA"


def _failure_fix(failure: HandshakeFailure, interface: str) -> tuple[str, ...]:
    if failure.kind == "refused":
        return (
            "webvpn",
            f" enable {interface}",
            " anyconnect enable",
            "show running-config webvpn",
        )
    if failure.kind == "timeout":
        return (
            "show running-config webvpn",
            "show asp drop",
            "! and check that nothing between the probe and the ASA drops the TCP port",
        )
    if failure.kind == "dns":
        return ("! the name does not resolve: probe the interface address with --sni NAME",)
    return ("show running-config all ssl", "show ssl", "show crypto ca certificates")


def _rejected_certificate(handshake: HandshakeResult | None) -> HandshakeFailure | None:
    if handshake is None or handshake.failure is None:
        return None
    failure = handshake.failure
    if failure.kind == "unknown_ca":
        return failure
    if handshake.client_cert_sent and failure.alert in CLIENT_CERTIFICATE_ALERTS:
        return failure
    return None


def handshake_failed(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    handshake = evidence.handshake
    if handshake is None or handshake.failure is None:
        return []
    failure = handshake.failure
    if failure.kind == "client_cert_required" or _rejected_certificate(handshake):
        return []  # reported by the client-certificate checks
    return [
        Diagnosis(
            codes.HANDSHAKE_FAILED,
            "failure",
            f"No TLS session with {handshake.peer}: {failure.message}.",
            _failure_fix(failure, nameif(evidence)),
            (f"failure kind: {failure.kind}", f"alert: {failure.alert or 'none'}"),
        )
    ]


def client_cert_required(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    handshake = evidence.handshake
    if handshake is None or handshake.failure is None:
        return []
    if handshake.failure.kind != "client_cert_required":
        return []
    names = ", ".join(handshake.client_ca_names) or "no CA names"
    return [
        Diagnosis(
            codes.CLIENT_CERT_REQUIRED,
            "info",
            f"The ASA requires a client certificate from {names} and the probe sent none "
            f"({handshake.failure.message}); probe again with a client certificate to see the "
            "connection profile.",
            (),
            (f"acceptable CAs: {names}",),
        )
    ]


def client_cert_rejected(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    reasons: list[str] = []
    tls = _rejected_certificate(evidence.handshake)
    if tls is not None:
        reasons.append(f"TLS: {tls.message}")
    anyconnect = evidence.anyconnect
    if anyconnect is not None:
        if anyconnect.outcome == "cert-validation-failure":
            reasons.append(f"AnyConnect: {anyconnect.error or 'Certificate Validation Failure'}")
        elif (ac_tls := _rejected_certificate(anyconnect.handshake)) is not None and tls is None:
            reasons.append(f"TLS (AnyConnect exchange): {ac_tls.message}")
    if not reasons:
        return []
    client = client_summary(evidence)
    issuer = client.issuer if client else "the CA that issued the client certificate"
    who = describe(client) if client else "the client certificate"
    return [
        Diagnosis(
            codes.CLIENT_CERT_REJECTED,
            "failure",
            f"The ASA rejected {who}: {'; '.join(reasons)}. It validates client certificates "
            f"against the CA certificates of its trustpoints: authenticate {issuer} in one "
            "(and check the clock if the certificate is new).",
            fixes.authenticate_ca(CLIENT_CA_TRUSTPOINT, issuer, new=True),
            (*reasons, f"client certificate: {who}", f"issuer: {issuer}"),
        )
    ]


def _requested(evidence: Evidence) -> bool | None:
    verdicts: list[bool | None] = []
    if evidence.handshake is not None:
        verdicts.append(evidence.handshake.client_cert_requested)
    anyconnect = evidence.anyconnect
    if anyconnect is not None:
        verdicts.append(True if anyconnect.certificate_round else None)
        if anyconnect.handshake is not None:
            verdicts.append(anyconnect.handshake.client_cert_requested)
    if any(v is True for v in verdicts):
        return True
    return False if any(v is False for v in verdicts) else None


def client_cert_not_requested(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    if evidence.expectations.client_cert_request is not True:
        return []
    requested = _requested(evidence)
    if requested is True:
        return []
    group = evidence.expectations.tunnel_group or (
        evidence.anyconnect.tunnel_group if evidence.anyconnect else None
    )
    tunnel_group = group or "<tunnel-group>"
    if requested is None:
        message = (
            "A client-certificate request was expected, but the probe could not tell whether "
            "the ASA sends one: the handshake stopped before that point."
        )
    else:
        message = (
            "A client-certificate request was expected, but the ASA asked for no client "
            "certificate, neither in the TLS handshake nor in the AnyConnect exchange: no "
            "connection profile on this interface uses certificate authentication and no "
            "certificate map applies."
        )
    return [
        Diagnosis(
            codes.CLIENT_CERT_NOT_REQUESTED,
            "failure",
            message,
            (
                *fixes.authenticate_ca(CLIENT_CA_TRUSTPOINT, "the client-issuing CA", new=True),
                *fixes.webvpn_authentication(tunnel_group, "certificate"),
                "! or ask every client on the interface:",
                f"ssl certificate-authentication interface {nameif(evidence)} port 443",
            ),
            (f"TLS CertificateRequest seen: {requested}",),
        )
    ]


def client_ca_not_listed(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    handshake, client = evidence.handshake, client_summary(evidence)
    if handshake is None or client is None or not handshake.client_ca_names:
        return []
    if client.issuer in handshake.client_ca_names:
        return []
    listed = "; ".join(handshake.client_ca_names)
    return [
        Diagnosis(
            codes.CLIENT_CA_NOT_LISTED,
            "warning",
            f"The ASA's certificate request lists the acceptable CAs {listed}, but not "
            f"{client.issuer}, the issuer of {describe(client)}. AnyConnect offers only "
            "certificates from the listed CAs, so users holding this one are not even asked.",
            fixes.authenticate_ca(CLIENT_CA_TRUSTPOINT, client.issuer, new=True),
            (f"acceptable CAs: {listed}", f"client certificate issuer: {client.issuer}"),
        )
    ]
