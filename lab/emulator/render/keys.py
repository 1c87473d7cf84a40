"""``show crypto key mypubkey rsa|ecdsa`` (asa-cli.md section 6.3)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization

from lab.emulator.device import Device, Keypair


def key_data_lines(keypair: Keypair) -> list[str]:
    """DER SubjectPublicKeyInfo: two-space indent, eight 8-hex-digit groups per line."""
    der = keypair.private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    text = der.hex()
    groups = [text[i : i + 8] for i in range(0, len(text), 8)]
    return ["  " + " ".join(groups[i : i + 8]) for i in range(0, len(groups), 8)]


def key_block(device: Device, keypair: Keypair) -> list[str]:
    size_label = "Modulus Size (bits)" if keypair.kind == "rsa" else "Key Size (bits)"
    return [
        f"Key pair was generated at: {device.clock.format_stamp(keypair.generated_at)}",
        f"Key name: {keypair.label}",
        " Usage: General Purpose Key",
        f" {size_label}: {keypair.size}",
        " Key Data:",
        "",
        *key_data_lines(keypair),
    ]


def show_crypto_key_mypubkey(device: Device, kind: str) -> list[str]:
    """Every keypair of that kind in the order generated, blocks separated by a blank line."""
    lines: list[str] = []
    for keypair in device.keypairs.values():
        if keypair.kind != kind:
            continue
        if lines:
            lines.append("")
        lines.extend(key_block(device, keypair))
    return lines
