"""``show ssl`` (asa-cli.md section 5; layout RECONSTRUCTED, binding lines fixed by tooling).

Binding lines must read ``<...>Interface <nameif>: <trustpoint> (<details>)`` because a
public orchestrator parses them that way; ``Domain <fqdn>: ...`` is the SNI form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from harness.parse._command import CommandSpec
from harness.parse._text import Line, fail, output_lines

COMMAND = CommandSpec("show ssl")

SERVER_VERSIONS = re.compile(
    r"Accept connections using (?P<offer>.+?) and negotiate to (?P<negotiate>.+)"
)
CLIENT_VERSIONS = re.compile(
    r"Start connections using (?P<offer>.+?) and negotiate to (?P<negotiate>.+)"
)
GROUP = re.compile(r"SSL (?P<kind>DH|ECDH) Group: (?P<group>\S+)(?: \((?P<details>[^)]*)\))?")
TRUST_POINTS = re.compile(r"SSL trust-points:")
NO_TRUST_POINTS = re.compile(r"No SSL trust-points configured")
SELF_SIGNED = re.compile(r"Self-signed \((?P<details>[^)]*)\) certificate (?P<state>.+)")
BINDING = re.compile(
    r"(?:(?P<vpnlb>VPNLB) )?(?P<scope>Interface|Domain) (?P<target>\S+): (?P<trustpoint>\S+)"
    r"(?: \((?P<details>[^)]*)\))?"
)
KEY_DETAILS = re.compile(r"(?P<algorithm>RSA|EC|ECDSA) (?P<bits>\d+) bits (?P<signature>\S.*)")
CERTIFICATE_AUTHENTICATION = re.compile(
    r"Certificate authentication is (?P<negation>not )?enabled(?P<rest>.*)"
)
SETTING = re.compile(r"(?P<label>[A-Z][\w -]*?):\s*(?P<value>.*)")


@dataclass(frozen=True)
class KeyDetails:
    """``RSA 2048 bits RSA-SHA256`` inside a trust-point line's parentheses."""

    algorithm: str
    bits: int
    signature_algorithm: str


@dataclass(frozen=True)
class SelfSignedSslCertificate:
    details: str
    state: str  # "available"
    key: KeyDetails | None


@dataclass(frozen=True)
class SslBinding:
    scope: Literal["interface", "domain"]
    target: str  # the nameif, or the SNI domain
    trustpoint: str
    details: str | None = None
    key: KeyDetails | None = None
    vpnlb: bool = False


@dataclass(frozen=True)
class SslStatus:
    server_versions: str | None = None  # "SSLv3 or greater"
    server_negotiates: str | None = None  # "TLSv1.2 or greater"
    client_versions: str | None = None
    client_negotiates: str | None = None
    dh_group: str | None = None
    dh_group_details: str | None = None
    ecdh_group: str | None = None
    ecdh_group_details: str | None = None
    self_signed: tuple[SelfSignedSslCertificate, ...] = ()
    bindings: tuple[SslBinding, ...] = ()
    certificate_authentication: bool | None = None
    certificate_authentication_line: str | None = None
    other_settings: tuple[tuple[str, str], ...] = ()

    @property
    def server_minimum_version(self) -> str | None:
        """``TLSv1.2`` from ``TLSv1.2 or greater``."""
        return _minimum(self.server_negotiates)

    @property
    def client_minimum_version(self) -> str | None:
        return _minimum(self.client_negotiates)

    def interface_trustpoint(self, nameif: str) -> str | None:
        return next(
            (
                b.trustpoint
                for b in self.bindings
                if b.scope == "interface" and b.target == nameif and not b.vpnlb
            ),
            None,
        )

    def domain_trustpoint(self, domain: str) -> str | None:
        wanted = domain.lower()
        return next(
            (
                b.trustpoint
                for b in self.bindings
                if b.scope == "domain" and b.target.lower() == wanted
            ),
            None,
        )


def _minimum(phrase: str | None) -> str | None:
    if phrase is None or not phrase.endswith(" or greater"):
        return None
    return phrase.removesuffix(" or greater")


