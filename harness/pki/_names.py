"""Distinguished names from the forms people write: ``CN=a,OU=b`` or ``{"CN": "a", "OU": "b"}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cryptography import x509
from cryptography.x509.oid import NameOID

SHORT_NAMES: dict[str, x509.ObjectIdentifier] = {
    "CN": NameOID.COMMON_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "L": NameOID.LOCALITY_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
    "C": NameOID.COUNTRY_NAME,
    "DC": NameOID.DOMAIN_COMPONENT,
    "EMAILADDRESS": NameOID.EMAIL_ADDRESS,
    "EA": NameOID.EMAIL_ADDRESS,
    "SERIALNUMBER": NameOID.SERIAL_NUMBER,
    "UID": NameOID.USER_ID,
    "T": NameOID.TITLE,
    "GN": NameOID.GIVEN_NAME,
    "SN": NameOID.SURNAME,
}

NameSpec = str | Mapping[str, str | Sequence[str]] | x509.Name


def build_name(spec: NameSpec) -> x509.Name:
    """Build an X.509 name. Mapping order is the DER order (most significant first)."""
    if isinstance(spec, x509.Name):
        return spec
    if isinstance(spec, str):
        return x509.Name.from_rfc4514_string(spec, {"EMAILADDRESS": NameOID.EMAIL_ADDRESS})
    attributes: list[x509.NameAttribute[str]] = []
    for key, value in spec.items():
        oid = SHORT_NAMES.get(key.upper())
        if oid is None:
            known = ", ".join(sorted(SHORT_NAMES))
            raise ValueError(f"unknown name attribute {key!r}: use one of {known}")
        values = [value] if isinstance(value, str) else list(value)
        attributes.extend(x509.NameAttribute(oid, str(v)) for v in values)
    if not attributes:
        raise ValueError("a name needs at least one attribute, e.g. CN")
    return x509.Name(attributes)
