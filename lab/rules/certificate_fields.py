"""What a certificate-map criterion compares against: the values of one certificate field.

asa-cli.md section 10.1: ``subject-name|issuer-name [attr TAG]``, ``alternate-subject-name``
and ``extended-key-usage``. Attribute tags are the ASDM field list in the CLI spelling
(the spelling is [RECONSTRUCTED]); several RDNs with the same tag give several values.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier

from lab.emulator.device import CertMapField

UNSTRUCTURED_NAME = ObjectIdentifier("1.2.840.113549.1.9.2")

#: ``attr TAG`` -> the DN attribute it names (ASDM: C, CN, DNQ, EA, GENQ, GN, I, L, N, O,
#: OU, SER, SN, SP, ST, T, UID, UNAME).
ATTRIBUTE_TAGS: dict[str, ObjectIdentifier] = {
    "c": NameOID.COUNTRY_NAME,
    "cn": NameOID.COMMON_NAME,
    "dnq": NameOID.DN_QUALIFIER,
    "ea": NameOID.EMAIL_ADDRESS,
    "genq": NameOID.GENERATION_QUALIFIER,
    "gn": NameOID.GIVEN_NAME,
    "i": NameOID.INITIALS,
    "l": NameOID.LOCALITY_NAME,
    "n": ObjectIdentifier("2.5.4.41"),  # name
    "o": NameOID.ORGANIZATION_NAME,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "ser": NameOID.SERIAL_NUMBER,
    "sn": NameOID.SURNAME,
    "sp": NameOID.STATE_OR_PROVINCE_NAME,
    "st": NameOID.STATE_OR_PROVINCE_NAME,
    "t": NameOID.TITLE,
    "uid": NameOID.USER_ID,
    "uname": UNSTRUCTURED_NAME,
}


class UnknownAttributeTagError(ValueError):
    """An ``attr TAG`` the emulator does not know (the criterion can never match)."""


def name_attribute_values(name: x509.Name, tag: str) -> tuple[str, ...]:
    """Every value of attribute ``tag`` in ``name``, in certificate order."""
    oid = ATTRIBUTE_TAGS.get(tag.lower())
    if oid is None:
        raise UnknownAttributeTagError(tag)
    return tuple(str(attribute.value) for attribute in name.get_attributes_for_oid(oid))


def whole_name(name: x509.Name) -> str:
    """The whole DN as one string (RFC 4514, most specific RDN first). The ASA's own
    string form for whole-field comparisons is not documented; this is [INFERENCE]."""
    return name.rfc4514_string()


def alternate_names(certificate: x509.Certificate) -> tuple[str, ...]:
    """The subjectAltName entries as text (DNS names, e-mail addresses, URIs, IP addresses)."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    values: list[str] = []
    for general_name in extension.value:
        if isinstance(
            general_name, x509.DNSName | x509.RFC822Name | x509.UniformResourceIdentifier
        ):
            values.append(general_name.value)
        elif isinstance(general_name, x509.IPAddress):
            values.append(str(general_name.value))
    return tuple(values)


def extended_key_usages(certificate: x509.Certificate) -> tuple[str, ...]:
    """The extendedKeyUsage OIDs, dotted."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return ()
    return tuple(oid.dotted_string for oid in extension.value)


def field_values(
    certificate: x509.Certificate, field: CertMapField, attribute: str | None
) -> tuple[str, ...]:
    """The values a criterion on ``field`` (optionally ``attr attribute``) compares against."""
    if field in ("subject-name", "issuer-name"):
        name = certificate.subject if field == "subject-name" else certificate.issuer
        if attribute is None:
            return (whole_name(name),)
        return name_attribute_values(name, attribute)
    if field == "alternate-subject-name":
        return alternate_names(certificate)
    return extended_key_usages(certificate)
