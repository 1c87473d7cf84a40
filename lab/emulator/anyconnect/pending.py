"""Logins between the ASA's ``auth-request`` and the client's ``auth-reply``.

The client must return ``<opaque is-for="sg">`` unchanged (anyconnect-protocol.md section
3.3); the ``aggauth-handle`` in it names the pending login, and the whole opaque is compared
so that an edited ``<tunnel-group>`` is not believed. Logins survive a new TLS connection
(openconnect reconnects to present a certificate), so they are kept per listener, not per
connection; the oldest are forgotten past a bound.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from lab.emulator.anyconnect.messages import Opaque
from lab.rules.tunnel_group import TunnelGroupDecision

MAX_PENDING = 4096


@dataclass(frozen=True)
class PendingLogin:
    opaque: Opaque
    decision: TunnelGroupDecision
    group_url: str | None

    @property
    def tunnel_group(self) -> str:
        return self.decision.tunnel_group


class PendingLogins:
    def __init__(self, limit: int = MAX_PENDING) -> None:
        self._limit = limit
        self._logins: OrderedDict[str, PendingLogin] = OrderedDict()

    def issue(
        self, decision: TunnelGroupDecision, group_url: str | None, config_hash: str
    ) -> PendingLogin:
        handle = str(secrets.randbelow(9 * 10**9) + 10**9)
        fields = [("tunnel-group", decision.tunnel_group)]
        if decision.group_alias is not None:
            fields.append(("group-alias", decision.group_alias))
        fields += [("aggauth-handle", handle), ("config-hash", config_hash)]
        login = PendingLogin(Opaque("sg", tuple(fields)), decision, group_url)
        self._logins[handle] = login
        while len(self._logins) > self._limit:
            self._logins.popitem(last=False)
        return login

    def find(self, opaque: Opaque | None) -> PendingLogin | None:
        """The login this opaque was issued for, if the client returned it unchanged."""
        if opaque is None:
            return None
        login = self._logins.get(opaque.get("aggauth-handle") or "")
        return login if login is not None and login.opaque == opaque else None

    def finish(self, login: PendingLogin) -> None:
        handle = login.opaque.get("aggauth-handle")
        if handle is not None:
            self._logins.pop(handle, None)

    def __len__(self) -> int:
        return len(self._logins)
