"""Probe results as JSON-ready dictionaries (datetimes as ISO 8601 strings, tuples as lists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509

from probes.anyconnect import AnyConnectResult
from probes.certinfo import CertificateSummary, summarise
from probes.chain import ChainReport
from probes.tls_result import HandshakeFailure, HandshakeResult

JsonDict = dict[str, Any]


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def certificate_dict(certificate: CertificateSummary | x509.Certificate) -> JsonDict:
    summary = certificate if isinstance(certificate, CertificateSummary) else summarise(certificate)
    return {
        "subject": summary.subject,
        "issuer": summary.issuer,
        "serial": summary.serial,
        "not_before": _iso(summary.not_before),
        "not_after": _iso(summary.not_after),
        "sha256": summary.sha256,
        "self_signed": summary.self_signed,
        "key_type": summary.key_type,
        "key_size": summary.key_size,
        "signature_algorithm": summary.signature_algorithm,
        "sans": list(summary.sans),
        "is_ca": summary.is_ca,
        "eku": list(summary.eku) if summary.has_eku else None,
    }


def failure_dict(failure: HandshakeFailure | None) -> JsonDict | None:
    if failure is None:
        return None
    return {"kind": failure.kind, "alert": failure.alert, "message": failure.message}


def handshake_dict(result: HandshakeResult) -> JsonDict:
    return {
        "ok": result.ok,
        "peer": result.peer,
        "sni": result.sni,
        "tls_version": result.tls_version,
        "cipher": result.cipher,
        "client_cert_requested": result.client_cert_requested,
        "client_ca_names": list(result.client_ca_names),
        "client_cert_sent": result.client_cert_sent,
        "failure": failure_dict(result.failure),
        "timings": {
            "connect_ms": result.timings.connect_ms,
            "handshake_ms": result.timings.handshake_ms,
            "total_ms": result.timings.total_ms,
        },
        "served_chain": [certificate_dict(c) for c in result.served_chain],
    }


def chain_dict(report: ChainReport) -> JsonDict:
    return {
        "hostname": report.hostname,
        "at": _iso(report.at),
        "order_ok": report.order_ok,
        "each_signed_by_next": report.each_signed_by_next,
        "complete": report.complete,
        "ends_at": report.ends_at,
        "missing_issuer": report.missing_issuer,
        "trusted": report.trusted,
        "verification_error": report.verification_error,
        "leaf_matches_hostname": report.leaf_matches_hostname,
        "hostname_match_source": report.hostname_match_source,
        "cn_fallback_match": report.cn_fallback_match,
        "valid_at": report.valid_at,
        "not_yet_valid": report.not_yet_valid,
        "expired": report.expired,
        "days_left": report.days_left,
        "self_signed": report.self_signed,
        "key_type": report.key_type,
        "key_size": report.key_size,
        "signature_algorithm": report.signature_algorithm,
        "eku_server_auth": report.eku_server_auth,
        "certificates": [certificate_dict(c) for c in report.certificates],
    }


def anyconnect_dict(result: AnyConnectResult) -> JsonDict:
    return {
        "outcome": result.outcome,
        "tunnel_group": result.tunnel_group,
        "group_alias": result.group_alias,
        "auth_methods": list(result.auth_methods),
        "form_fields": list(result.form_fields),
        "group_list": list(result.group_list),
        "banner": result.banner,
        "message": result.message,
        "session_token_present": result.session_token_present,
        "certificate_round": result.certificate_round,
        "error": result.error,
        "http_status": result.http_status,
        "logged_out": result.logged_out,
        "request_path": result.request_path,
        "group_select": result.group_select,
        "handshake": handshake_dict(result.handshake) if result.handshake else None,
    }
