"""``show running-config`` (asa-cli.md section 9): the whole frame, or selected sections.

The configuration is built as blocks (a top-level line and its indented children) so
that ``show running-config <section>`` can select blocks, and so that the text replays
through the CLI unchanged (boot = replay).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization

from lab.emulator import certs
from lab.emulator.device import Device, Trustpoint, TunnelGroup
from lab.emulator.render.version import ASA_VERSION, HARDWARE


@dataclass
class Block:
    line: str
    children: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [self.line, *self.children]


def _interfaces(device: Device) -> list[Block]:
    blocks: list[Block] = []
    for interface in device.interfaces.values():
        children: list[str] = []
        if interface.shutdown:
            children.append(" shutdown")
        if interface.nameif:
            children.append(f" nameif {interface.nameif}")
        else:
            children.append(" no nameif")
        if interface.security_level is not None:
            children.append(f" security-level {interface.security_level}")
        else:
            children.append(" no security-level")
        if interface.ip_address:
            children.append(f" ip address {interface.ip_address} {interface.netmask}")
        else:
            children.append(" no ip address")
        children.extend(f" {line}" for line in interface.extra_lines)
        blocks.append(Block(f"interface {interface.hardware_name}", children))
        blocks.append(Block("!"))
    return blocks


def _trustpoint_children(tp: Trustpoint) -> list[str]:
    """Sub-command order [RECONSTRUCTED] beyond the captured enrollment/fqdn/subject-name/
    keypair/crl configure and subject-name/ip-address/crl configure sequences."""
    children: list[str] = []
    if tp.enrollment == "url":
        children.append(f" enrollment url {tp.enrollment_url}")
    elif tp.enrollment:
        children.append(f" enrollment {tp.enrollment}")
    if tp.fqdn:
        children.append(f" fqdn {tp.fqdn}")
    if tp.subject_name:
        children.append(f" subject-name {tp.subject_name}")
    if tp.ip_address:
        children.append(f" ip-address {tp.ip_address}")
    if tp.keypair:
        children.append(f" keypair {tp.keypair}")
    if tp.id_usage:
        children.append(f" id-usage {tp.id_usage}")
    if tp.validation_usage == "":
        children.append(" no validation-usage")
    elif tp.validation_usage:
        children.append(f" validation-usage {tp.validation_usage}")
    if tp.revocation_check:
        children.append(f" revocation-check {tp.revocation_check}")
    if not tp.ca_check:
        children.append(" no ca-check")
    if tp.proxy_ldc_issuer:
        children.append(" proxy-ldc-issuer")
    if tp.client_types:
        children.append(f" client-types {tp.client_types}")
    children.extend(f" {line}" for line in tp.extra_lines)
    if tp.crl_configure:
        children.append(" crl configure")
    return children


def _trustpoints(device: Device) -> list[Block]:
    return [
        Block(f"crypto ca trustpoint {tp.name}", _trustpoint_children(tp))
        for tp in device.trustpoints.values()
    ]


def _certificate_chains(device: Device) -> list[Block]:
    blocks: list[Block] = []
    for tp in device.trustpoints.values():
        children: list[str] = []
        if tp.identity_certificate is not None:
            children.append(f" certificate {certs.serial_hex(tp.identity_certificate)}")
            der = tp.identity_certificate.public_bytes(serialization.Encoding.DER)
            children.extend(certs.hex_block(der))
            children.append("  quit")
        for ca in tp.ca_certificates:
            children.append(f" certificate ca {certs.serial_hex(ca)}")
            children.extend(certs.hex_block(ca.public_bytes(serialization.Encoding.DER)))
            children.append("  quit")
        if children:
            blocks.append(Block(f"crypto ca certificate chain {tp.name}", children))
    return blocks


def _certificate_maps(device: Device) -> list[Block]:
    """Maps in the order they were created, each map's sequences ascending."""
    names = list(dict.fromkeys(name for name, _ in device.certificate_maps))
    entries = sorted(
        device.certificate_maps.values(), key=lambda e: (names.index(e.map_name), e.sequence)
    )
    return [
        Block(
            f"crypto ca certificate map {entry.map_name} {entry.sequence}",
            [f" {rule.config_line()}" for rule in entry.rules],
        )
        for entry in entries
    ]


