"""``probe`` step: a real TLS handshake (and optionally the AnyConnect exchange) against an
interface, the served chain analysed, diagnoses with device evidence, expectations checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from cryptography.x509.oid import NameOID

from harness.diagnose import DeviceFacts
from harness.errors import StepError
from harness.parse import ParseError, VpnSessionRecord, parse
from harness.run.context import RunContext
from harness.run.evidence import device_facts, diagnose_probe, served_trustpoint_matches
from harness.run.steps.outcome import StepOutcome
from harness.run.tables import chain_rows
from harness.scenario.model import ProbeExpect, ProbePayload, ProbeStep
from probes.anyconnect import AnyConnectResult, discover
from probes.chain import ChainReport, analyse
from probes.tls import ClientIdentity, HandshakeResult, handshake


def _address(payload: ProbePayload, ctx: RunContext) -> tuple[str, int]:
    if payload.interface is not None:
        return ctx.access.interface(payload.interface)
    assert payload.address is not None
    host, _, port = payload.address.rpartition(":")
    if not port.isdigit():
        raise StepError(f"probe address {payload.address!r} must be HOST:PORT")
    return host.strip("[]"), int(port)


def _client(payload: ProbePayload, ctx: RunContext) -> ClientIdentity | None:
    if payload.client is None:
        return None
    identity = ctx.pki.identity(payload.client)
    return ClientIdentity.from_objects(identity.certificate, identity.private_key, identity.chain)


def run(step: ProbeStep, ctx: RunContext) -> StepOutcome:
    payload = step.probe
    host, port = _address(payload, ctx)
    hostname = payload.hostname or payload.sni
    client = _client(payload, ctx)
    anchors = [ctx.pki.ca(name).certificate for name in payload.trust]
    result = handshake(host, port, sni=payload.sni, client_identity=client, timeout=payload.timeout)
    probe_clock = dt.datetime.now(dt.UTC)
    report = (
        analyse(result.served_chain, hostname=hostname, trust_anchors=anchors, at=probe_clock)
        if result.served_chain
        else None
    )
    anyconnect: AnyConnectResult | None = None
    if payload.anyconnect is not None and result.ok:
        anyconnect = discover(
            host,
            port,
            sni=payload.sni,
            client_identity=client,
            group_url_path=payload.anyconnect.group_url,
            group_select=payload.anyconnect.group,
            timeout=payload.timeout,
            # A certificate-only login may complete without naming its tunnel-group; then the
            # session is looked up on the device before it is logged off there.
            logout=client is None,
        )
        if client is not None:
            anyconnect = _with_session_tunnel_group(ctx, anyconnect, client)
    facts = device_facts(ctx)
    outcome = StepOutcome()
    outcome.chain = chain_rows(report, probe_clock) if report else ()
    outcome.facts.update(_facts(result, report, anyconnect, host, port, payload))
    outcome.diagnoses = diagnose_probe(
        payload,
        handshake=result,
        chain=report,
        anyconnect=anyconnect,
        facts=facts,
        probe_clock=probe_clock,
        client_certificate=client.certificate if client else None,
    )
    _check(outcome, payload.expect, result, report, anyconnect, facts)
    where = payload.interface or payload.address
    outcome.summary = (
        f"{where} ({host}:{port}) SNI {payload.sni or '-'}: "
        + (
            f"{result.tls_version}, {len(result.served_chain)} certificate(s)"
            if result.ok
            else f"handshake failed ({result.failure.message if result.failure else '?'})"
        )
        + (
            f", AnyConnect {anyconnect.outcome} {anyconnect.tunnel_group or ''}".rstrip()
            if anyconnect
            else ""
        )
    )
    return outcome


def _with_session_tunnel_group(
    ctx: RunContext, anyconnect: AnyConnectResult, client: ClientIdentity
) -> AnyConnectResult:
    """Where ``complete`` did not disclose the group, read it from ``show vpn-sessiondb
    anyconnect`` (anyconnect-protocol.md section 12), then log the session off device-side."""
    if not anyconnect.session_token_present:
        return anyconnect
    output = ctx.session.exec("show vpn-sessiondb anyconnect")
    try:
        sessions = parse("show vpn-sessiondb anyconnect", output.output)
    except ParseError:
        return anyconnect
    assert isinstance(sessions, list)
    names = {
        str(a.value) for a in client.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    }
    mine = [s for s in sessions if isinstance(s, VpnSessionRecord) and s.username in names]
    if not mine:
        return anyconnect
    newest = max(mine, key=lambda s: s.index)
    ctx.session.exec(f"vpn-sessiondb logoff index {newest.index} noconfirm")
    if anyconnect.tunnel_group is not None:
        return anyconnect
    return dataclasses.replace(anyconnect, tunnel_group=newest.tunnel_group, logged_out=True)


def _facts(
    result: HandshakeResult,
    report: ChainReport | None,
    anyconnect: AnyConnectResult | None,
    host: str,
    port: int,
    payload: ProbePayload,
) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "address": f"{host}:{port}",
        "sni": payload.sni,
        "handshake_ok": result.ok,
        "tls_version": result.tls_version,
        "cipher": result.cipher,
        "client_cert_requested": result.client_cert_requested,
        "client_ca_names": list(result.client_ca_names),
        "failure": result.failure.message if result.failure else None,
    }
    if report is not None:
        facts.update(
            hostname_match=report.leaf_matches_hostname,
            hostname_match_source=report.hostname_match_source,
            chain_complete=report.complete,
            trusted=report.trusted,
            missing_issuer=report.missing_issuer,
            order_ok=report.order_ok,
            self_signed=report.self_signed,
            days_left=report.days_left,
        )
    if anyconnect is not None:
        facts["anyconnect"] = {
            "outcome": anyconnect.outcome,
            "tunnel_group": anyconnect.tunnel_group,
            "group_alias": anyconnect.group_alias,
            "auth_methods": list(anyconnect.auth_methods),
            "group_list": list(anyconnect.group_list),
            "error": anyconnect.error,
        }
    return facts


def _check(
    outcome: StepOutcome,
    expect: ProbeExpect,
    result: HandshakeResult,
    report: ChainReport | None,
    anyconnect: AnyConnectResult | None,
    facts: DeviceFacts,
) -> None:
    failure = result.failure.message if result.failure else ""
    if expect.handshake_ok is not None:
        outcome.check("TLS handshake completes", expect.handshake_ok, result.ok, evidence=failure)
    elif not result.ok:
        outcome.check("TLS handshake completes", True, False, evidence=failure)
        return
    leaf = report.leaf if report else None
    if expect.served_trustpoint is not None:
        matches, evidence = served_trustpoint_matches(facts, expect.served_trustpoint, result)
        outcome.check(
            f"served leaf is trustpoint {expect.served_trustpoint}'s certificate",
            True,
            matches,
            evidence=evidence,
        )
    simple: list[tuple[str, Any, Any, str]] = []
    if report is not None:
        simple += [
            (
                "leaf matches hostname",
                expect.hostname_match,
                report.leaf_matches_hostname,
                f"SAN {list(leaf.sans) if leaf else []}, subject {leaf.subject if leaf else '-'}",
            ),
            (
                "leaf is self-signed",
                expect.self_signed,
                report.self_signed,
                leaf.issuer if leaf else "",
            ),
            (
                "chain is complete",
                expect.chain_complete,
                report.complete,
                f"missing issuer: {report.missing_issuer}",
            ),
            (
                "chain reaches a trusted anchor",
                expect.trusted,
                report.trusted,
                report.verification_error or "",
            ),
            ("missing issuer", expect.missing_issuer, report.missing_issuer, ""),
            (
                "valid now",
                expect.valid,
                report.valid_at,
                f"{leaf.not_before} .. {leaf.not_after}" if leaf else "",
            ),
            (
                "leaf common name",
                expect.leaf_common_name,
                _common_name(leaf.subject) if leaf else None,
                leaf.subject if leaf else "",
            ),
            ("certificates served", expect.chain_length, len(result.served_chain), ""),
        ]
        if expect.days_left_min is not None:
            outcome.check(
                f"at least {expect.days_left_min} days left",
                True,
                report.days_left is not None and report.days_left >= expect.days_left_min,
                evidence=f"days left: {report.days_left}",
            )
    simple.append(
        (
            "client certificate requested",
            expect.client_cert_requested,
            result.client_cert_requested,
            ", ".join(result.client_ca_names),
        )
    )
    for name, expected, actual, evidence in simple:
        if expected is not None:
            outcome.check(name, expected, actual, evidence=evidence)
    for name in expect.client_ca_names_include:
        listed = any(name.lower() in ca.lower() for ca in result.client_ca_names)
        outcome.check(
            f"acceptable CA list names {name}",
            True,
            listed,
            evidence="; ".join(result.client_ca_names) or "(empty)",
        )
    if expect.outcome or expect.tunnel_group or expect.group_alias:
        if anyconnect is None:
            outcome.check(
                "AnyConnect exchange ran",
                True,
                False,
                evidence="add anyconnect: {} to the probe step",
            )
        else:
            evidence = anyconnect.error or ""
            if expect.outcome:
                outcome.check(
                    "AnyConnect outcome", expect.outcome, anyconnect.outcome, evidence=evidence
                )
            if expect.tunnel_group:
                outcome.check(
                    "tunnel-group", expect.tunnel_group, anyconnect.tunnel_group, evidence=evidence
                )
            if expect.group_alias:
                outcome.check(
                    "group-alias", expect.group_alias, anyconnect.group_alias, evidence=evidence
                )
    found = {d.code for d in outcome.diagnoses}
    for code in expect.diagnoses:
        outcome.check(
            f"diagnosis {code}",
            "present",
            "present" if code in found else "absent",
            evidence=", ".join(sorted(found)) or "no diagnoses",
        )
    for code in expect.absent_diagnoses:
        outcome.check(
            f"no diagnosis {code}",
            "absent",
            "present" if code in found else "absent",
            evidence=", ".join(sorted(found)) or "no diagnoses",
        )


def _common_name(subject: str) -> str | None:
    for part in subject.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN":
            return value.strip()
    return None
