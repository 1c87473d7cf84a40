"""Client certificates on an SSL listener: whether to ask for one, and whether one is valid.

When to ask (anyconnect-protocol.md section 5.1, asa-cli.md section 10.2 item 8): when a
``webvpn certificate-group-map`` is configured (the ASA then asks every user), or when a
tunnel-group a client can reach uses ``authentication certificate`` or ``aaa certificate``.
A group is reachable when some SSL client can land on it: it is ``DefaultWEBVPNGroup``, or
it has an enabled alias or group-url, or a certificate-group-map names it. The request
never *requires* a certificate at the TLS layer; the XML layer reports a missing one.

Which CAs (the CertificateRequest list and the trust anchors): the CA certificates held
by trustpoints (what ``crypto ca authenticate`` imported), skipping trustpoints whose
``validation-usage`` is set without ``ssl-client``. The ASA's default validation-usage
covers ssl-client, so an unset value counts. [INFERENCE from the ASA defaults]

Validity (the article's gotcha 5): checked at the time given, which the listener takes
from the *device* clock, so ``clock set`` changes the verdict. The chain must lead to one
of those CA certificates (an authenticated intermediate is a trust anchor by itself, as on
the ASA); signatures, CA constraints and validity of every certificate are checked by
cryptography's x509.verification; the client leaf needs no particular EKU or SAN
[INFERENCE]. Possession of the key is proven by the TLS handshake (CertificateVerify), so
a chain that reaches this function came from a client holding the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.x509 import verification

from lab.emulator.device import Device, Trustpoint
from lab.rules.tunnel_group import DEFAULT_SSL_GROUP, ssl_groups

MAX_CHAIN_DEPTH = 8


@dataclass(frozen=True)
class ClientCa:
    trustpoint: str
    certificate: x509.Certificate


@dataclass(frozen=True)
class ClientCertificateRequest:
    """Whether interface ``nameif`` asks for a client certificate, and which CAs it names."""

    nameif: str
    request: bool
    acceptable_cas: tuple[ClientCa, ...]
    reasons: tuple[str, ...]

    @property
    def ca_names(self) -> tuple[x509.Name, ...]:
        """The names the CertificateRequest lists (once each, in config order)."""
        return tuple(c.subject for c in self.request_certificates)

    @property
    def request_certificates(self) -> tuple[x509.Certificate, ...]:
        """One CA certificate per distinct subject: what the TLS layer names."""
        seen: dict[x509.Name, x509.Certificate] = {}
        for ca in self.acceptable_cas:
            seen.setdefault(ca.certificate.subject, ca.certificate)
        return tuple(seen.values())


Failure = Literal["absent", "expired", "not-yet-valid", "unknown-ca", "no-client-ca"]


@dataclass(frozen=True)
class ClientCertificateVerdict:
    valid: bool
    reason: str
    certificate: x509.Certificate | None = None
    trustpoint: str | None = None  # the trustpoint whose CA anchored the chain
    failure: Failure | None = None

    @property
    def presented(self) -> bool:
        return self.certificate is not None


def validates_ssl_clients(trustpoint: Trustpoint) -> bool:
    usage = trustpoint.validation_usage
    return usage is None or "ssl-client" in usage.split()


def client_validation_cas(device: Device) -> tuple[ClientCa, ...]:
    """The CA certificates that may validate SSL client certificates, in config order."""
    return tuple(
        ClientCa(tp.name, certificate)
        for tp in device.trustpoints.values()
        if validates_ssl_clients(tp)
        for certificate in tp.ca_certificates
    )


def _reachable_groups(device: Device) -> list[tuple[str, str]]:
    mapped = {entry.tunnel_group for entry in device.webvpn.certificate_group_maps}
    reachable: list[tuple[str, str]] = []
    for group in ssl_groups(device):
        routes = []
        if group.name == DEFAULT_SSL_GROUP:
            routes.append("the default SSL group")
        if group.enabled_aliases:
            routes.append("alias " + ", ".join(group.enabled_aliases))
        if group.enabled_urls:
            routes.append("group-url " + ", ".join(group.enabled_urls))
        if group.name in mapped:
            routes.append("a certificate-group-map target")
        if routes:
            reachable.append((group.name, "; ".join(routes)))
    return reachable


def client_certificate_request(device: Device, nameif: str) -> ClientCertificateRequest:
    cas = client_validation_cas(device)
    if nameif not in device.webvpn_nameifs():
        return ClientCertificateRequest(nameif, False, cas, (f"webvpn is not enabled on {nameif}",))
    reasons: list[str] = []
    maps = device.webvpn.certificate_group_maps
    if maps:
        first = maps[0]
        reasons.append(
            f"webvpn certificate-group-map {first.map_name} {first.sequence} {first.tunnel_group} "
            "is configured: the ASA asks every user for a client certificate"
        )
    for name, routes in _reachable_groups(device):
        group = device.tunnel_group(name)
        assert group is not None
        if group.needs_certificate:
            reasons.append(
                f"tunnel-group {name} uses 'authentication {group.authentication}' and is "
                f"reachable on {nameif} ({routes})"
            )
    if not reasons:
        reasons.append(
            "no reachable tunnel-group uses certificate authentication and no "
            "certificate-group-map is configured"
        )
        return ClientCertificateRequest(nameif, False, cas, tuple(reasons))
    return ClientCertificateRequest(nameif, True, cas, tuple(reasons))


def _describe(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string() or "(empty subject)"


def _validity_problem(certificate: x509.Certificate, at: dt.datetime) -> tuple[Failure, str] | None:
    subject = _describe(certificate)
    device_time = f"the device clock says {at:%Y-%m-%d %H:%M:%S} UTC"
    if at < certificate.not_valid_before_utc:
        start = certificate.not_valid_before_utc
        return "not-yet-valid", (
            f"certificate {subject} is not valid before {start:%Y-%m-%d %H:%M:%S} UTC; "
            + device_time
        )
    if at > certificate.not_valid_after_utc:
        end = certificate.not_valid_after_utc
        return (
            "expired",
            f"certificate {subject} expired at {end:%Y-%m-%d %H:%M:%S} UTC; {device_time}",
        )
    return None


def validate_client_certificate(
    device: Device, chain: Sequence[x509.Certificate], at: dt.datetime
) -> ClientCertificateVerdict:
    """Validate the chain a client presented (leaf first) at time ``at`` (the device clock)."""
    if not chain:
        return ClientCertificateVerdict(
            False, "the client presented no certificate", failure="absent"
        )
    leaf, intermediates = chain[0], list(chain[1:])
    subject = _describe(leaf)
    for certificate in chain:
        problem = _validity_problem(certificate, at)
        if problem is not None:
            return ClientCertificateVerdict(False, problem[1], leaf, failure=problem[0])
    cas = client_validation_cas(device)
    if not cas:
        return ClientCertificateVerdict(
            False,
            "no trustpoint holds a CA certificate that validates SSL clients",
            leaf,
            failure="no-client-ca",
        )
    builder = (
        verification.PolicyBuilder()
        .store(verification.Store([ca.certificate for ca in cas]))
        .time(at)
        .max_chain_depth(MAX_CHAIN_DEPTH)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
    )
    try:
        verified = builder.build_client_verifier().verify(leaf, intermediates)
    except verification.VerificationError as error:
        expired_ca = _expired_issuer(chain, cas, at)
        if expired_ca is not None:
            (trustpoint, (failure, reason)) = expired_ca
            return ClientCertificateVerdict(
                False,
                f"{reason} (the CA certificate of trustpoint {trustpoint})",
                leaf,
                failure=failure,
            )
        return ClientCertificateVerdict(
            False,
            f"certificate {subject} does not chain to a CA certificate of a trustpoint "
            f"that validates SSL clients ({error})",
            leaf,
            failure="unknown-ca",
        )
    anchor = verified.chain[-1]
    trustpoint = next(ca.trustpoint for ca in cas if ca.certificate == anchor)
    return ClientCertificateVerdict(
        True,
        f"certificate {subject} chains to trustpoint {trustpoint} and is valid at the device time",
        leaf,
        trustpoint,
    )


def _expired_issuer(
    chain: Sequence[x509.Certificate], cas: tuple[ClientCa, ...], at: dt.datetime
) -> tuple[str, tuple[Failure, str]] | None:
    """Why a chain failed when the CA certificate that issued part of it is out of date
    (the verifier only says that no path was found)."""
    for certificate in chain:
        for ca in cas:
            if ca.certificate.subject == certificate.issuer:
                problem = _validity_problem(ca.certificate, at)
                if problem is not None:
                    return ca.trustpoint, problem
    return None
