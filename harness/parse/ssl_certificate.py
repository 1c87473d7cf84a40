"""``show ssl certificate`` (asa-cli.md section 5: no capture exists, layout RECONSTRUCTED).

Read as: for each binding, a header line naming it, then the certificate blocks of the
``show crypto ca certificates`` layout. Accepted headers are the binding lines of
``show ssl`` (``Interface outside: TP-VPN (...)``, ``Domain fqdn: TP (...)``) and
``Trustpoint TP:``; certificate blocks before any header belong to no named binding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse._text import Line, output_lines
from harness.parse._time import ZoneOffsets
from harness.parse.certificates import CertificateRecord, read_certificate_blocks
from harness.parse.ssl import SslBinding, binding_from_line

COMMAND = CommandSpec("show ssl certificate", max_arguments=None)

TRUSTPOINT = re.compile(r"Trustpoint:? (?P<trustpoint>[^\s:]+):?")


@dataclass(frozen=True)
class ServedCertificates:
    trustpoint: str | None
    binding: SslBinding | None  # None when the header names only the trustpoint, or is absent
    certificates: tuple[CertificateRecord, ...]

    @property
    def identity(self) -> CertificateRecord | None:
        return next((c for c in self.certificates if c.kind == "identity"), None)


def parse_ssl_certificate(
    text: str, *, zones: ZoneOffsets | None = None
) -> list[ServedCertificates]:
    sections: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for line in output_lines(text, COMMAND, drop_elisions=True):
        if line.indent == 0 and (binding_from_line(line.text) or TRUSTPOINT.fullmatch(line.text)):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    served: list[ServedCertificates] = []
    for header, lines in sections:
        certificates = tuple(read_certificate_blocks(lines, COMMAND, zones))
        if header is None and not certificates:
            continue
        served.append(_section(header, certificates))
    return served


def _section(
    header: Line | None, certificates: tuple[CertificateRecord, ...]
) -> ServedCertificates:
    if header is None:
        return ServedCertificates(None, None, certificates)
    binding = binding_from_line(header.stripped)
    if binding is not None:
        return ServedCertificates(binding.trustpoint, binding, certificates)
    named = TRUSTPOINT.fullmatch(header.stripped)
    return ServedCertificates(named["trustpoint"] if named else None, None, certificates)
