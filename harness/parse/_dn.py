"""Distinguished names as the ASA prints them: one ``key=value`` per line, RFC 4514 order.

The two output profiles spell keys differently (9.23: ``CN``, ``unstructuredName``,
``emailAddress``; legacy: ``cn``, ``hostname``, ``ea``). A DistinguishedName keeps the
printed pairs and reads as a mapping keyed by the OpenSSL short names, so an expectation
``{CN: vpn.example.lab}`` fits both profiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: canonical key -> dotted OID
OIDS: Mapping[str, str] = MappingProxyType(
    {
        "CN": "2.5.4.3",
        "SN": "2.5.4.4",
        "serialNumber": "2.5.4.5",
        "C": "2.5.4.6",
        "L": "2.5.4.7",
        "ST": "2.5.4.8",
        "street": "2.5.4.9",
        "O": "2.5.4.10",
        "OU": "2.5.4.11",
        "title": "2.5.4.12",
        "postalCode": "2.5.4.17",
        "name": "2.5.4.41",
        "GN": "2.5.4.42",
        "initials": "2.5.4.43",
        "generationQualifier": "2.5.4.44",
        "dnQualifier": "2.5.4.46",
        "pseudonym": "2.5.4.65",
        "DC": "0.9.2342.19200300.100.1.25",
        "UID": "0.9.2342.19200300.100.1.1",
        "emailAddress": "1.2.840.113549.1.9.1",
        "unstructuredName": "1.2.840.113549.1.9.2",
        "unstructuredAddress": "1.2.840.113549.1.9.8",
    }
)

# Printed spellings (lower-cased) that are not simply the canonical key lower-cased.
_ALIASES = {
    "commonname": "CN",
    "surname": "SN",
    "countryname": "C",
    "localityname": "L",
    "sp": "ST",
    "stateorprovincename": "ST",
    "organizationname": "O",
    "organizationalunitname": "OU",
    "t": "title",
    "givenname": "GN",
    "gn": "GN",
    "ea": "emailAddress",
    "e": "emailAddress",
    "email": "emailAddress",
    "hostname": "unstructuredName",
    "ipaddress": "unstructuredAddress",
    "userid": "UID",
    "dnq": "dnQualifier",
    "genq": "generationQualifier",
}
_CANONICAL: dict[str, str] = {key.lower(): key for key in OIDS}
_CANONICAL.update(_ALIASES)
_CANONICAL.update({oid: key for key, oid in OIDS.items()})

ENTRY = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)=(?P<value>.*)")
ENTRY_TEXT = "a 'key=value' line of a distinguished name (e.g. 'CN=vpn.example.lab')"


def canonical_key(key: str) -> str:
    """The OpenSSL short name for any printed spelling; unknown keys come back unchanged."""
    return _CANONICAL.get(key.lower(), key)


@dataclass(frozen=True)
class DistinguishedName(Mapping[str, str]):
    """A name as printed: ``printed`` keeps keys and order exactly.

    As a mapping it is keyed by the canonical (OpenSSL short) name and accepts any
    spelling (``name["cn"]``, ``name["CN"]``, ``name["2.5.4.3"]``); a key printed more
    than once (``DC``, a second ``OU``) maps to its first value, and ``all_values``
    gives every one. Equality is exact (printed keys and order); ``same_name``
    ignores the key spelling.
    """

    printed: tuple[tuple[str, str], ...]

    @property
    def attributes(self) -> tuple[tuple[str, str], ...]:
        """(canonical key, value) in printed order."""
        return tuple((canonical_key(key), value) for key, value in self.printed)

    @property
    def normalised(self) -> Mapping[str, tuple[str, ...]]:
        """canonical key -> every value it has, in printed order."""
        collected: dict[str, tuple[str, ...]] = {}
        for key, value in self.attributes:
            collected[key] = (*collected.get(key, ()), value)
        return MappingProxyType(collected)

    def all_values(self, key: str) -> tuple[str, ...]:
        """Every value of ``key`` in any spelling, in printed order."""
        return self.normalised.get(canonical_key(key), ())

    def __getitem__(self, key: str) -> str:
        found = self.all_values(key)
        if not found:
            raise KeyError(key)
        return found[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self.normalised)

    def __len__(self) -> int:
        return len(self.normalised)

    def oid_attributes(self) -> tuple[tuple[str, str], ...]:
        """(dotted OID, value) in printed order; a key with no known OID is kept as printed."""
        return tuple((OIDS.get(key, key), value) for key, value in self.attributes)

    def same_name(self, other: DistinguishedName) -> bool:
        """Equal attributes in the same order, whatever the key spelling."""
        return self.attributes == other.attributes

    def rfc4514(self) -> str:
        return ",".join(f"{key}={_escape(value)}" for key, value in self.printed)

    def __str__(self) -> str:
        return self.rfc4514()


def _escape(value: str) -> str:
    escaped = re.sub(r'([,+"\\<>;])', r"\\\1", value)
    if escaped.startswith(("#", " ")):
        escaped = "\\" + escaped
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return escaped


def parse_entry(text: str) -> tuple[str, str] | None:
    match = ENTRY.fullmatch(text.strip())
    return (match["key"], match["value"]) if match else None
