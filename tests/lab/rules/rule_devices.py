"""Devices for the rule tests, built directly on the model (no CLI): the rules are pure
functions of a Device, exactly what the oracle will hand them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from cryptography import x509

from harness.pki import CertificateAuthority, LabCA
from lab.emulator.device import (
    CertificateGroupMap,
    CertificateMapEntry,
    CertificateMapRule,
    CertMapField,
    CertMapOperator,
    Device,
    Interface,
    Trustpoint,
    TunnelGroup,
    TunnelGroupType,
    WebvpnAuth,
)


@dataclass(frozen=True)
class RulePki:
    root: LabCA
    issuing: CertificateAuthority
    stranger: LabCA


def webvpn_device(*nameifs: str) -> Device:
    """A device whose interfaces exist and have ``webvpn`` / ``enable``."""
    device = Device()
    for index, nameif in enumerate(nameifs or ("outside",)):
        device.interfaces[f"GigabitEthernet0/{index}"] = Interface(
            f"GigabitEthernet0/{index}", nameif=nameif
        )
        device.webvpn.enabled_interfaces.append(nameif)
    return device


def add_ca_trustpoint(
    device: Device, name: str, *cas: x509.Certificate, validation_usage: str | None = None
) -> Trustpoint:
    tp = Trustpoint(name, enrollment="terminal", validation_usage=validation_usage)
    tp.ca_certificates.extend(cas)
    device.trustpoints[name] = tp
    return tp


def add_group(
    device: Device,
    name: str,
    *,
    authentication: WebvpnAuth = "aaa",
    aliases: dict[str, bool] | None = None,
    urls: dict[str, bool] | None = None,
    kind: TunnelGroupType = "remote-access",
) -> TunnelGroup:
    group = TunnelGroup(name, authentication=authentication)
    group.type = kind
    group.group_aliases.update(aliases or {})
    group.group_urls.update(urls or {})
    device.tunnel_groups[name] = group
    return group


def criterion(line: str) -> CertificateMapRule:
    """``subject-name attr ou eq contractors`` -> the stored rule (values lower-cased, as
    the device keeps them)."""
    words = line.lower().split()
    field = cast(CertMapField, words[0])
    attribute = None
    if len(words) > 1 and words[1] == "attr":
        attribute = words[2]
        words = [words[0], *words[3:]]
    operator = cast(CertMapOperator, words[1])
    return CertificateMapRule(field, operator, " ".join(words[2:]), attribute)


def add_map(device: Device, name: str, sequence: int, *lines: str) -> CertificateMapEntry:
    entry = CertificateMapEntry(name, sequence, [criterion(line) for line in lines])
    device.certificate_maps[(name, sequence)] = entry
    return entry


def route_ssl(device: Device, name: str, sequence: int, group: str) -> None:
    """``webvpn`` / ``certificate-group-map NAME SEQ GROUP``."""
    device.webvpn.certificate_group_maps.append(CertificateGroupMap(name, sequence, group))


def route_ike(device: Device, name: str, sequence: int, group: str) -> None:
    """``tunnel-group-map NAME SEQ GROUP`` (the article's command)."""
    device.tunnel_group_map.enable_rules = True
    device.tunnel_group_map.entries.append(CertificateGroupMap(name, sequence, group))
