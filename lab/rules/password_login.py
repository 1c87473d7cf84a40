"""Whether a username/password login to a tunnel-group succeeds.

Only the local user database is emulated: a group without ``authentication-server-group``
(or with ``LOCAL``, or with ``GROUP LOCAL`` whose fallback applies because no AAA server is
reachable from the virtual ASA) checks ``username NAME password ...`` entries; a group that
names only an external server group fails every login, and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.emulator.device import Device, TunnelGroup

LOCAL_SERVER_GROUP = "LOCAL"


@dataclass(frozen=True)
class PasswordVerdict:
    accepted: bool
    reason: str


def check_password_login(
    device: Device, group: TunnelGroup, username: str, password: str
) -> PasswordVerdict:
    setting = (group.authentication_server_group or LOCAL_SERVER_GROUP).split()
    words = [w for w in setting if not w.startswith("(")] or [LOCAL_SERVER_GROUP]  # ``(nameif)``
    server_group = words[0]
    # ``GROUP LOCAL``: the local database when the group's servers cannot be reached, as here.
    if server_group != LOCAL_SERVER_GROUP and LOCAL_SERVER_GROUP not in words:
        return PasswordVerdict(
            False,
            f"tunnel-group {group.name} authenticates against server group {server_group}, "
            "which the virtual ASA cannot reach",
        )
    if not username:
        return PasswordVerdict(False, "no username was given")
    if device.verify_user(username, password):
        return PasswordVerdict(True, f"local user {username} gave the right password")
    if username not in device.users:
        return PasswordVerdict(False, f"no local user {username}")
    return PasswordVerdict(False, f"wrong password for local user {username}")
