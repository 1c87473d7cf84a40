"""The session table behind ``show vpn-sessiondb anyconnect``: a completed login adds an
AnyConnect-Parent session (anyconnect-protocol.md sections 6 and 12), a logout removes it.
Called on the emulator's loop thread only, like everything that touches the device."""

from __future__ import annotations

import hmac
import secrets

from lab.emulator.device import DEFAULT_GROUP_POLICY, Device, TunnelGroup, VpnSession

PARENT_PROTOCOL = "AnyConnect-Parent"


def new_session_token(session_id: int) -> str:
    """``<hex>@<session-id>@<hex>@<40 hex>``, the shape seen from real ASAs [THIRD] THIRD-B."""
    return (
        f"{secrets.token_hex(3).upper()}@{session_id}@{secrets.token_hex(2).upper()}"
        f"@{secrets.token_hex(20).upper()}"
    )


def session_id_of(session: VpnSession) -> str:
    return session.session_token.split("@")[1]


class SessionTable:
    """Numbers sessions like the ASA's ``Index`` (never reused while the device runs)."""

    def __init__(self) -> None:
        self._last_index = 0

    def open(
        self, device: Device, *, username: str, group: TunnelGroup, public_ip: str
    ) -> VpnSession:
        self._last_index = max([self._last_index, *(s.index for s in device.sessions)]) + 1
        session_id = secrets.randbelow(900_000) + 100_000
        session = VpnSession(
            index=self._last_index,
            username=username,
            tunnel_group=group.name,
            group_policy=group.default_group_policy or DEFAULT_GROUP_POLICY,
            public_ip=public_ip,
            login_time=device.clock.now_utc(),
            session_token=new_session_token(session_id),
            protocol=PARENT_PROTOCOL,
        )
        device.sessions.append(session)
        return session

    @staticmethod
    def close(device: Device, token: str) -> VpnSession | None:
        """Remove the session whose token is ``token``; None when there is none."""
        for session in device.sessions:
            if hmac.compare_digest(session.session_token.encode(), token.encode()):
                device.sessions.remove(session)
                return session
        return None
