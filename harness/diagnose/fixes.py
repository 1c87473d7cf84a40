"""The ASA command sequences the diagnoses propose, written as the article and ASA guides do."""

from __future__ import annotations

import datetime as dt

from harness.diagnose.facts import suggested_trustpoint
from probes.network import is_ip_address


def enroll_ca_signed(
    hostname: str | None, nameif: str, trustpoint: str | None = None
) -> tuple[str, ...]:
    """Article Step 2b: keypair, trustpoint, CA chain, CSR, import, bind."""
    trustpoint = trustpoint or suggested_trustpoint(hostname)
    keypair = f"{trustpoint}-KEY"
    name = hostname or "<fqdn>"
    identity = (f" ip-address {name}",) if is_ip_address(name) else (f" fqdn {name}",)
    return (
        f"crypto key generate rsa label {keypair} modulus 2048 noconfirm",
        f"crypto ca trustpoint {trustpoint}",
        " enrollment terminal",
        *identity,
        f" subject-name CN={name}",
        f" keypair {keypair}",
        " exit",
        f"crypto ca authenticate {trustpoint}",
        "! paste the issuing CA certificate, end with quit, accept it",
        f"crypto ca enroll {trustpoint}",
        "! have the CA sign the request printed, then:",
        f"crypto ca import {trustpoint} certificate",
        f"ssl trust-point {trustpoint} {nameif}",
    )


def bind(trustpoint: str, nameif: str, domain: str | None = None) -> tuple[str, ...]:
    suffix = f" domain {domain}" if domain else ""
    return (f"ssl trust-point {trustpoint} {nameif}{suffix}", "show ssl")


def authenticate_ca(trustpoint: str, ca_name: str, *, new: bool) -> tuple[str, ...]:
    header = (f"crypto ca trustpoint {trustpoint}", " enrollment terminal", " exit") if new else ()
    return (
        *header,
        f"crypto ca authenticate {trustpoint}",
        f"! paste the PEM certificate of {ca_name}, end with quit, accept it",
    )


def set_clock(now: dt.datetime) -> tuple[str, ...]:
    return (
        "ntp server <ntp-server-address> prefer",
        "! or, without NTP, in privileged EXEC mode (time in the ASA's clock timezone):",
        f"clock set {now:%H:%M:%S} {now:%b} {now.day} {now.year}",
        "show clock",
    )


def webvpn_authentication(tunnel_group: str, method: str) -> tuple[str, ...]:
    return (f"tunnel-group {tunnel_group} webvpn-attributes", f" authentication {method}")


def certificate_group_map(
    map_name: str, sequence: int, tunnel_group: str, rule: str | None
) -> tuple[str, ...]:
    criteria = (f" {rule}", " exit") if rule else (" exit",)
    return (
        f"crypto ca certificate map {map_name} {sequence}",
        *criteria,
        "webvpn",
        f" certificate-group-map {map_name} {sequence} {tunnel_group}",
    )


def rotate(hostname: str | None, nameif: str, now: dt.datetime) -> tuple[str, ...]:
    """Article "Certificate Rotation": a new keypair and trustpoint, then cut over."""
    trustpoint = f"{suggested_trustpoint(hostname)}-{now.year + 1}"
    return (
        *enroll_ca_signed(hostname, nameif, trustpoint),
        "! keep the old trustpoint until clients have moved; roll back by re-binding it",
    )
