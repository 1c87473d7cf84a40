"""The virtual ASA's state: one model behind the SSH CLI, the HTTPS listener and persistence.

Everything here is plain data. Commands (lab.emulator.cli) change it, renderers
(lab.emulator.render) print it, the listener (lab.emulator.https) reads it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lab.emulator.clock import DeviceClock

Profile = Literal["9.23", "legacy"]
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

DEFAULT_RSA_LABEL = "<Default-RSA-Key>"
DEFAULT_ECDSA_LABEL = "<Default-ECDSA-Key>"


@dataclass
class Keypair:
    label: str
    private_key: PrivateKey
    generated_at: dt.datetime

    @property
    def kind(self) -> Literal["rsa", "ecdsa"]:
        return "rsa" if isinstance(self.private_key, rsa.RSAPrivateKey) else "ecdsa"

    @property
    def size(self) -> int:
        return self.private_key.key_size


EnrollmentMethod = Literal["self", "terminal", "url"]


@dataclass
class Trustpoint:
    name: str
    enrollment: EnrollmentMethod | None = None
    enrollment_url: str | None = None
    fqdn: str | None = None  # "none" is stored as the literal string, as configured
    subject_name: str | None = None
    keypair: str | None = None
    ip_address: str | None = None
    revocation_check: str | None = None  # e.g. "none", "crl ocsp"; None: not configured
    validation_usage: str | None = None  # None: the default; "" for ``no validation-usage``
    id_usage: str | None = None
    ca_check: bool = True
    proxy_ldc_issuer: bool = False
    client_types: str | None = None
    crl_configure: bool = True
    extra_lines: list[str] = field(default_factory=list)
    ca_certificates: list[x509.Certificate] = field(default_factory=list)
    identity_certificate: x509.Certificate | None = None
    pending_request: x509.CertificateSigningRequest | None = None

    @property
    def is_enrolled(self) -> bool:
        return self.identity_certificate is not None

    @property
    def is_authenticated(self) -> bool:
        return bool(self.ca_certificates)

    @property
    def keypair_label(self) -> str:
        """The keypair the trustpoint uses (``<Default-RSA-Key>`` when none is configured)."""
        return self.keypair or DEFAULT_RSA_LABEL


CertMapField = Literal[
    "subject-name", "issuer-name", "alternate-subject-name", "extended-key-usage"
]
CertMapOperator = Literal["eq", "ne", "co", "nc"]


@dataclass(frozen=True)
class CertificateMapRule:
    """One criterion line of a ``crypto ca certificate map`` sequence, stored lower-cased."""

    field: CertMapField
    operator: CertMapOperator
    value: str
    attribute: str | None = None  # ``attr TAG``; None compares the whole field

    def config_line(self) -> str:
        attr = f" attr {self.attribute}" if self.attribute else ""
        return f"{self.field}{attr} {self.operator} {self.value}"


@dataclass
class CertificateMapEntry:
    map_name: str
    sequence: int
    rules: list[CertificateMapRule] = field(default_factory=list)


WebvpnAuth = Literal["aaa", "certificate", "aaa certificate", "saml"]
TunnelGroupType = Literal["remote-access", "ipsec-l2l", "webvpn"]

#: Connection profiles every ASA has without configuring them; shown only when modified.
DEFAULT_TUNNEL_GROUPS: dict[str, TunnelGroupType] = {
    "DefaultL2LGroup": "ipsec-l2l",
    "DefaultRAGroup": "remote-access",
    "DefaultWEBVPNGroup": "remote-access",
}
DEFAULT_GROUP_POLICY = "DfltGrpPolicy"


@dataclass
class TunnelGroup:
    name: str
    type: TunnelGroupType = "remote-access"
    # general-attributes
    address_pool: str | None = None
    default_group_policy: str | None = None
    authentication_server_group: str | None = None
    authorization_server_group: str | None = None
    username_from_certificate: str | None = None
    secondary_username_from_certificate: str | None = None
    strip_realm: bool = False
    strip_group: bool = False
    general_extra: list[str] = field(default_factory=list)
    # webvpn-attributes
    authentication: WebvpnAuth = "aaa"
    group_aliases: dict[str, bool] = field(default_factory=dict)  # alias -> enabled
    group_urls: dict[str, bool] = field(default_factory=dict)  # url -> enabled
    webvpn_extra: list[str] = field(default_factory=list)
    # ipsec-attributes
    ipsec_lines: list[str] = field(default_factory=list)
    implicit: bool = False  # DefaultWEBVPNGroup / DefaultRAGroup until modified

    @property
    def is_default(self) -> bool:
        return self.name in DEFAULT_TUNNEL_GROUPS

    @property
    def enabled_aliases(self) -> list[str]:
        return [alias for alias, enabled in self.group_aliases.items() if enabled]

    @property
    def enabled_urls(self) -> list[str]:
        return [url for url, enabled in self.group_urls.items() if enabled]

    @property
    def needs_certificate(self) -> bool:
        return "certificate" in self.authentication

    @property
    def needs_password(self) -> bool:
        return "aaa" in self.authentication


@dataclass
class GroupPolicy:
    name: str
    kind: Literal["internal", "external"] | None = "internal"  # None: DfltGrpPolicy
    external_server_group: str | None = None
    attribute_lines: list[str] = field(default_factory=list)
    webvpn_lines: list[str] = field(default_factory=list)


@dataclass
class Interface:
    hardware_name: str
    nameif: str | None = None
    security_level: int | None = None
    ip_address: str | None = None
    netmask: str | None = None
    shutdown: bool = False
    extra_lines: list[str] = field(default_factory=list)


@dataclass
class CertificateGroupMap:
    map_name: str
    sequence: int
    tunnel_group: str


@dataclass
class Webvpn:
    enabled_interfaces: list[str] = field(default_factory=list)
    anyconnect_enable: bool = False
    tunnel_group_list_enable: bool = False
    certificate_group_maps: list[CertificateGroupMap] = field(default_factory=list)
    prefer_group_url: bool = False  # ``tunnel-group-preference group-url``
    extra_lines: list[str] = field(default_factory=list)
    configured: bool = False


@dataclass
class TunnelGroupMapSettings:
    """The global ``tunnel-group-map`` (IKE certificate-to-group matching)."""

    enable_rules: bool = False
    enable_ou: bool = True
    enable_ike_id: bool = False
    enable_peer_ip: bool = True
    entries: list[CertificateGroupMap] = field(default_factory=list)
    default_group: str | None = None
    default_group_sequence: int | None = None  # ``tunnel-group-map [SEQ] default-group TG``


@dataclass
class SslSettings:
    interface_trustpoints: dict[str, str] = field(default_factory=dict)  # nameif -> trustpoint
    domain_trustpoints: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # fqdn -> (trustpoint, nameif or None)
    global_trustpoint: str | None = None
    extra_lines: list[str] = field(default_factory=list)


PBKDF2_ITERATIONS = 5000


def pbkdf2_hash(
    password: str, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS
) -> str:
    """The ASA's ``pbkdf2`` password form: ``$sha512$<iterations>$<b64 salt>$<b64 16-byte key>``
    ([TOOL] cisco-hashgen: PBKDF2-HMAC-SHA512, 5000 iterations, 16-byte salt and key)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    derived = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, dklen=16)
    encoded_salt = base64.b64encode(salt).decode()
    return f"$sha512${iterations}${encoded_salt}${base64.b64encode(derived).decode()}"


