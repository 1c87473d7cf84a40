"""``show vpn-sessiondb anyconnect`` in the layout the ntc-templates parser reads
(asa-cli.md section 13.4: label in 13 columns + ``: ``, right-hand pair at column 38)."""

from __future__ import annotations

import datetime as dt

from lab.emulator.device import Device, VpnSession

NO_SESSIONS = "INFO: There are presently no active sessions"
_RIGHT_COLUMN = 38


def _field(label: str, value: object) -> str:
    return f"{label:<13}: {value}"


def _pair(left: tuple[str, object], right: tuple[str, object]) -> list[str]:
    """Two fields on one line, or on two when the left value reaches the right column."""
    first = _field(*left)
    if len(first) < _RIGHT_COLUMN:
        return [first.ljust(_RIGHT_COLUMN) + _field(*right)]
    return [first, _field(*right)]


def _duration(seconds: float) -> str:
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h:{minutes:02d}m:{secs:02d}s"


def audit_session_id(device: Device, session: VpnSession) -> str:
    """24 hex digits: the ASA's address, the session index, the login time (the shape of
    every captured ID, e.g. ``c0a80a01 00007000 682c1f26``)."""
    address = "0.0.0.0"
    for nameif in device.webvpn_nameifs():
        interface = device.interface_by_nameif(nameif)
        if interface is not None and interface.ip_address:
            address = interface.ip_address
            break
    packed = "".join(f"{int(part):02x}" for part in address.split("."))
    stamp = int(session.login_time.timestamp()) & 0xFFFFFFFF
    return f"{packed}{session.index & 0xFFFFFFFF:08x}{stamp:08x}"


def _tunnels(session: VpnSession) -> list[str]:
    return session.protocol.split()


def _per_tunnel(session: VpnSession, *, hashing: bool) -> str:
    parts: list[str] = []
    for tunnel in _tunnels(session):
        if tunnel == "AnyConnect-Parent":
            parts.append(f"{tunnel}: (1)none")
        else:
            parts.append(f"{tunnel}: (1){session.ssl_hash if hashing else session.ssl_cipher}")
    return "  ".join(parts)


def session_block(device: Device, session: VpnSession, now: dt.datetime) -> list[str]:
    clock = device.clock
    login = clock.to_local(session.login_time)
    lines = [*_pair(("Username", session.username), ("Index", session.index))]
    if session.assigned_ip:
        lines.extend(_pair(("Assigned IP", session.assigned_ip), ("Public IP", session.public_ip)))
    else:
        lines.append(_field("Public IP", session.public_ip))
    lines.extend(
        [
            _field("Protocol", session.protocol),
            _field("License", "AnyConnect Premium"),
            _field("Encryption", _per_tunnel(session, hashing=False)),
            _field("Hashing", _per_tunnel(session, hashing=True)),
            *_pair(("Bytes Tx", session.bytes_tx), ("Bytes Rx", session.bytes_rx)),
            *_pair(("Group Policy", session.group_policy), ("Tunnel Group", session.tunnel_group)),
            _field(
                "Login Time",
                f"{login:%H:%M:%S} {clock.zone_name} {login:%a %b} {login.day} {login.year}",
            ),
            _field("Duration", _duration((now - session.login_time).total_seconds())),
            _field("Inactivity", "0h:00m:00s"),
            *_pair(("VLAN Mapping", "N/A"), ("VLAN", "none")),
            _field("Audt Sess ID", audit_session_id(device, session)),
            _field("Security Grp", "none"),
        ]
    )
    return lines


def show_vpn_sessiondb_anyconnect(device: Device) -> list[str]:
    if not device.sessions:
        return [NO_SESSIONS]
    now = device.clock.now_utc()
    lines = ["", "Session Type: AnyConnect", ""]
    for session in sorted(device.sessions, key=lambda s: s.index):
        lines.extend([*session_block(device, session, now), ""])
    return lines
