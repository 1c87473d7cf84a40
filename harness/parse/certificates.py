"""``show crypto ca certificates [TRUSTPOINT]`` (asa-cli.md section 3).

Accepts the 9.23 layout (3.1), the legacy layout with identity before CA (3.2), the newer
9.x layout with CA first, ``Storage:`` and trailing spaces (3.3), the optional
``OCSP AIA:`` and ``CRL Distribution Points:`` blocks, a leading blank line and ``...``
elision lines. The block reader is shared with ``show ssl certificate``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from harness.parse._command import CommandSpec
from harness.parse._dn import ENTRY_TEXT, DistinguishedName, parse_entry
from harness.parse._text import Line, fail, output_lines
from harness.parse._time import DeviceTime, ZoneOffsets, parse_stamp

COMMAND = CommandSpec("show crypto ca certificates", max_arguments=1)

CertificateKind = Literal["identity", "ca", "request"]
HEADERS: dict[str, CertificateKind] = {
    "Certificate": "identity",
    "CA Certificate": "ca",
    "Certificate Request": "request",
}
HEADER_TEXT = (
    "a certificate block header ('Certificate', 'CA Certificate' or 'Certificate Request')"
)

FIELD = re.compile(r"(?P<label>[A-Z][A-Za-z]*(?: [A-Za-z]+)*):(?:\s+(?P<value>\S.*))?")
PUBLIC_KEY = re.compile(r"(?P<algorithm>[A-Za-z][\w-]*) \((?P<bits>\d+) bits\)")
SERIAL = re.compile(r"[0-9A-Fa-f]+")
OCSP_ENTRY = re.compile(r"URL:\s+(?P<url>\S.*)")
CRL_ENTRY = re.compile(r"\[(?P<index>\d+)\]\s+(?P<url>\S.*)")
VALIDITY_ENTRY = re.compile(r"(?P<which>start|end)\s+date:\s+(?P<stamp>\S.*)")
# RSA-SHA256, ecdsa-with-SHA384 (9.23, OpenSSL short names); SHA256 with RSA Encryption (legacy);
# sha256WithRSAEncryption (OpenSSL long name).
SIGNATURE_SHORT = re.compile(r"(?P<key>RSA|DSA|ecdsa-with)-(?P<digest>SHA\d*|MD5)", re.IGNORECASE)
SIGNATURE_LEGACY = re.compile(
    r"(?P<digest>SHA\d*|MD5) with (?P<key>RSA|ECDSA|DSA) Encryption", re.IGNORECASE
)
SIGNATURE_LONG = re.compile(r"(?P<digest>sha\d*|md5)With(?P<key>RSA|DSA)Encryption", re.IGNORECASE)

_VALUE_FIELDS = (
    "Status",
    "Certificate Serial Number",
    "Certificate Usage",
    "Public Key Type",
    "Signature Algorithm",
    "Storage",
    "Associated Trustpoints",
)
_LIST_FIELDS = (
    "Issuer Name",
    "Subject Name",
    "OCSP AIA",
    "CRL Distribution Points",
    "Validity Date",
)
_REQUIRED = (
    "Status",
    "Certificate Serial Number",
    "Certificate Usage",
    "Public Key Type",
    "Signature Algorithm",
    "Issuer Name",
    "Subject Name",
    "Validity Date",
    "Associated Trustpoints",
)


@dataclass(frozen=True)
class CertificateRecord:
    kind: CertificateKind
    status: str
    serial: str  # lower-case hex of the DER INTEGER, as printed (a leading 00 kept)
    usage: str  # "General Purpose", "Signature", ...
    public_key_type: str  # "RSA", "ECDSA"
    public_key_bits: int
    signature_algorithm: str  # as printed: "RSA-SHA256", "SHA256 with RSA Encryption"
    signature: str | None  # normalised "rsa-sha256", "ecdsa-sha384"; None for a form not known
    issuer: DistinguishedName
    subject: DistinguishedName
    valid_from: DeviceTime
    valid_to: DeviceTime
    associated_trustpoints: tuple[str, ...]
    storage: str | None = None
    crl_distribution_points: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()
    other_fields: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    """Fields this parser does not know: (label, inline value and indented lines)."""

    @property
    def self_signed(self) -> bool:
        return self.issuer.same_name(self.subject)

    @property
    def validity(self) -> dt.timedelta | None:
        """notAfter - notBefore; None if only one of the two zones has a known offset."""
        start, end = self.valid_from.moment, self.valid_to.moment
        if (start.tzinfo is None) != (end.tzinfo is None):
            return None
        return end - start

    @property
    def validity_days(self) -> int | None:
        validity = self.validity
        return None if validity is None else validity.days


def normalise_signature(printed: str) -> str | None:
    for pattern in (SIGNATURE_SHORT, SIGNATURE_LEGACY, SIGNATURE_LONG):
        match = pattern.fullmatch(printed.strip())
        if match:
            key = match["key"].lower().removesuffix("-with")
            digest = match["digest"].lower()
            return f"{key}-{'sha1' if digest == 'sha' else digest}"
    return None


def parse_certificates(text: str, *, zones: ZoneOffsets | None = None) -> list[CertificateRecord]:
    """Every certificate block, in printed order; empty output means no certificates."""
    return read_certificate_blocks(output_lines(text, COMMAND, drop_elisions=True), COMMAND, zones)


@dataclass
class _Field:
    line: Line
    label: str
    value: str
    entries: list[Line] = field(default_factory=list)


@dataclass
class _Block:
    header: Line
    kind: CertificateKind
    fields: dict[str, _Field] = field(default_factory=dict)
    other: list[_Field] = field(default_factory=list)


def is_block_header(line: Line) -> bool:
    return line.indent == 0 and line.stripped in HEADERS


def read_certificate_blocks(
    lines: Sequence[Line], spec: CommandSpec, zones: ZoneOffsets | None
) -> list[CertificateRecord]:
    """Certificate blocks from ``lines`` (already framed), each checked and typed."""
    blocks: list[_Block] = []
    section: _Field | None = None
    for line in lines:
        if line.blank:
            continue
        if is_block_header(line):
            blocks.append(_Block(line, HEADERS[line.stripped]))
            section = None
            continue
        if not blocks:
            raise fail(spec, line, HEADER_TEXT)
        block = blocks[-1]
        # A known label always starts a field. An unknown 'Label:' line starts one only at
        # field depth; deeper, it is an entry of the field above (OCSP AIA's 'URL: ...').
        labelled = FIELD.fullmatch(line.stripped)
        known = labelled is not None and labelled["label"] in (*_VALUE_FIELDS, *_LIST_FIELDS)
        if (
            labelled
            and line.indent > 0
            and (known or section is None or line.indent <= section.line.indent)
        ):
            section = _Field(line, labelled["label"], labelled["value"] or "")
            if not known:
                block.other.append(section)
            elif section.label in block.fields:
                raise fail(spec, line, f"{HEADER_TEXT} before a second '{section.label}:' field")
            else:
                block.fields[section.label] = section
            continue
        if section is not None and line.indent > section.line.indent:
            section.entries.append(line)
            continue
        raise fail(
            spec,
            line,
            "an indented certificate field ('Label: value') or an entry under the field above",
        )
    return [_record(block, spec, zones) for block in blocks]


def _record(block: _Block, spec: CommandSpec, zones: ZoneOffsets | None) -> CertificateRecord:
    for label in _REQUIRED:
        if label not in block.fields:
            raise fail(
                spec, block.header, f"a '{label}:' field in the certificate block that starts here"
            )
    fields = block.fields
    value = {label: _value(fields[label], spec) for label in _VALUE_FIELDS if label in fields}
    for label in (
        "Status",
        "Certificate Serial Number",
        "Certificate Usage",
        "Public Key Type",
        "Signature Algorithm",
    ):
        if not value[label]:
            raise fail(spec, fields[label].line, f"a value after '{label}:'")
    serial_line = fields["Certificate Serial Number"].line
    if not SERIAL.fullmatch(value["Certificate Serial Number"]):
        raise fail(spec, serial_line, "a hexadecimal serial number")
    key = PUBLIC_KEY.fullmatch(value["Public Key Type"])
    if key is None:
        raise fail(spec, fields["Public Key Type"].line, "a key type like 'RSA (2048 bits)'")
    valid_from, valid_to = _validity(fields["Validity Date"], spec, zones)
    return CertificateRecord(
        kind=block.kind,
        status=value["Status"],
        serial=value["Certificate Serial Number"].lower(),
        usage=value["Certificate Usage"],
        public_key_type=key["algorithm"],
        public_key_bits=int(key["bits"]),
        signature_algorithm=value["Signature Algorithm"],
        signature=normalise_signature(value["Signature Algorithm"]),
        issuer=read_name(fields["Issuer Name"], spec),
        subject=read_name(fields["Subject Name"], spec),
        valid_from=valid_from,
        valid_to=valid_to,
        associated_trustpoints=tuple(value["Associated Trustpoints"].split()),
        storage=value.get("Storage") or None,
        crl_distribution_points=_urls(
            fields.get("CRL Distribution Points"), CRL_ENTRY, "'[1]  <url>'", spec
        ),
        ocsp_urls=_urls(fields.get("OCSP AIA"), OCSP_ENTRY, "'URL: <url>'", spec),
        other_fields=tuple(
            (f.label, tuple(v for v in (f.value, *(e.stripped for e in f.entries)) if v))
            for f in block.other
        ),
    )


def _value(item: _Field, spec: CommandSpec) -> str:
    if item.entries:
        raise fail(
            spec,
            item.entries[0],
            f"a certificate field after '{item.label}:' (it has no indented lines)",
        )
    return item.value


def read_name(item: _Field, spec: CommandSpec) -> DistinguishedName:
    if item.value:
        raise fail(spec, item.line, f"'{item.label}:' alone, with the name on the lines below")
    if not item.entries:
        raise fail(spec, item.line, f"{ENTRY_TEXT} below '{item.label}:'")
    pairs: list[tuple[str, str]] = []
    for entry in item.entries:
        pair = parse_entry(entry.stripped)
        if pair is None:
            raise fail(spec, entry, ENTRY_TEXT)
        pairs.append(pair)
    return DistinguishedName(tuple(pairs))


def _urls(
    item: _Field | None, pattern: re.Pattern[str], shape: str, spec: CommandSpec
) -> tuple[str, ...]:
    if item is None:
        return ()
    if item.value or not item.entries:
        raise fail(spec, item.line, f"'{item.label}:' alone, with {shape} lines below")
    urls: list[str] = []
    for entry in item.entries:
        match = pattern.fullmatch(entry.stripped)
        if match is None:
            raise fail(spec, entry, f"a line like {shape} under '{item.label}:'")
        urls.append(match["url"])
    return tuple(urls)


def _validity(
    item: _Field, spec: CommandSpec, zones: ZoneOffsets | None
) -> tuple[DeviceTime, DeviceTime]:
    dates: dict[str, DeviceTime] = {}
    for entry in item.entries:
        match = VALIDITY_ENTRY.fullmatch(entry.stripped)
        if match is None or match["which"] in dates:
            raise fail(spec, entry, "one 'start date: <time>' and one 'end   date: <time>' line")
        try:
            dates[match["which"]] = parse_stamp(match["stamp"], zones)
        except ValueError as error:
            raise fail(spec, entry, str(error)) from None
    if item.value or set(dates) != {"start", "end"}:
        raise fail(
            spec,
            item.line,
            "'Validity Date:' followed by a 'start date:' and an 'end   date:' line",
        )
    return dates["start"], dates["end"]