def parse_pbkdf2_hash(text: str) -> tuple[int, bytes, bytes] | None:
    """(iterations, salt, derived key) of a ``pbkdf2`` hash, or None if it is not one."""
    parts = text.split("$")
    if len(parts) != 5 or parts[0] or parts[1] != "sha512" or not parts[2].isdigit():
        return None
    try:
        salt = base64.b64decode(parts[3], validate=True)
        derived = base64.b64decode(parts[4], validate=True)
    except (binascii.Error, ValueError):
        return None
    iterations = int(parts[2])
    if not salt or not derived or not 1 <= iterations <= 1_000_000:
        return None
    return iterations, salt, derived


@dataclass
class LocalUser:
    """``username NAME password ... [privilege N]``: only the PBKDF2 hash is kept."""

    name: str
    password_hash: str | None  # None for ``nopassword``
    privilege: int = 2
    attributes: list[str] = field(default_factory=list)  # ``username NAME attributes`` lines

    @classmethod
    def with_password(cls, name: str, password: str, privilege: int = 2) -> LocalUser:
        return cls(name, pbkdf2_hash(password), privilege)

    def verify(self, password: str) -> bool:
        """Whether ``password`` is this user's password (constant-time comparison)."""
        if self.password_hash is None:
            return False
        parsed = parse_pbkdf2_hash(self.password_hash)
        if parsed is None:
            return False
        iterations, salt, derived = parsed
        candidate = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, len(derived))
        return hmac.compare_digest(candidate, derived)


