"""The tunnel-group of a certificate-only login, read from the device's session table.

A certificate-only ``complete`` does not name its tunnel-group (anyconnect-protocol.md
section 14 question 1), so after such a login the oracle reads ``show vpn-sessiondb
anyconnect``, takes the newest session opened since the audit began whose username comes
from the client certificate, and logs it off (``vpn-sessiondb logoff index N noconfirm``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from harness.device import DeviceSession
from harness.parse import ParseError, VpnSessionRecord, parse

SHOW_SESSIONS = "show vpn-sessiondb anyconnect"


@dataclass(frozen=True)
class SessionFinding:
    tunnel_group: str | None
    evidence: str


def _sessions(session: DeviceSession) -> list[VpnSessionRecord] | None:
    output = session.exec(SHOW_SESSIONS)
    try:
        records = parse(SHOW_SESSIONS, output.output)
    except ParseError:
        return None
    assert isinstance(records, list)
    return [r for r in records if isinstance(r, VpnSessionRecord)]


def certificate_usernames(certificate: x509.Certificate) -> set[str]:
    """Every name a username-from-certificate setting could take from ``certificate``."""
    names = {str(attribute.value) for attribute in certificate.subject}
    names.add(certificate.subject.rfc4514_string())
    return names


class SessionTable:
    def __init__(self, session: DeviceSession) -> None:
        self.session = session
        found = _sessions(session)
        self._seen = max((r.index for r in found), default=0) if found else 0

    def take(self, certificate: x509.Certificate) -> SessionFinding:
        """The group of the login just made with ``certificate``; the session is logged off."""
        found = _sessions(self.session)
        if found is None:
            return SessionFinding(None, f"'{SHOW_SESSIONS}' could not be read")
        new = [r for r in found if r.index > self._seen]
        names = certificate_usernames(certificate)
        mine = [r for r in new if r.username in names] or (new if len(new) == 1 else [])
        if not mine:
            listed = ", ".join(f"{r.username} (index {r.index})" for r in new) or "none"
            return SessionFinding(
                None, f"no new session of this certificate (new sessions: {listed})"
            )
        newest = max(mine, key=lambda r: r.index)
        self._seen = max(r.index for r in new)
        self.session.exec(f"vpn-sessiondb logoff index {newest.index} noconfirm")
        return SessionFinding(
            newest.tunnel_group,
            f"session index {newest.index}, username {newest.username}, tunnel-group "
            f"{newest.tunnel_group} ({SHOW_SESSIONS}); logged off",
        )
