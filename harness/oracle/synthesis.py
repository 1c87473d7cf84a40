"""A client certificate that satisfies every criterion of one certificate-map sequence.

The fields are built from the criteria (a multi-valued attribute satisfies a criterion
when any of its values does, so each criterion gets a value of its own), then the result is
checked with the very rule the virtual ASA routes by (lab.rules.certificate_map), so a
certificate that does not satisfy the sequence is never presented as if it did.
``issuer-name`` criteria are satisfied by choosing the issuing CA (harness/oracle/classes).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.pki import CertificateAuthority
from harness.pki._keys import PrivateKey
from lab.emulator.device import CertificateMapEntry, CertificateMapRule
from lab.rules.certificate_fields import ATTRIBUTE_TAGS, UNSTRUCTURED_NAME
from lab.rules.certificate_map import SequenceResult, evaluate_sequence

ORGANISATION = "asa-cert-harness oracle"
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string
SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH.dotted_string
_FILLERS = ("oracle-x", "q-1", "z9")
#: Attribute keys of DN strings beyond the RFC 4514 ones (upper-cased before parsing).
_DN_KEYS = {
    "EA": NameOID.EMAIL_ADDRESS,
    "EMAILADDRESS": NameOID.EMAIL_ADDRESS,
    "SN": NameOID.SURNAME,
    "GN": NameOID.GIVEN_NAME,
    "T": NameOID.TITLE,
    "SERIALNUMBER": NameOID.SERIAL_NUMBER,
    "UNSTRUCTUREDNAME": UNSTRUCTURED_NAME,
}
_COUNTRIES = ("zz", "yy", "xq")


@dataclass
class CertificateFields:
    """The subject, SANs and EKU of a certificate being designed."""

    common_name: str
    attributes: list[x509.NameAttribute[str]] = field(default_factory=list)
    whole_subject: x509.Name | None = None
    sans: list[str] = field(default_factory=list)
    eku: list[str] = field(default_factory=lambda: [CLIENT_AUTH])

    def subject(self) -> x509.Name:
        if self.whole_subject is not None:
            return self.whole_subject
        has_cn = any(a.oid == NameOID.COMMON_NAME for a in self.attributes)
        head = [] if has_cn else [x509.NameAttribute(NameOID.COMMON_NAME, self.common_name)]
        return x509.Name([*head, *self.attributes])

    def describe(self) -> tuple[str, ...]:
        lines = [f"subject {self.subject().rfc4514_string()}"]
        if self.sans:
            lines.append("subjectAltName " + ", ".join(self.sans))
        lines.append("extendedKeyUsage " + ", ".join(self.eku))
        return tuple(lines)


def _avoiding(value: str, candidates: Sequence[str] = _FILLERS) -> str:
    """A value that neither equals nor contains ``value``."""
    for candidate in candidates:
        if value.casefold() not in candidate.casefold():
            return candidate
    raise ValueError(f"no value avoids {value!r}")


def _name_value(rule: CertificateMapRule) -> str:
    if rule.operator in ("eq", "co"):
        return rule.value
    return _avoiding(rule.value, _COUNTRIES if rule.attribute == "c" else _FILLERS)


def _san_value(rule: CertificateMapRule) -> str:
    value = rule.value if rule.operator in ("eq", "co") else _avoiding(rule.value)
    if rule.operator == "co" and value.startswith("@"):
        return "oracle" + value
    return value


def parse_dn(text: str) -> x509.Name:
    """A DN as the ASA stores it in a certificate map (lower-cased: ``cn=bob,o=corp``)."""
    typed = []
    for part in re.split(r"(?<!\\),", text):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"{text!r} is not a distinguished name")
        typed.append(f"{key.strip().upper()}={value}")
    return x509.Name.from_rfc4514_string(",".join(typed), _DN_KEYS)


def _apply_subject(fields: CertificateFields, rule: CertificateMapRule) -> None:
    if rule.attribute is None:
        if rule.operator == "eq":
            fields.whole_subject = parse_dn(rule.value)
        elif rule.operator == "co":
            try:
                parsed = parse_dn(rule.value)
                fields.attributes.extend(x509.NameAttribute(a.oid, str(a.value)) for a in parsed)
            except ValueError:
                fields.attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, rule.value))
        return
    oid = ATTRIBUTE_TAGS.get(rule.attribute)
    if oid is None:
        raise ValueError(f"unknown attribute tag {rule.attribute!r}")
    fields.attributes.append(x509.NameAttribute(oid, _name_value(rule)))


def _apply_key_usage(fields: CertificateFields, rule: CertificateMapRule) -> None:
    wanted = rule.value
    if rule.operator == "co":
        if wanted not in fields.eku:
            fields.eku.append(wanted)
    elif rule.operator == "eq":
        fields.eku = [wanted]
    else:  # ne / nc: any set without exactly / at all that OID
        fields.eku = [oid for oid in fields.eku if oid != wanted] or (
            [SERVER_AUTH] if wanted != SERVER_AUTH else [CLIENT_AUTH]
        )


def design_fields(entry: CertificateMapEntry, common_name: str) -> CertificateFields:
    """Fields meant to satisfy every criterion of ``entry`` (issuer criteria excepted).

    Raises ValueError when a criterion cannot be expressed in a certificate."""
    fields = CertificateFields(common_name)
    for rule in entry.rules:
        if rule.field == "subject-name":
            _apply_subject(fields, rule)
        elif rule.field == "alternate-subject-name":
            fields.sans.append(_san_value(rule))
        elif rule.field == "extended-key-usage":
            _apply_key_usage(fields, rule)
    return fields


def _valid_san(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return bool(name) and name.isascii() and " " not in name


def issue(
    issuer: CertificateAuthority, fields: CertificateFields, key: PrivateKey
) -> x509.Certificate:
    """Issue the designed certificate (ValueError when a field cannot be encoded)."""
    if not all(_valid_san(name) for name in fields.sans):
        raise ValueError(f"a subjectAltName cannot hold {fields.sans}")
    return issuer.issue(fields.subject(), sans=fields.sans, eku=fields.eku, key=key).certificate


def check(entry: CertificateMapEntry, certificate: x509.Certificate) -> SequenceResult:
    """The sequence's verdict on ``certificate``: the virtual ASA's own rule."""
    return evaluate_sequence(entry, entry.map_name, entry.sequence, certificate)


def failed_criteria(result: SequenceResult) -> Sequence[str]:
    return [c.reason for c in result.criteria if not c.matched]
