"""Device facts gathered for diagnoses, and diagnoses turned into report records.

The device side is read with ordinary show commands (so it works on a real ASA):
``show clock`` for the device clock, ``show running-config`` for the certificates each
trustpoint holds (the hex chains) and the ``ssl trust-point`` bindings.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography.hazmat.primitives import serialization

from harness.device.readings import read_device_clock, read_running_config
from harness.device.session import CommandOutput
from harness.diagnose import (
    ConfigLine,
    DeviceFacts,
    DeviceTrustpoint,
    Diagnosis,
    Evidence,
    Expectations,
    diagnose,
)
from harness.run import config_facts
from harness.run.context import RunContext
from harness.run.results import DiagnosisRecord
from harness.scenario.model import ProbePayload
from lab.emulator.replica_standin import stands_in_for
from probes.anyconnect import AnyConnectResult
from probes.chain import ChainReport
from probes.names import display_name
from probes.tls import HandshakeResult


def device_facts(ctx: RunContext) -> DeviceFacts:
    config, _text = read_running_config(ctx.session)
    clock = read_device_clock(ctx.session, config.zone_offsets())
    read_at = dt.datetime.now(dt.UTC)
    lines = config.lines
    chains = config_facts.certificate_chains(lines)
    bindings = config_facts.ssl_bindings(lines)
    names = list(dict.fromkeys([*chains, *(b.trustpoint for b in bindings)]))
    trustpoints = tuple(
        DeviceTrustpoint(
            name=name,
            identity_certificate=chains[name].identity if name in chains else None,
            interfaces=tuple(
                b.nameif for b in bindings if b.trustpoint == name and b.nameif and not b.domain
            ),
            domains=tuple(b.domain for b in bindings if b.trustpoint == name and b.domain),
            ca_certificates=tuple(chains[name].cas) if name in chains else (),
        )
        for name in names
    )
    return DeviceFacts(
        clock=clock,
        clock_read_at=read_at,
        trustpoints=trustpoints,
        config_lines=config_facts.config_lines(lines),
    )


def _fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def served_trustpoint_matches(
    facts: DeviceFacts, trustpoint: str, result: HandshakeResult
) -> tuple[bool, str]:
    """Is the served leaf the identity certificate the device holds in ``trustpoint``?"""
    held = next((tp for tp in facts.trustpoints if tp.name == trustpoint), None)
    if not result.served_chain:
        return False, "the server sent no certificate"
    leaf = result.served_chain[0]
    served = _fingerprint(leaf.public_bytes(serialization.Encoding.DER))
    served_text = f"served leaf {display_name(leaf.subject)} SHA-256 {served[:16]}..."
    if held is None or held.identity_certificate is None:
        return (
            False,
            f"{served_text}; the device's running-config has no identity certificate in "
            f"trustpoint {trustpoint}",
        )
    expected = _fingerprint(held.identity_certificate.public_bytes(serialization.Encoding.DER))
    if stands_in_for(leaf, held.identity_certificate):
        # A replica without the production key serves a labelled stand-in for the trustpoint.
        return True, (
            f"{served_text} is the replica's STAND-IN for trustpoint {trustpoint} (no private "
            f"key was supplied for it; the production certificate is SHA-256 {expected[:16]}...)"
        )
    owner = next(
        (
            tp.name
            for tp in facts.trustpoints
            if tp.identity_certificate is not None and tp.identity_certificate == leaf
        ),
        None,
    )
    where = f" (it is trustpoint {owner}'s certificate)" if owner and owner != trustpoint else ""
    return (
        served == expected,
        f"{served_text}{where}; trustpoint {trustpoint} holds SHA-256 {expected[:16]}...",
    )


def _record(diagnosis: Diagnosis, expected_codes: list[str]) -> DiagnosisRecord:
    return DiagnosisRecord(
        code=diagnosis.code,
        severity=diagnosis.severity,
        message=diagnosis.message,
        fix="\n".join(diagnosis.fix),
        expected=diagnosis.code in expected_codes,
    )


def diagnose_probe(
    payload: ProbePayload,
    *,
    handshake: HandshakeResult,
    chain: ChainReport | None,
    anyconnect: AnyConnectResult | None,
    facts: DeviceFacts | None,
    probe_clock: dt.datetime,
    client_certificate: object = None,
) -> tuple[DiagnosisRecord, ...]:
    intent = payload.intent
    expectations = Expectations(
        tunnel_group=intent.tunnel_group or payload.expect.tunnel_group,
        client_cert_request=(
            intent.client_cert_requested
            if intent.client_cert_requested is not None
            else payload.expect.client_cert_requested
        ),
    )
    evidence = Evidence(
        probe_clock=probe_clock,
        hostname=payload.hostname or payload.sni,
        handshake=handshake,
        chain=chain,
        anyconnect=anyconnect,
        interface=payload.interface,
        client_certificate=client_certificate,  # type: ignore[arg-type]
        device=facts,
        expectations=expectations,
    )
    found = diagnose(evidence, profile=payload.profile)
    return tuple(_record(d, list(payload.expect.diagnoses)) for d in found)


def diagnose_rejected_lines(
    sent: list[tuple[str | None, CommandOutput]], *, expected_codes: list[str]
) -> tuple[DiagnosisRecord, ...]:
    """Explain lines the device rejected (``sent``: (parent block header, output) pairs)."""
    lines = tuple(
        ConfigLine(
            output.command.rstrip(), output.output, parent=parent, rejected=output.error is not None
        )
        for parent, output in sent
    )
    evidence = Evidence(probe_clock=dt.datetime.now(dt.UTC), device=DeviceFacts(config_lines=lines))
    return tuple(_record(d, expected_codes) for d in diagnose(evidence))
