"""Plain-text rendering of a probe report: readable on a terminal and in a CI log alike."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from harness.diagnose.evidence import Evidence
from harness.diagnose.model import Diagnosis
from probes.anyconnect import AnyConnectResult
from probes.chain import ChainReport
from probes.tls import HandshakeResult

WIDTH = 100
_COLUMNS = ("#", "Subject", "Issuer", "Serial", "Not before", "Not after", "Days", "SHA-256")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _yes_no(value: bool | None, yes: str = "yes", no: str = "no", unknown: str = "unknown") -> str:
    return unknown if value is None else (yes if value else no)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {0, 6}
    lines = []
    for row in rows:
        cells = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def chain_table(chain: ChainReport) -> list[str]:
    rows: list[Sequence[str]] = [_COLUMNS]
    for index, summary in enumerate(chain.certificates):
        rows.append(
            (
                str(index),
                _cut(summary.subject, 36),
                _cut(summary.issuer, 36),
                _cut(summary.serial, 16),
                summary.not_before.strftime("%Y-%m-%d"),
                summary.not_after.strftime("%Y-%m-%d"),
                str((summary.not_after - chain.at).days),
                summary.sha256[:16],
            )
        )
    return _table(rows)


def _hostname_verdict(chain: ChainReport) -> str:
    if chain.hostname is None:
        return "not checked (no hostname)"
    if chain.leaf_matches_hostname:
        return f"matches {chain.hostname} (SAN)"
    if chain.cn_fallback_match:
        return f"does NOT match {chain.hostname} by SAN; matches only by CN (legacy fallback)"
    return f"does NOT match {chain.hostname}"


def _validity(chain: ChainReport) -> str:
    if chain.not_yet_valid:
        return "NOT YET VALID"
    if chain.expired:
        return f"EXPIRED ({-(chain.days_left or 0)} days ago)"
    return f"valid, {chain.days_left} days left"


def _eku(chain: ChainReport) -> str:
    if chain.eku_server_auth is None:
        return "any purpose (no EKU extension)"
    return "serverAuth" if chain.eku_server_auth else "no serverAuth in the EKU"


def verdicts(chain: ChainReport) -> list[str]:
    if not chain.certificates:
        return ["  no certificate was served"]
    if chain.complete:
        complete = f"yes, ends at {chain.ends_at}"
    elif chain.complete is False:
        complete = f"NO: missing issuer {chain.missing_issuer}"
    else:
        complete = "unknown"
    if chain.trusted is None:
        trusted = chain.verification_error or "not checked (no trust anchors given)"
    else:
        trusted = "yes" if chain.trusted else f"NO: {chain.verification_error}"
    pairs = [
        ("hostname", _hostname_verdict(chain)),
        ("chain order", _yes_no(chain.order_ok, "ok", "WRONG ORDER")),
        ("signatures", _yes_no(chain.each_signed_by_next, "each signed by the next", "BROKEN")),
        ("complete", complete),
        ("trusted", trusted),
        ("validity", _validity(chain)),
        ("self-signed", _yes_no(chain.self_signed)),
        ("leaf key", f"{chain.key_type} {chain.key_size}, {chain.signature_algorithm}"),
        ("EKU", _eku(chain)),
    ]
    return [f"  {name:<13} {value}" for name, value in pairs]


def handshake_lines(result: HandshakeResult, hostname: str | None) -> list[str]:
    lines = [
        f"Probe         {result.peer}  SNI {result.sni or 'none'}  hostname {hostname or 'none'}"
    ]
    if result.tls_version:
        timing = result.timings
        lines.append(
            f"TLS           {result.tls_version} {result.cipher or ''}  (connect "
            f"{timing.connect_ms} ms, handshake {timing.handshake_ms} ms)"
        )
    if result.client_cert_requested:
        names = "; ".join(result.client_ca_names) or "none listed"
        sent = "yes" if result.client_cert_sent else "no"
        lines.append(f"Client cert   requested (acceptable CAs: {names}); sent: {sent}")
    else:
        lines.append(f"Client cert   {_yes_no(result.client_cert_requested, '', 'not requested')}")
    if result.failure is not None:
        lines.append(f"FAILED        {result.failure.kind}: {result.failure.message}")
    return lines


def anyconnect_lines(result: AnyConnectResult) -> list[str]:
    group = result.tunnel_group or "not disclosed"
    if result.group_alias:
        group += f" (alias {result.group_alias})"
    logged_out = {True: "yes", False: "not acknowledged", None: "n/a"}[result.logged_out]
    pairs = [
        ("outcome", result.outcome + (f": {result.error}" if result.error else "")),
        ("tunnel-group", group),
        ("auth methods", ", ".join(result.auth_methods) or "none seen"),
        ("form fields", ", ".join(result.form_fields) or "none"),
        ("group list", ", ".join(result.group_list) or "none"),
        ("cert round", _yes_no(result.certificate_round)),
        (
            "session",
            f"token issued: {_yes_no(result.session_token_present)}; logged out: {logged_out}",
        ),
    ]
    if result.banner:
        pairs.append(("banner", _cut(result.banner, 80)))
    return ["AnyConnect", *(f"  {name:<13} {value}" for name, value in pairs)]


def diagnosis_lines(diagnoses: Sequence[Diagnosis]) -> list[str]:
    if not diagnoses:
        return ["Diagnoses", "  none"]
    lines = ["Diagnoses"]
    for diagnosis in diagnoses:
        lines.append(f"  {diagnosis.severity.upper():<8} {diagnosis.code}")
        lines.extend(
            textwrap.wrap(diagnosis.message, WIDTH, initial_indent="    ", subsequent_indent="    ")
        )
        if diagnosis.fix:
            lines.append("    fix:")
            lines.extend(f"      {line}" for line in diagnosis.fix)
    return lines


def render_report(evidence: Evidence, diagnoses: Sequence[Diagnosis]) -> str:
    lines: list[str] = []
    if evidence.handshake is not None:
        lines.extend(handshake_lines(evidence.handshake, evidence.hostname))
    if evidence.chain is not None and evidence.chain.certificates:
        lines.extend(["", "Served chain", *chain_table(evidence.chain)])
        lines.extend(["", "Verdicts", *verdicts(evidence.chain)])
    if evidence.anyconnect is not None:
        lines.extend(["", *anyconnect_lines(evidence.anyconnect)])
    lines.extend(["", *diagnosis_lines(diagnoses)])
    return "\n".join(lines) + "\n"