def _ikev2(device: Device) -> list[Block]:
    blocks = [
        Block(f"crypto ikev2 enable {nameif} client-services port 443")
        for nameif in device.ikev2_enabled_interfaces
    ]
    if device.ikev2_remote_access_trustpoint:
        blocks.append(
            Block(f"crypto ikev2 remote-access trustpoint {device.ikev2_remote_access_trustpoint}")
        )
    return blocks


def _ssl(device: Device) -> list[Block]:
    settings = device.ssl
    blocks = [Block(line) for line in settings.extra_lines]
    if settings.global_trustpoint:
        blocks.append(Block(f"ssl trust-point {settings.global_trustpoint}"))
    blocks.extend(
        Block(f"ssl trust-point {tp} {nameif}")
        for nameif, tp in settings.interface_trustpoints.items()
    )
    for fqdn, (tp, nameif) in settings.domain_trustpoints.items():
        where = f" {nameif}" if nameif else ""
        blocks.append(Block(f"ssl trust-point {tp}{where} domain {fqdn}"))
    return blocks


def _webvpn(device: Device) -> list[Block]:
    webvpn = device.webvpn
    if not webvpn.configured:
        return []
    children = [f" enable {nameif}" for nameif in webvpn.enabled_interfaces]
    children.extend(f" {line}" for line in webvpn.extra_lines)
    if webvpn.anyconnect_enable:
        children.append(" anyconnect enable")
    if webvpn.tunnel_group_list_enable:
        children.append(" tunnel-group-list enable")
    if webvpn.prefer_group_url:
        children.append(" tunnel-group-preference group-url")
    children.extend(
        f" certificate-group-map {m.map_name} {m.sequence} {m.tunnel_group}"
        for m in webvpn.certificate_group_maps
    )
    return [Block("webvpn", children)]


def _group_policies(device: Device) -> list[Block]:
    blocks: list[Block] = []
    for policy in device.group_policies.values():
        if policy.kind == "internal":
            blocks.append(Block(f"group-policy {policy.name} internal"))
        elif policy.kind == "external":
            blocks.append(
                Block(
                    f"group-policy {policy.name} external server-group "
                    f"{policy.external_server_group}"
                )
            )
        children = [f" {line}" for line in policy.attribute_lines]
        if policy.webvpn_lines:
            children.append(" webvpn")
            children.extend(f"  {line}" for line in policy.webvpn_lines)
        if children:
            blocks.append(Block(f"group-policy {policy.name} attributes", children))
    return blocks


def _users(device: Device) -> list[Block]:
    blocks: list[Block] = []
    for user in device.users.values():
        # privilege 2 is the default and is not shown [RECONSTRUCTED]
        privilege = f" privilege {user.privilege}" if user.privilege != 2 else ""
        if user.password_hash is None:
            blocks.append(Block(f"username {user.name} nopassword{privilege}"))
        else:
            blocks.append(
                Block(f"username {user.name} password {user.password_hash} pbkdf2{privilege}")
            )
        if user.attributes:
            blocks.append(
                Block(f"username {user.name} attributes", [f" {line}" for line in user.attributes])
            )
    return blocks


def _address_pools(device: Device) -> list[Block]:
    return [
        Block(
            f"ip local pool {pool.name} {pool.first}-{pool.last}"
            + (f" mask {pool.mask}" if pool.mask else "")
        )
        for pool in device.address_pools.values()
    ]


def _tunnel_group_blocks(group: TunnelGroup) -> list[Block]:
    blocks: list[Block] = []
    if not group.is_default:
        blocks.append(Block(f"tunnel-group {group.name} type {group.type}"))
    general: list[str] = []
    if group.address_pool:
        general.append(f" address-pool {group.address_pool}")
    if group.authentication_server_group:
        general.append(f" authentication-server-group {group.authentication_server_group}")
    if group.authorization_server_group:
        general.append(f" authorization-server-group {group.authorization_server_group}")
    if group.default_group_policy:
        general.append(f" default-group-policy {group.default_group_policy}")
    if group.username_from_certificate:
        general.append(f" username-from-certificate {group.username_from_certificate}")
    if group.secondary_username_from_certificate:
        general.append(
            f" secondary-username-from-certificate {group.secondary_username_from_certificate}"
        )
    if group.strip_realm:
        general.append(" strip-realm")
    if group.strip_group:
        general.append(" strip-group")
    general.extend(f" {line}" for line in group.general_extra)
    if general:
        blocks.append(Block(f"tunnel-group {group.name} general-attributes", general))
    webvpn: list[str] = []
    if group.authentication != "aaa":
        webvpn.append(f" authentication {group.authentication}")
    webvpn.extend(f" {line}" for line in group.webvpn_extra)
    webvpn.extend(
        f" group-alias {alias} {'enable' if on else 'disable'}"
        for alias, on in group.group_aliases.items()
    )
    webvpn.extend(
        f" group-url {url} {'enable' if on else 'disable'}" for url, on in group.group_urls.items()
    )
    if webvpn:
        blocks.append(Block(f"tunnel-group {group.name} webvpn-attributes", webvpn))
    if group.ipsec_lines:
        blocks.append(
            Block(
                f"tunnel-group {group.name} ipsec-attributes",
                [f" {line}" for line in group.ipsec_lines],
            )
        )
    return blocks


