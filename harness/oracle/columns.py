"""The columns of the matrix: every interface with ``webvpn`` / ``enable`` × every SNI name
that has an ``ssl trust-point ... domain`` binding usable there, and no SNI at all."""

from __future__ import annotations

from collections.abc import Sequence

from harness.oracle.records import Column
from lab.emulator.device import Device


def sni_names(device: Device, nameif: str) -> list[str]:
    """The bound domain names a client may send on ``nameif``, in configuration order."""
    return [
        fqdn
        for fqdn, (_, bound) in device.ssl.domain_trustpoints.items()
        if bound is None or bound == nameif
    ]


def audit_columns(
    device: Device,
    *,
    interfaces: Sequence[str] | None = None,
    snis: Sequence[str | None] | None = None,
) -> tuple[Column, ...]:
    """The columns, optionally narrowed to some interfaces and some SNI values
    (None in ``snis`` stands for the ClientHello without SNI)."""
    wanted_snis = None if snis is None else {s.lower() if s else None for s in snis}
    columns: list[Column] = []
    for nameif in device.webvpn_nameifs():
        if interfaces is not None and nameif not in interfaces:
            continue
        for sni in [None, *sni_names(device, nameif)]:
            if wanted_snis is None or sni in wanted_snis:
                columns.append(Column(nameif, sni))
    return tuple(columns)