@dataclass
class AddressPool:
    """``ip local pool NAME FIRST-LAST [mask MASK]``."""

    name: str
    first: str
    last: str
    mask: str | None = None


@dataclass
class VpnSession:
    index: int
    username: str
    tunnel_group: str
    group_policy: str
    public_ip: str
    login_time: dt.datetime
    session_token: str
    protocol: str = "AnyConnect-Parent"  # "AnyConnect-Parent SSL-Tunnel" once CONNECTed
    assigned_ip: str | None = None
    bytes_tx: int = 0
    bytes_rx: int = 0
    ssl_cipher: str = "AES-GCM-256"  # shown for the SSL-Tunnel in Encryption/Hashing
    ssl_hash: str = "SHA384"


@dataclass
class Device:
    """The whole configurable state of one virtual ASA."""

    hostname: str = "ciscoasa"
    domain_name: str | None = None
    profile: Profile = "9.23"
    serial_number: str = "9ALAB0000A1"
    enable_password: str | None = None
    clock: DeviceClock = field(default_factory=DeviceClock)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    keypairs: dict[str, Keypair] = field(default_factory=dict)
    trustpoints: dict[str, Trustpoint] = field(default_factory=dict)
    certificate_maps: dict[tuple[str, int], CertificateMapEntry] = field(default_factory=dict)
    tunnel_groups: dict[str, TunnelGroup] = field(default_factory=dict)
    group_policies: dict[str, GroupPolicy] = field(default_factory=dict)
    webvpn: Webvpn = field(default_factory=Webvpn)
    tunnel_group_map: TunnelGroupMapSettings = field(default_factory=TunnelGroupMapSettings)
    ssl: SslSettings = field(default_factory=SslSettings)
    ikev2_remote_access_trustpoint: str | None = None
    ikev2_enabled_interfaces: list[str] = field(default_factory=list)
    users: dict[str, LocalUser] = field(default_factory=dict)
    address_pools: dict[str, AddressPool] = field(default_factory=dict)
    unmodelled_lines: list[str] = field(default_factory=list)
    sessions: list[VpnSession] = field(default_factory=list)
    temporary_certificate: x509.Certificate | None = None
    temporary_key: PrivateKey | None = None
    booted_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    last_modified: tuple[str, dt.datetime] | None = None
    debug_crypto_ca: int = 0
    logins: int = 0  # SSH logins since boot (the login banner counts them)
    #: asa-cli.md 8.2: PL (9.23) shows no ``Redisplay enrollment request?`` question; this
    #: switch asks it in the 9.23 profile too (the legacy profile always asks).
    enroll_redisplay_question: bool = False

    def nameifs(self) -> list[str]:
        return [i.nameif for i in self.interfaces.values() if i.nameif]

    def interface_by_nameif(self, nameif: str) -> Interface | None:
        return next((i for i in self.interfaces.values() if i.nameif == nameif), None)

    def webvpn_nameifs(self) -> list[str]:
        """Interfaces with ``webvpn`` / ``enable <nameif>``: the ones that accept TLS."""
        known = set(self.nameifs())
        return [n for n in self.webvpn.enabled_interfaces if n in known]

    def tunnel_group(self, name: str) -> TunnelGroup | None:
        """A configured tunnel-group, or the implicit default groups every ASA has."""
        if name in self.tunnel_groups:
            return self.tunnel_groups[name]
        if name in DEFAULT_TUNNEL_GROUPS:
            return TunnelGroup(name=name, type=DEFAULT_TUNNEL_GROUPS[name], implicit=True)
        return None

    def all_tunnel_groups(self) -> list[TunnelGroup]:
        groups = dict(self.tunnel_groups)
        for name in ("DefaultRAGroup", "DefaultWEBVPNGroup"):
            groups.setdefault(name, TunnelGroup(name=name, implicit=True))
        return list(groups.values())

    def group_policy_exists(self, name: str) -> bool:
        return name == DEFAULT_GROUP_POLICY or name in self.group_policies

    def verify_user(self, name: str, password: str) -> bool:
        """A local-database login check (``username NAME password ...``)."""
        user = self.users.get(name)
        return user is not None and user.verify(password)

    def trustpoints_holding(self, certificate: x509.Certificate) -> list[str]:
        """Every trustpoint that holds ``certificate`` (identity or CA), in config order."""
        return [
            tp.name
            for tp in self.trustpoints.values()
            if certificate == tp.identity_certificate or certificate in tp.ca_certificates
        ]