def _tunnel_group_map(device: Device) -> list[Block]:
    settings = device.tunnel_group_map
    blocks: list[Block] = []
    if settings.enable_rules:
        blocks.append(Block("tunnel-group-map enable rules"))
    if not settings.enable_ou:
        blocks.append(Block("no tunnel-group-map enable ou"))
    if settings.enable_ike_id:
        blocks.append(Block("tunnel-group-map enable ike-id"))
    if not settings.enable_peer_ip:
        blocks.append(Block("no tunnel-group-map enable peer-ip"))
    blocks.extend(
        Block(f"tunnel-group-map {e.map_name} {e.sequence} {e.tunnel_group}")
        for e in settings.entries
    )
    if settings.default_group:
        sequence = settings.default_group_sequence
        where = f" {sequence}" if sequence is not None else ""
        blocks.append(Block(f"tunnel-group-map{where} default-group {settings.default_group}"))
    return blocks


def config_blocks(device: Device) -> list[Block]:
    """The configuration body (between ``ASA Version`` and ``Cryptochecksum``)."""
    blocks = [Block(f"hostname {device.hostname}")]
    if device.domain_name:
        blocks.append(Block(f"domain-name {device.domain_name}"))
    blocks.append(Block("!"))
    blocks.extend(_interfaces(device))
    clock_line = device.clock.config_line()
    if clock_line:
        blocks.append(Block(clock_line))
    blocks.extend(Block(line) for line in device.unmodelled_lines)
    blocks.extend(_address_pools(device))
    blocks.extend(_trustpoints(device))
    if device.trustpoints:
        blocks.append(Block("crypto ca trustpool policy"))
    blocks.extend(_certificate_chains(device))
    blocks.extend(_certificate_maps(device))
    blocks.extend(_ikev2(device))
    blocks.extend(_ssl(device))
    blocks.extend(_webvpn(device))
    blocks.extend(_group_policies(device))
    blocks.extend(_users(device))
    for group in device.tunnel_groups.values():
        blocks.extend(_tunnel_group_blocks(group))
    blocks.extend(_tunnel_group_map(device))
    blocks.append(Block("!"))
    return blocks


def body_lines(device: Device) -> list[str]:
    return [line for block in config_blocks(device) for line in block.lines()]


def checksum(lines: Iterable[str]) -> str:
    return hashlib.md5("\n".join(lines).encode()).hexdigest()


def running_config(device: Device) -> list[str]:
    body = [f"ASA Version {ASA_VERSION}", "!", *body_lines(device)]
    return [
        ": Saved",
        "",
        ":",
        f": Serial Number: {device.serial_number}",
        f": Hardware:   {HARDWARE}",
        ":",
        *body,
        f"Cryptochecksum:{checksum(body)}",
        ": end",
    ]


def running_config_section(device: Device, words: list[str]) -> list[str]:
    """The blocks whose first line starts with ``words`` (abbreviations allowed)."""
    wanted = [w.lower() for w in words]
    blocks = [b for b in config_blocks(device) if b.line != "!"]
    exact_last = any(_matches(b.line, wanted, exact_last=True) for b in blocks)
    return [
        line
        for block in blocks
        if _matches(block.line, wanted, exact_last=exact_last)
        for line in block.lines()
    ]


def _matches(line: str, wanted: list[str], *, exact_last: bool) -> bool:
    words = line.lower().split()
    if line.lower().startswith("no "):
        words = words[1:]
    if len(words) < len(wanted):
        return False
    for index, word in enumerate(wanted):
        last = index == len(wanted) - 1
        if last and exact_last:
            if words[index] != word:
                return False
        elif not words[index].startswith(word):
            return False
    return True
