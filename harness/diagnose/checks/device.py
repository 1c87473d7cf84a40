"""Findings that compare what is served with what the device holds: bindings and clock."""

from __future__ import annotations

import datetime as dt
import math

from cryptography import x509

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import DeviceTrustpoint, Evidence
from harness.diagnose.facts import (
    Settings,
    day,
    describe,
    nameif,
    served_certificates,
    served_leaf,
    serving_trustpoint,
)
from harness.diagnose.model import Diagnosis
from probes.certinfo import CertificateSummary, summarise
from probes.hostname import san_matches

#: Clock difference tolerated without a warning (SSH round trips and `show clock` rounding
#: stay far below it; NTP keeps real devices within milliseconds).
CLOCK_TOLERANCE = dt.timedelta(seconds=60)


def _problems(
    certificate: x509.Certificate, hostname: str, at: dt.datetime, settings: Settings
) -> dict[str, str]:
    """What makes a certificate unfit to serve ``hostname``, by kind, with its wording."""
    summary = summarise(certificate)
    found: dict[str, str] = {}
    if not san_matches(certificate, hostname):
        found["name"] = f"is not valid for {hostname}"
    if at < summary.not_before:
        found["not-yet-valid"] = f"is not valid before {day(summary.not_before)}"
    elif at > summary.not_after:
        found["expired"] = f"expired on {day(summary.not_after)}"
    elif (summary.not_after - at).days < settings.expiry_threshold_days:
        found["expiring"] = f"expires on {day(summary.not_after)}"
    if summary.self_signed:
        found["self-signed"] = "is self-signed"
    return found


def _binding(trustpoint: DeviceTrustpoint) -> str:
    if trustpoint.interfaces:
        return f"bound to {', '.join(trustpoint.interfaces)}"
    if trustpoint.domains:
        return f"bound only for the SNI name(s) {', '.join(trustpoint.domains)}"
    return "bound to no interface"


