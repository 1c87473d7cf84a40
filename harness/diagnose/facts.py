"""Facts derived from the evidence that several checks share, and how to name them in text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509

from harness.diagnose.evidence import DeviceTrustpoint, Evidence
from probes.certinfo import CertificateSummary, sha256_hex, summarise

NAMEIF_PLACEHOLDER = "<nameif>"


@dataclass(frozen=True)
class Settings:
    profile: str
    expiry_threshold_days: int


def short_hash(sha256: str) -> str:
    return sha256[:16]


def describe(summary: CertificateSummary) -> str:
    """``CN=... (serial 1a2b, SHA-256 3f1a9c0b2d4e6f80...)``"""
    return f"{summary.subject} (serial {summary.serial}, SHA-256 {short_hash(summary.sha256)}…)"


def day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def served_certificates(evidence: Evidence) -> tuple[x509.Certificate, ...]:
    if evidence.handshake is not None and evidence.handshake.served_chain:
        return evidence.handshake.served_chain
    if evidence.anyconnect is not None and evidence.anyconnect.handshake is not None:
        return evidence.anyconnect.handshake.served_chain
    return ()


def served_leaf(evidence: Evidence) -> x509.Certificate | None:
    chain = served_certificates(evidence)
    return chain[0] if chain else None


def serving_trustpoint(evidence: Evidence) -> DeviceTrustpoint | None:
    """The device trustpoint whose identity certificate is the one served."""
    leaf = served_leaf(evidence)
    if leaf is None or evidence.device is None:
        return None
    wanted = sha256_hex(leaf)
    for trustpoint in evidence.device.trustpoints:
        certificate = trustpoint.identity_certificate
        if certificate is not None and sha256_hex(certificate) == wanted:
            return trustpoint
    return None


def trustpoint_name(evidence: Evidence, fallback: str = "<trustpoint>") -> str:
    trustpoint = serving_trustpoint(evidence)
    return trustpoint.name if trustpoint else fallback


def nameif(evidence: Evidence) -> str:
    if evidence.interface:
        return evidence.interface
    trustpoint = serving_trustpoint(evidence)
    if trustpoint is not None and trustpoint.interfaces:
        return trustpoint.interfaces[0]
    return NAMEIF_PLACEHOLDER


def client_summary(evidence: Evidence) -> CertificateSummary | None:
    return summarise(evidence.client_certificate) if evidence.client_certificate else None


def suggested_trustpoint(hostname: str | None) -> str:
    """A name for a new trustpoint, in the article's style (``PINGLABZ-CA-SIGNED``)."""
    if not hostname:
        return "VPN-CA-SIGNED"
    label = hostname.split(".")[0] if not hostname[0].isdigit() else "VPN"
    cleaned = "".join(c if c.isalnum() else "-" for c in label.upper())
    return f"{cleaned}-CA-SIGNED"
