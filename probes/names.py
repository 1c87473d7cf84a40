"""Distinguished names as people read them: RFC 4514, with names for the PKCS#9 attributes
an ASA puts in its subjects (``unstructuredName=`` rather than ``1.2.840.113549.1.9.2=``)."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import ObjectIdentifier

_EXTRA_NAMES: dict[ObjectIdentifier, str] = {
    ObjectIdentifier("1.2.840.113549.1.9.2"): "unstructuredName",
    ObjectIdentifier("1.2.840.113549.1.9.8"): "unstructuredAddress",
    ObjectIdentifier("1.2.840.113549.1.9.1"): "emailAddress",
}


def display_name(name: x509.Name) -> str:
    return name.rfc4514_string(_EXTRA_NAMES)
