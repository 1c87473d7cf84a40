"""``show crypto ca trustpoints [TRUSTPOINT]`` (asa-cli.md section 4, layout RECONSTRUCTED).

No capture exists, so only the shape every source agrees on is relied upon: a block per
trustpoint starting ``Trustpoint NAME:``. Inside it, an optional ``Subject Name:`` with
``key=value`` lines, an optional serial number line, and status sentences kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.parse._command import CommandSpec
from harness.parse._dn import DistinguishedName, parse_entry
from harness.parse._text import Line, fail, output_lines

COMMAND = CommandSpec("show crypto ca trustpoints", max_arguments=1)

HEADER = re.compile(r"Trustpoint (?P<name>\S+):")
SUBJECT = re.compile(r"Subject Name:")
# "Serial Number (hex):" is IOS's spelling of the same line; accepted in case ASA shares it.
SERIAL = re.compile(r"Serial Number(?: \(hex\))?:\s+(?P<serial>[0-9A-Fa-f]+)")

SELF_SIGNED_STATUS = "Configured for self-signed certificate generation."
CERTIFICATE_STATUS = "Certificate configured."
NOT_AUTHENTICATED_STATUS = "Not authenticated."


@dataclass(frozen=True)
class TrustpointRecord:
    name: str
    status: tuple[str, ...] = ()  # the status sentences, as printed
    subject: DistinguishedName | None = None  # the CA certificate's subject, when shown
    serial: str | None = None

    @property
    def configured_for_self_signed(self) -> bool:
        return SELF_SIGNED_STATUS in self.status

    @property
    def certificate_configured(self) -> bool:
        return CERTIFICATE_STATUS in self.status

    @property
    def authenticated(self) -> bool:
        """False only when the device says ``Not authenticated.``."""
        return NOT_AUTHENTICATED_STATUS not in self.status


@dataclass
class _Draft:
    header: Line
    name: str
    status: list[str] = field(default_factory=list)
    subject: list[tuple[str, str]] | None = None
    serial: str | None = None
    in_subject: bool = False


def parse_trustpoints(text: str) -> list[TrustpointRecord]:
    drafts: list[_Draft] = []
    for line in output_lines(text, COMMAND):
        if line.blank:
            continue
        header = HEADER.fullmatch(line.text)
        if header:
            drafts.append(_Draft(line, header["name"]))
            continue
        if not drafts:
            raise fail(COMMAND, line, "a 'Trustpoint NAME:' line")
        draft = drafts[-1]
        if line.indent == 0:
            raise fail(
                COMMAND,
                line,
                "an indented line of the trustpoint above, or a 'Trustpoint NAME:' line",
            )
        entry = parse_entry(line.stripped) if draft.in_subject else None
        if entry is not None and draft.subject is not None:
            draft.subject.append(entry)
            continue
        draft.in_subject = False
        serial = SERIAL.fullmatch(line.stripped)
        if SUBJECT.fullmatch(line.stripped):
            if draft.subject is not None:
                raise fail(COMMAND, line, "one 'Subject Name:' per trustpoint")
            draft.subject, draft.in_subject = [], True
        elif serial:
            if draft.serial is not None:
                raise fail(COMMAND, line, "one serial number per trustpoint")
            draft.serial = serial["serial"].lower()
        else:
            draft.status.append(line.stripped)
    return [_record(draft) for draft in drafts]


def _record(draft: _Draft) -> TrustpointRecord:
    if draft.subject is not None and not draft.subject:
        raise fail(
            COMMAND,
            draft.header,
            "'key=value' lines after 'Subject Name:' in the trustpoint that starts here",
        )
    return TrustpointRecord(
        name=draft.name,
        status=tuple(draft.status),
        subject=DistinguishedName(tuple(draft.subject)) if draft.subject is not None else None,
        serial=draft.serial,
    )