def binding_from_line(text: str) -> SslBinding | None:
    """An ``Interface <nameif>: <tp> (...)`` or ``Domain <fqdn>: <tp> (...)`` line, else None."""
    match = BINDING.fullmatch(text.strip())
    if match is None:
        return None
    return SslBinding(
        scope="interface" if match["scope"] == "Interface" else "domain",
        target=match["target"],
        trustpoint=match["trustpoint"],
        details=match["details"],
        key=key_details(match["details"]),
        vpnlb=match["vpnlb"] is not None,
    )


def key_details(details: str | None) -> KeyDetails | None:
    match = KEY_DETAILS.fullmatch(details.strip()) if details else None
    return KeyDetails(match["algorithm"], int(match["bits"]), match["signature"]) if match else None


def parse_ssl(text: str) -> SslStatus:
    draft = _Draft()
    in_trust_points = False
    first: Line | None = None
    for line in output_lines(text, COMMAND):
        if line.blank:
            continue
        first = first or line
        if in_trust_points and line.indent > 0:
            draft.trust_point_line(line)
            continue
        in_trust_points = TRUST_POINTS.fullmatch(line.stripped) is not None
        if not in_trust_points:
            draft.setting_line(line)
    if not draft.recognised:
        raise fail(
            COMMAND,
            first,
            "'Accept connections using ...', 'Start connections using ...' or "
            "'Certificate authentication is ...'",
        )
    return SslStatus(
        server_versions=draft.server[0] if draft.server else None,
        server_negotiates=draft.server[1] if draft.server else None,
        client_versions=draft.client[0] if draft.client else None,
        client_negotiates=draft.client[1] if draft.client else None,
        dh_group=draft.groups["DH"][0] if "DH" in draft.groups else None,
        dh_group_details=draft.groups["DH"][1] if "DH" in draft.groups else None,
        ecdh_group=draft.groups["ECDH"][0] if "ECDH" in draft.groups else None,
        ecdh_group_details=draft.groups["ECDH"][1] if "ECDH" in draft.groups else None,
        self_signed=tuple(draft.self_signed),
        bindings=tuple(draft.bindings),
        certificate_authentication=draft.authentication[0] if draft.authentication else None,
        certificate_authentication_line=draft.authentication[1] if draft.authentication else None,
        other_settings=tuple(draft.settings),
    )


@dataclass
class _Draft:
    server: tuple[str, str] | None = None
    client: tuple[str, str] | None = None
    groups: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    self_signed: list[SelfSignedSslCertificate] = field(default_factory=list)
    bindings: list[SslBinding] = field(default_factory=list)
    authentication: tuple[bool, str] | None = None
    settings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recognised(self) -> bool:
        return bool(self.server or self.client or self.authentication)

    def trust_point_line(self, line: Line) -> None:
        self_signed = SELF_SIGNED.fullmatch(line.stripped)
        binding = binding_from_line(line.stripped)
        if self_signed:
            details = self_signed["details"]
            key = key_details(details)
            self.self_signed.append(SelfSignedSslCertificate(details, self_signed["state"], key))
        elif binding:
            self.bindings.append(binding)
        else:
            raise fail(
                COMMAND,
                line,
                "a trust-point line: 'Self-signed (...) certificate available', "
                "'Interface <nameif>: <trustpoint> (...)' or 'Domain <fqdn>: <trustpoint> (...)'",
            )

    def setting_line(self, line: Line) -> None:
        stripped = line.stripped
        server = SERVER_VERSIONS.fullmatch(stripped)
        client = CLIENT_VERSIONS.fullmatch(stripped)
        group = GROUP.fullmatch(stripped)
        authentication = CERTIFICATE_AUTHENTICATION.fullmatch(stripped)
        setting = SETTING.fullmatch(stripped)
        if server and self.server is None:
            self.server = (server["offer"], server["negotiate"])
        elif client and self.client is None:
            self.client = (client["offer"], client["negotiate"])
        elif group and group["kind"] not in self.groups:
            self.groups[group["kind"]] = (group["group"], group["details"])
        elif authentication and self.authentication is None:
            self.authentication = (authentication["negation"] is None, stripped)
        elif NO_TRUST_POINTS.fullmatch(stripped):
            pass
        elif setting and line.indent == 0 and not (server or client or group or authentication):
            self.settings.append((setting["label"], setting["value"]))
        else:
            raise fail(
                COMMAND,
                line,
                "a 'show ssl' line (protocol versions, SSL groups, trust-points, certificate "
                "authentication), each once",
            )
