"""Judge a served certificate chain: order, signatures, completeness, trust, name, dates.

    report = analyse(result.served_chain, hostname="vpn.pinglabz.com", trust_anchors=[root])

Every verdict is ``None`` when it cannot be determined (no chain, no anchors, no
hostname, an algorithm cryptography cannot check), never a guess.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import (
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from probes.certinfo import CertificateSummary, issued_by, summarise
from probes.hostname import summary_matches
from probes.names import display_name

MatchSource = Literal["san", "cn"]


@dataclass(frozen=True)
class ChainReport:
    certificates: tuple[CertificateSummary, ...]
    hostname: str | None
    at: dt.datetime
    #: Each certificate's issuer is the subject of the next one (what TLS 1.2 requires).
    order_ok: bool | None
    each_signed_by_next: bool | None
    #: The served certificates (in any order) lead from the leaf to a self-signed root or
    #: to one of the given trust anchors.
    complete: bool | None
    #: Subject of the root or anchor the chain ends in, when complete.
    ends_at: str | None
    #: The issuer that neither the served chain nor the anchors provide.
    missing_issuer: str | None
    trusted: bool | None
    verification_error: str | None
    leaf_matches_hostname: bool | None
    hostname_match_source: MatchSource | None
    cn_fallback_match: bool | None
    valid_at: bool | None
    not_yet_valid: bool | None
    expired: bool | None
    days_left: int | None
    self_signed: bool | None
    key_type: str | None
    key_size: int | None
    signature_algorithm: str | None
    #: None when the leaf has no EKU extension: that means any purpose, not "no".
    eku_server_auth: bool | None

    @property
    def leaf(self) -> CertificateSummary | None:
        return self.certificates[0] if self.certificates else None


@dataclass(frozen=True)
class _Path:
    complete: bool | None
    ends_at: str | None
    missing_issuer: str | None


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


class _Facts:
    """What one analysis learns about its certificates, each fact worked out once: the DER
    encodings, and whether a certificate was issued by another (a signature check)."""

    def __init__(self, certificates: Sequence[x509.Certificate]) -> None:
        # By id(): every certificate stays referenced by the caller during the analysis.
        self._ders = {id(c): _der(c) for c in certificates}
        self._issued: dict[tuple[int, int], bool | None] = {}

    def der(self, certificate: x509.Certificate) -> bytes:
        return self._ders[id(certificate)]

    def issued_by(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bool | None:
        key = (id(certificate), id(issuer))
        if key not in self._issued:
            self._issued[key] = issued_by(certificate, issuer)
        return self._issued[key]

    def self_signed(self, certificate: x509.Certificate) -> bool:
        """:func:`probes.certinfo.is_self_signed`."""
        return (
            certificate.subject == certificate.issuer
            and self.issued_by(certificate, certificate) is True
        )


def _build_path(
    chain: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate], facts: _Facts
) -> _Path:
    """Follow issuers from the leaf through the served certificates, like a client does."""
    anchor_ders = {facts.der(a) for a in anchors}
    current = chain[0]
    used = {facts.der(current)}
    certain = True
    for _ in range(len(chain) + len(anchors) + 1):
        if facts.der(current) in anchor_ders:
            return _Path(certain or None, display_name(current.subject), None)
        if facts.self_signed(current):
            return _Path(certain or None, display_name(current.subject), None)
        anchor = next((a for a in anchors if facts.issued_by(current, a)), None)
        if anchor is not None:
            return _Path(certain or None, display_name(anchor.subject), None)
        candidates = [c for c in chain if facts.der(c) not in used and c.subject == current.issuer]
        verdicts = [(facts.issued_by(current, c), c) for c in candidates]
        issuer = next((c for ok, c in verdicts if ok), None)
        if issuer is None:
            issuer = next((c for ok, c in verdicts if ok is None), None)
            certain = certain and issuer is None
        if issuer is None:
            return _Path(False, None, display_name(current.issuer))
        used.add(facts.der(issuer))
        current = issuer
    return _Path(None, None, None)


def _order_ok(chain: Sequence[x509.Certificate]) -> bool:
    return all(chain[i].issuer == chain[i + 1].subject for i in range(len(chain) - 1))


def _each_signed_by_next(chain: Sequence[x509.Certificate], facts: _Facts) -> bool | None:
    verdicts = [facts.issued_by(chain[i], chain[i + 1]) for i in range(len(chain) - 1)]
    if any(v is False for v in verdicts):
        return False
    return None if any(v is None for v in verdicts) else True


def _trust(
    chain: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    at: dt.datetime,
    facts: _Facts,
) -> tuple[bool | None, str | None]:
    if not anchors:
        return None, None
    if facts.der(chain[0]) in {facts.der(a) for a in anchors}:
        return True, None  # the served certificate itself is trusted (pinned / imported)
    # Path validation only: the host name and the leaf's EKU are separate verdicts, so the
    # end-entity extension policy is relaxed; CA certificates keep the Web PKI rules.
    builder = (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(at)
        .extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=ExtensionPolicy.permit_all(),
        )
    )
    try:
        builder.build_client_verifier().verify(chain[0], list(chain[1:]))
    except VerificationError as error:
        return False, str(error)
    except ValueError as error:
        return None, f"cannot verify: {error}"
    return True, None


def _utc(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return dt.datetime.now(dt.UTC)
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _hostname_verdicts(
    leaf: CertificateSummary, hostname: str | None
) -> tuple[bool | None, MatchSource | None, bool | None]:
    if hostname is None:
        return None, None, None
    by_san, by_cn = summary_matches(leaf, hostname)
    source: MatchSource | None = "san" if by_san else ("cn" if by_cn else None)
    return by_san, source, by_cn


def analyse(
    served_chain: Sequence[x509.Certificate],
    *,
    hostname: str | None,
    trust_anchors: Sequence[x509.Certificate] = (),
    at: dt.datetime | None = None,
) -> ChainReport:
    moment = _utc(at)
    if not served_chain:
        return _empty(hostname, moment)
    chain = list(served_chain)
    facts = _Facts([*chain, *trust_anchors])
    summaries = tuple(summarise(c, der=facts.der(c), self_signed=facts.self_signed) for c in chain)
    leaf_summary = summaries[0]
    path = _build_path(chain, trust_anchors, facts)
    trusted, error = _trust(chain, trust_anchors, moment, facts)
    matches, source, cn_match = _hostname_verdicts(leaf_summary, hostname)
    remaining = (leaf_summary.not_after - moment).total_seconds() / 86400
    return ChainReport(
        certificates=summaries,
        hostname=hostname,
        at=moment,
        order_ok=_order_ok(chain),
        each_signed_by_next=_each_signed_by_next(chain, facts),
        complete=path.complete,
        ends_at=path.ends_at,
        missing_issuer=path.missing_issuer,
        trusted=trusted,
        verification_error=error,
        leaf_matches_hostname=matches,
        hostname_match_source=source,
        cn_fallback_match=cn_match,
        valid_at=leaf_summary.valid_at(moment),
        not_yet_valid=moment < leaf_summary.not_before,
        expired=moment > leaf_summary.not_after,
        days_left=math.floor(remaining),
        self_signed=leaf_summary.self_signed,
        key_type=leaf_summary.key_type,
        key_size=leaf_summary.key_size,
        signature_algorithm=leaf_summary.signature_algorithm,
        eku_server_auth=(
            bool({"serverAuth", "anyExtendedKeyUsage"} & set(leaf_summary.eku))
            if leaf_summary.has_eku
            else None
        ),
    )


def _empty(hostname: str | None, at: dt.datetime) -> ChainReport:
    return ChainReport(
        certificates=(),
        hostname=hostname,
        at=at,
        order_ok=None,
        each_signed_by_next=None,
        complete=None,
        ends_at=None,
        missing_issuer=None,
        trusted=None,
        verification_error=None,
        leaf_matches_hostname=None,
        hostname_match_source=None,
        cn_fallback_match=None,
        valid_at=None,
        not_yet_valid=None,
        expired=None,
        days_left=None,
        self_signed=None,
        key_type=None,
        key_size=None,
        signature_algorithm=None,
        eku_server_auth=None,
    )
