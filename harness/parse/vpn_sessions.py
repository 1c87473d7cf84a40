"""``show vpn-sessiondb anyconnect`` (asa-cli.md section 13.4).

``Label : value`` lines, some of them two to a line (``Username`` / ``Index``, ``Group
Policy`` / ``Tunnel Group`` ...), each pair possibly split over two lines (long usernames,
long policy names). A record starts at ``Username`` and ends at ``Security Grp``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from harness.parse._command import CommandSpec
from harness.parse._text import Line, fail, non_blank, output_lines
from harness.parse._time import DeviceTime, ZoneOffsets, parse_duration, parse_stamp

COMMAND = CommandSpec("show vpn-sessiondb anyconnect", max_arguments=None)

SESSION_TYPE = re.compile(r"Session Type: (?P<type>\S.*)")
NO_SESSIONS = re.compile(r"(?:INFO: )?There are presently no active sessions\.?")

# A left-hand label may share its line with the right-hand label paired with it.
_PAIRS = {
    "Username": "Index",
    "Assigned IP": "Public IP",
    "Bytes Tx": "Bytes Rx",
    "Group Policy": "Tunnel Group",
    "VLAN Mapping": "VLAN",
}
_LABELS = (
    "Username", "Index", "Assigned IPv6", "Assigned IP", "Public IP", "Protocol", "License",
    "Encryption", "Hashing", "Bytes Tx", "Bytes Rx", "Group Policy", "Tunnel Group",
    "Login Time", "Duration", "Inactivity", "VLAN Mapping", "VLAN", "Audt Sess ID",
    "Security Grp",
)  # fmt: skip
_OPTIONAL = ("Assigned IP", "Assigned IPv6")
LABELLED = re.compile(rf"(?P<label>{'|'.join(_LABELS)})\s*:(?:\s+(?P<value>.*))?")
RIGHT_LABEL = re.compile(
    rf"(?P<value>.*?)\s+(?P<label>{'|'.join(_PAIRS.values())})\s*:(?:\s+(?P<right>.*))?"
)


@dataclass(frozen=True)
class VpnSessionRecord:
    session_type: str  # "AnyConnect"
    username: str
    index: int
    public_ip: str
    protocol: tuple[str, ...]  # ("AnyConnect-Parent", "SSL-Tunnel", "DTLS-Tunnel")
    license: str
    encryption: str  # as printed: "AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES-GCM-256"
    hashing: str
    bytes_tx: int
    bytes_rx: int
    group_policy: str
    tunnel_group: str
    login_time: DeviceTime
    duration: dt.timedelta
    inactivity: dt.timedelta
    vlan_mapping: str
    vlan: str
    audit_session_id: str
    security_group: str
    assigned_ip: str | None = None  # absent while only the parent (no tunnel) is up
    assigned_ipv6: str | None = None


@dataclass
class _Draft:
    start: Line
    session_type: str
    values: dict[str, tuple[Line, str]] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        return "Security Grp" in self.values


def parse_vpn_sessions(text: str, *, zones: ZoneOffsets | None = None) -> list[VpnSessionRecord]:
    """Every session; the 'no active sessions' answer is an empty list."""
    session_type: str | None = None
    drafts: list[_Draft] = []
    lines = list(non_blank(output_lines(text, COMMAND)))
    for position, line in enumerate(lines):
        header = SESSION_TYPE.fullmatch(line.stripped)
        if header and session_type is None and not drafts:
            session_type = header["type"]
            continue
        if NO_SESSIONS.fullmatch(line.stripped) and not drafts and position == len(lines) - 1:
            return []
        for label, value in _split(line):
            if label == "Username":
                if session_type is None:
                    raise fail(
                        COMMAND, line, "a 'Session Type: <type>' line before the first session"
                    )
                if drafts and not drafts[-1].closed:
                    raise fail(COMMAND, line, "'Security Grp : ...' closing the session above")
                drafts.append(_Draft(line, session_type))
            elif not drafts or drafts[-1].closed:
                raise fail(COMMAND, line, "'Username : <name>' starting a session")
            draft = drafts[-1]
            if label in draft.values:
                raise fail(COMMAND, line, f"one '{label}' per session")
            draft.values[label] = (line, value)
    if not drafts:
        raise fail(
            COMMAND,
            lines[0] if lines else None,
            "'Session Type: AnyConnect' and sessions, or 'There are presently no active sessions'",
        )
    return [_record(draft, zones) for draft in drafts]


def _split(line: Line) -> list[tuple[str, str]]:
    match = LABELLED.fullmatch(line.stripped)
    if match is None:
        raise fail(
            COMMAND,
            line,
            "a 'Label : value' line of a session (Username, Assigned IP, Protocol ...)",
        )
    label, value = match["label"], (match["value"] or "").strip()
    right = RIGHT_LABEL.fullmatch(value) if label in _PAIRS else None
    if right and right["label"] == _PAIRS[label]:
        return [(label, right["value"].strip()), (right["label"], (right["right"] or "").strip())]
    return [(label, value)]


def _record(draft: _Draft, zones: ZoneOffsets | None) -> VpnSessionRecord:
    for label in _LABELS:
        if label not in _OPTIONAL and label not in draft.values:
            raise fail(COMMAND, draft.start, f"'{label} : ...' in the session that starts here")
    for label, (line, value) in draft.values.items():
        if not value:
            raise fail(COMMAND, line, f"a value after '{label} :'")
    values = {label: value for label, (_, value) in draft.values.items()}

    def number(label: str) -> int:
        line, value = draft.values[label]
        if not value.isdigit():
            raise fail(COMMAND, line, f"a number after '{label} :'")
        return int(value)

    def duration(label: str) -> dt.timedelta:
        line, value = draft.values[label]
        try:
            return parse_duration(value)
        except ValueError as error:
            raise fail(COMMAND, line, str(error)) from None

    login_line, login_value = draft.values["Login Time"]
    try:
        login_time = parse_stamp(login_value, zones)
    except ValueError as error:
        raise fail(COMMAND, login_line, str(error)) from None
    return VpnSessionRecord(
        session_type=draft.session_type,
        username=values["Username"],
        index=number("Index"),
        public_ip=values["Public IP"],
        protocol=tuple(values["Protocol"].split()),
        license=values["License"],
        encryption=values["Encryption"],
        hashing=values["Hashing"],
        bytes_tx=number("Bytes Tx"),
        bytes_rx=number("Bytes Rx"),
        group_policy=values["Group Policy"],
        tunnel_group=values["Tunnel Group"],
        login_time=login_time,
        duration=duration("Duration"),
        inactivity=duration("Inactivity"),
        vlan_mapping=values["VLAN Mapping"],
        vlan=values["VLAN"],
        audit_session_id=values["Audt Sess ID"],
        security_group=values["Security Grp"],
        assigned_ip=values.get("Assigned IP"),
        assigned_ipv6=values.get("Assigned IPv6"),
    )