def trustpoint_not_bound(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    device, leaf, hostname = evidence.device, served_leaf(evidence), evidence.hostname
    if device is None or leaf is None or hostname is None:
        return []
    at = evidence.probe_clock
    served = summarise(leaf)
    served_problems = _problems(leaf, hostname, at, settings)
    candidates: list[tuple[DeviceTrustpoint, x509.Certificate]] = []
    for trustpoint in device.trustpoints:
        certificate = trustpoint.identity_certificate
        if certificate is None or summarise(certificate).sha256 == served.sha256:
            continue
        if set(_problems(certificate, hostname, at, settings)) < set(served_problems):
            candidates.append((trustpoint, certificate))
    if not candidates:
        return _rotation_pending(evidence, device.trustpoints, served, at, settings)
    best, certificate = max(candidates, key=lambda c: c[1].not_valid_after_utc)
    good = summarise(certificate)
    interface = nameif(evidence)
    serving = serving_trustpoint(evidence)
    served_by = (
        f"trustpoint {serving.name}'s certificate"
        if serving
        else "a certificate no trustpoint holds (the ASA's temporary self-signed one?)"
    )
    sni = evidence.handshake.sni if evidence.handshake else None
    facts = (
        f"served on {interface}: {describe(served)}",
        f"trustpoint {best.name}: {describe(good)}, valid until {day(good.not_after)}, "
        f"{_binding(best)}",
        f"probe SNI: {sni or 'none'}",
    )
    if (
        hostname.lower() in (d.lower() for d in best.domains)
        and (sni or "").lower() != hostname.lower()
    ):
        return [
            Diagnosis(
                codes.TRUSTPOINT_NOT_BOUND,
                "warning",
                f"{interface} serves {served_by} {describe(served)} to a client that sends "
                f"{'SNI ' + sni if sni else 'no SNI'}; trustpoint {best.name}, with a valid "
                f"certificate for {hostname}, is {_binding(best)} and reaches only clients that "
                "send that name. Bind it to the interface too for clients without SNI.",
                fixes.bind(best.name, interface),
                facts,
            )
        ]
    return [
        Diagnosis(
            codes.TRUSTPOINT_NOT_BOUND,
            "failure",
            f"{interface} serves {served_by} {describe(served)}, which "
            f"{' and '.join(served_problems.values())}; trustpoint {best.name} holds a valid "
            f"certificate for {hostname} ({describe(good)}, until {day(good.not_after)}) but is "
            f"{_binding(best)}. `ssl trust-point` still references the other trustpoint.",
            fixes.bind(best.name, interface),
            facts,
        )
    ]


def _rotation_pending(
    evidence: Evidence,
    trustpoints: tuple[DeviceTrustpoint, ...],
    served: CertificateSummary,
    at: dt.datetime,
    settings: Settings,
) -> list[Diagnosis]:
    hostname = evidence.hostname
    assert hostname is not None
    newer = [
        (tp, tp.identity_certificate)
        for tp in trustpoints
        if tp.identity_certificate is not None
        and not tp.bound
        and tp.identity_certificate.not_valid_after_utc > served.not_after
        and not _problems(tp.identity_certificate, hostname, at, settings)
    ]
    if not newer:
        return []
    trustpoint, certificate = max(newer, key=lambda c: c[1].not_valid_after_utc)
    summary = summarise(certificate)
    return [
        Diagnosis(
            codes.TRUSTPOINT_NOT_BOUND,
            "info",
            f"Trustpoint {trustpoint.name} holds a newer certificate for {hostname} "
            f"({describe(summary)}, until {day(summary.not_after)}) that is bound to no "
            f"interface; the served one runs until {day(served.not_after)}. A rotation "
            "staged but not cut over?",
            fixes.bind(trustpoint.name, nameif(evidence)),
            (f"served: {describe(served)}", f"unbound: {trustpoint.name}: {describe(summary)}"),
        )
    ]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _state(summary: CertificateSummary, at: dt.datetime) -> str:
    if at < summary.not_before:
        return "not yet valid"
    return "expired" if at > summary.not_after else "valid"


def _human(delta: dt.timedelta) -> str:
    seconds = abs(delta.total_seconds())
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{math.floor(seconds / 86400)} days"


def _certificates_to_compare(evidence: Evidence) -> list[tuple[str, x509.Certificate]]:
    found = [(f"served certificate #{i}", c) for i, c in enumerate(served_certificates(evidence))]
    if evidence.device is not None:
        for trustpoint in evidence.device.trustpoints:
            if trustpoint.identity_certificate is not None:
                found.append(
                    (f"trustpoint {trustpoint.name} identity", trustpoint.identity_certificate)
                )
            found.extend(
                (f"trustpoint {trustpoint.name} CA", c) for c in trustpoint.ca_certificates
            )
    if evidence.client_certificate is not None:
        found.append(("client certificate", evidence.client_certificate))
    return found


def clock_skew(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    device = evidence.device
    if device is None or device.clock is None:
        return []
    probe_now = _aware(evidence.probe_clock)
    skew = _aware(device.clock) - _aware(device.clock_read_at or evidence.probe_clock)
    device_now = probe_now + skew
    disagreements: list[str] = []
    seen: set[str] = set()
    for role, certificate in _certificates_to_compare(evidence):
        summary = summarise(certificate)
        if summary.sha256 in seen:
            continue
        seen.add(summary.sha256)
        for_probe, for_device = _state(summary, probe_now), _state(summary, device_now)
        if for_probe != for_device:
            disagreements.append(
                f"{role} {describe(summary)} ({day(summary.not_before)} to "
                f"{day(summary.not_after)}) is {for_probe} for the probe clock but "
                f"{for_device} for the device clock"
            )
    if abs(skew) <= CLOCK_TOLERANCE and not disagreements:
        return []
    direction = "ahead of" if skew > dt.timedelta(0) else "behind"
    base = (
        f"The device clock ({day(device_now)}) is {_human(skew)} {direction} the probe clock "
        f"({day(probe_now)})."
    )
    if disagreements:
        message = (
            f"{base} The ASA checks certificate dates against its own clock: "
            + "; ".join(disagreements)
            + "."
        )
    else:
        message = (
            f"{base} No certificate's validity depends on it yet, but the ASA checks "
            "certificate dates against its own clock: run NTP."
        )
    return [
        Diagnosis(
            codes.CLOCK_SKEW,
            "failure" if disagreements else "warning",
            message,
            fixes.set_clock(probe_now),
            (
                f"device clock: {device.clock.isoformat()}",
                f"skew: {skew.total_seconds():+.0f} s",
                *disagreements,
            ),
        )
    ]
