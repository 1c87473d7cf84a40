"""The served identity certificate: its name, its issuer, its dates."""

from __future__ import annotations

import math

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings, day, describe, nameif, trustpoint_name
from harness.diagnose.model import Diagnosis
from probes.certinfo import CertificateSummary


def _names(leaf: CertificateSummary) -> str:
    names = [n for n in leaf.sans if n.startswith(("DNS:", "IP:"))]
    return ", ".join(names) if names else "no DNS or IP SAN"


def fqdn_mismatch(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    chain, hostname = evidence.chain, evidence.hostname
    if chain is None or chain.leaf is None or hostname is None:
        return []
    if chain.leaf_matches_hostname is not False:
        return []
    leaf = chain.leaf
    cn = ", ".join(leaf.common_names) or "none"
    facts = (
        f"hostname the client uses: {hostname}",
        f"served certificate: {describe(leaf)}",
        f"SAN: {', '.join(leaf.sans) or 'none'}",
        f"CN: {cn}",
    )
    trustpoint = trustpoint_name(evidence)
    if chain.cn_fallback_match:
        return [
            Diagnosis(
                codes.FQDN_MISMATCH,
                "warning",
                f"The served certificate {describe(leaf)} names {hostname} only in its CN: it "
                "has no SAN dNSName. AnyConnect and the ASA accept this CN fallback; clients "
                "that follow RFC 6125 strictly (current browsers and TLS libraries) reject it. "
                f"Set the trustpoint's fqdn so that the name goes into the SAN.",
                (
                    f"crypto ca trustpoint {trustpoint}",
                    f" fqdn {hostname}",
                    " exit",
                    f"crypto ca enroll {trustpoint}",
                    "! a CA-signed trustpoint: have the new request signed, then",
                    f"crypto ca import {trustpoint} certificate",
                ),
                facts,
            )
        ]
    return [
        Diagnosis(
            codes.FQDN_MISMATCH,
            "failure",
            f"The served certificate {describe(leaf)} is not valid for {hostname}, the name "
            f"clients connect to: it carries {_names(leaf)} (CN {cn}). AnyConnect rejects "
            "it with a certificate validation failure.",
            fixes.enroll_ca_signed(hostname, nameif(evidence)),
            facts,
        )
    ]


def self_signed(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    chain = evidence.chain
    if chain is None or chain.leaf is None or chain.self_signed is not True:
        return []
    production = settings.profile == "production"
    verdict = (
        "not acceptable in production"
        if production
        else "acceptable in a lab, where every client trusts it by hand"
    )
    return [
        Diagnosis(
            codes.SELF_SIGNED,
            "failure" if production else "warning",
            f"The ASA serves a self-signed certificate {describe(chain.leaf)} (issuer = "
            "subject). AnyConnect 4.10 and later warn on every connection and current macOS "
            f"and Windows builds may refuse it: {verdict}.",
            fixes.enroll_ca_signed(evidence.hostname, nameif(evidence)),
            (f"served certificate: {describe(chain.leaf)}", f"issuer: {chain.leaf.issuer}"),
        )
    ]


def _role(index: int) -> str:
    return "identity certificate" if index == 0 else f"CA certificate #{index} of the chain"


def validity(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    """EXPIRED, NOT_YET_VALID and EXPIRING for every certificate served, at the probe clock."""
    chain = evidence.chain
    if chain is None:
        return []
    at = evidence.probe_clock
    found: list[Diagnosis] = []
    trustpoint = trustpoint_name(evidence)
    for index, certificate in enumerate(chain.certificates):
        role = _role(index)
        window = f"valid {day(certificate.not_before)} to {day(certificate.not_after)}"
        facts = (f"{role}: {describe(certificate)}", window, f"probe clock: {day(at)}")
        if index == 0:
            renew = fixes.rotate(evidence.hostname, nameif(evidence), at)
        else:
            renew = fixes.authenticate_ca(
                trustpoint, f"the renewed {certificate.subject}", new=False
            )
        if at < certificate.not_before:
            found.append(
                Diagnosis(
                    codes.NOT_YET_VALID,
                    "failure",
                    f"The served {role} {describe(certificate)} is not valid before "
                    f"{day(certificate.not_before)}; at {day(at)} clients reject it. Either "
                    "it was issued by a CA whose clock runs ahead, or the probe's clock is behind.",
                    renew,
                    facts,
                )
            )
            continue
        days_left = math.floor((certificate.not_after - at).total_seconds() / 86400)
        if at > certificate.not_after:
            found.append(
                Diagnosis(
                    codes.EXPIRED,
                    "failure",
                    f"The served {role} {describe(certificate)} expired on "
                    f"{day(certificate.not_after)} ({-days_left} days ago); clients reject it.",
                    renew,
                    facts,
                )
            )
        elif days_left < settings.expiry_threshold_days:
            found.append(
                Diagnosis(
                    codes.EXPIRING,
                    "warning",
                    f"The served {role} {describe(certificate)} expires on "
                    f"{day(certificate.not_after)}: {days_left} days left, under the "
                    f"{settings.expiry_threshold_days}-day threshold. Rotate it on a new "
                    "trustpoint now so that rollback stays one command away.",
                    renew,
                    (*facts, f"days left: {days_left}"),
                )
            )
    return found
