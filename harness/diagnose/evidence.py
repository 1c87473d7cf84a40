"""Everything a diagnosis may rest on: probe facts, and optionally device facts and expectations.

Device facts are optional: a check that needs them produces nothing without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509

from probes.anyconnect import AnyConnectResult
from probes.chain import ChainReport
from probes.tls import HandshakeResult


@dataclass(frozen=True)
class DeviceTrustpoint:
    name: str
    identity_certificate: x509.Certificate | None = None
    #: nameifs bound by ``ssl trust-point NAME <nameif>``.
    interfaces: tuple[str, ...] = ()
    #: SNI names bound by ``ssl trust-point NAME [<nameif>] domain <fqdn>``.
    domains: tuple[str, ...] = ()
    ca_certificates: tuple[x509.Certificate, ...] = ()

    @property
    def bound(self) -> bool:
        return bool(self.interfaces or self.domains)


@dataclass(frozen=True)
class ConfigLine:
    """A configuration line as sent, with the device's answer."""

    line: str
    answer: str = ""
    #: The sub-mode header it was typed under, e.g. ``tunnel-group X general-attributes``.
    parent: str | None = None
    rejected: bool = False


@dataclass(frozen=True)
class DeviceFacts:
    #: What ``show clock`` said, as an aware datetime.
    clock: dt.datetime | None = None
    #: The probe's clock when ``show clock`` was read (defaults to the probe clock).
    clock_read_at: dt.datetime | None = None
    trustpoints: tuple[DeviceTrustpoint, ...] = ()
    config_lines: tuple[ConfigLine, ...] = ()


@dataclass(frozen=True)
class Expectations:
    tunnel_group: str | None = None
    client_cert_request: bool | None = None


@dataclass(frozen=True)
class Evidence:
    probe_clock: dt.datetime
    hostname: str | None = None
    handshake: HandshakeResult | None = None
    chain: ChainReport | None = None
    anyconnect: AnyConnectResult | None = None
    #: The nameif the probe reached, when the caller knows it.
    interface: str | None = None
    #: The client certificate the probe presented, if any.
    client_certificate: x509.Certificate | None = None
    device: DeviceFacts | None = None
    expectations: Expectations = field(default_factory=Expectations)
