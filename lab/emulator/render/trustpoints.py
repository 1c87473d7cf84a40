"""``show crypto ca trustpoints [TP]`` (asa-cli.md section 4; the whole layout is
[RECONSTRUCTED])."""

from __future__ import annotations

from lab.emulator import certs
from lab.emulator.device import Device, Trustpoint


def trustpoint_block(device: Device, tp: Trustpoint) -> list[str]:
    lines = ["", f"Trustpoint {tp.name}:"]
    if tp.enrollment == "self" and not tp.ca_certificates:
        lines.append("    Configured for self-signed certificate generation.")
        return lines
    if not tp.ca_certificates:
        lines.append("    Not authenticated.")
        return lines
    ca = tp.ca_certificates[0]
    lines.append("    Subject Name:")
    lines.extend(f"    {line}" for line in certs.dn_lines(ca.subject, device.profile))
    lines.append(f"          Serial Number: {certs.serial_hex(ca)}")
    lines.append("    Certificate configured.")
    return lines


def show_crypto_ca_trustpoints(device: Device, name: str | None = None) -> list[str]:
    names = [name] if name else list(device.trustpoints)
    lines: list[str] = []
    for tp_name in names:
        tp = device.trustpoints.get(tp_name)
        if tp is not None:
            lines.extend(trustpoint_block(device, tp))
    return lines
