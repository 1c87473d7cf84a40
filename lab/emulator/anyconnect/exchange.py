"""The aggregate-auth exchange (anyconnect-protocol.md sections 2-6 and 13): what the ASA
answers to ``init``, ``auth-reply`` and ``logout``, given the device and the connection.

Tunnel-group choice, certificate validation and password checks are the lab.rules
functions; this module only sequences them into the protocol's answers.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from lab.emulator.anyconnect import documents
from lab.emulator.anyconnect.messages import ClientMessage
from lab.emulator.anyconnect.pending import PendingLogin, PendingLogins
from lab.emulator.anyconnect.sessions import SessionTable, session_id_of
from lab.emulator.device import Device, TunnelGroup
from lab.rules.certificate_username import username_from_certificate
from lab.rules.client_certificate import ClientCertificateVerdict, validate_client_certificate
from lab.rules.password_login import check_password_login
from lab.rules.tunnel_group import TunnelGroupDecision, select_tunnel_group, ssl_group, ssl_groups

log = logging.getLogger(__name__)

Outcome = Literal[
    "login-form",
    "client-cert-request",
    "certificate-failure",
    "login-failed",
    "complete",
    "logged-out",
    "not-emulated",
    "rejected",
]


@dataclass(frozen=True)
class Connection:
    """What the exchange may know about the connection a message arrived on."""

    request_url: str
    client_chain: tuple[x509.Certificate, ...]
    served_certificate: x509.Certificate
    peer_ip: str


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    body: bytes
    tunnel_group: str | None = None
    detail: str = ""


def server_cert_hash(certificate: x509.Certificate) -> str:
    """SHA-1 of the served certificate's DER, upper-case hex (section 6) [INFERENCE on input]."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha1(der, usedforsecurity=False).hexdigest().upper()


def config_hash(device: Device) -> str:
    """13 digits like the captures: the millisecond time of the last configuration change."""
    changed = device.last_modified[1] if device.last_modified else device.booted_at
    return str(int(changed.timestamp() * 1000))


def group_list(device: Device, decision: TunnelGroupDecision) -> documents.GroupList | None:
    """The drop-down: only with ``tunnel-group-list enable`` and enabled aliases, and only
    while the client may still choose (not after a certificate map or group-url)."""
    if not device.webvpn.tunnel_group_list_enable or not decision.client_may_choose:
        return None
    aliases = tuple(alias for group in ssl_groups(device) for alias in group.enabled_aliases)
    if not aliases:
        return None
    return documents.GroupList(aliases, decision.group_alias)


class AggregateAuth:
    def __init__(self) -> None:
        self.pending = PendingLogins()
        self.sessions = SessionTable()

    def answer(self, device: Device, message: ClientMessage, connection: Connection) -> Answer:
        if message.type == "init":
            return self._init(device, message, connection)
        if message.type == "auth-reply":
            return self._auth_reply(device, message, connection)
        if message.type == "logout":
            return self._logout(device, message)
        return Answer("rejected", documents.root_error(f"Unsupported request type {message.type}."))

    # ------------------------------------------------------------ steps

    def _verdict(self, device: Device, connection: Connection) -> ClientCertificateVerdict:
        return validate_client_certificate(device, connection.client_chain, device.clock.now_utc())

    def _init(self, device: Device, message: ClientMessage, connection: Connection) -> Answer:
        verdict = self._verdict(device, connection)
        group_url = message.group_access or connection.request_url
        decision = select_tunnel_group(
            device,
            client_certificate=verdict.certificate if verdict.valid else None,
            group_url=group_url,
            group_select=message.group_select,
        )
        log.info("AnyConnect init from %s: %s", connection.peer_ip, decision.explanation)
        login = self.pending.issue(decision, group_url, config_hash(device))
        return self._for_group(device, login, verdict, message, connection)

    def _auth_reply(self, device: Device, message: ClientMessage, connection: Connection) -> Answer:
        login = self.pending.find(message.opaque)
        if login is None or ssl_group(device, login.tunnel_group) is None:
            # An opaque this listener did not issue (or edited): start over, as for an init.
            return self._init(device, message, connection)
        verdict = self._verdict(device, connection)
        if message.group_select is not None and login.decision.client_may_choose:
            decision = select_tunnel_group(
                device,
                client_certificate=verdict.certificate if verdict.valid else None,
                group_url=login.group_url,
                group_select=message.group_select,
            )
            if decision.tunnel_group != login.tunnel_group:
                # A new group: its form, and the credentials of this reply are not evaluated.
                self.pending.finish(login)
                moved = self.pending.issue(decision, login.group_url, config_hash(device))
                return self._for_group(
                    device, moved, verdict, message, connection, credentials=False
                )
        return self._for_group(device, login, verdict, message, connection, credentials=True)

    def _for_group(
        self,
        device: Device,
        login: PendingLogin,
        verdict: ClientCertificateVerdict,
        message: ClientMessage,
        connection: Connection,
        *,
        credentials: bool = False,
    ) -> Answer:
        """The answer for the group ``login`` is on; ``credentials``: the message is a reply
        whose username/password are to be checked."""
        group = ssl_group(device, login.tunnel_group)
        assert group is not None
        name = group.name
        choices = group_list(device, login.decision)
        if group.authentication == "saml":
            body = documents.auth_request(
                login.opaque,
                credentials=False,
                group_list=choices,
                error=documents.FormError("SAML authentication is not emulated."),
            )
            return Answer("not-emulated", body, name, "authentication saml")
        if group.needs_certificate:
            if (verdict.presented and not verdict.valid) or (
                not verdict.presented and message.client_cert_fail
            ):
                body = documents.auth_request(
                    login.opaque,
                    credentials=False,
                    group_list=choices,
                    error=documents.CERTIFICATE_VALIDATION_FAILURE,
                )
                return Answer("certificate-failure", body, name, verdict.reason)
            if not verdict.presented:
                return Answer(
                    "client-cert-request",
                    documents.client_cert_request(login.opaque),
                    name,
                    verdict.reason,
                )
            if not group.needs_password:
                assert verdict.certificate is not None
                username = username_from_certificate(group, verdict.certificate)
                return self._complete(device, login, group, username, connection)
        if not credentials:
            body = documents.auth_request(login.opaque, credentials=True, group_list=choices)
            return Answer("login-form", body, name)
        return self._check_password(device, login, group, message, connection, choices)

    def _check_password(
        self,
        device: Device,
        login: PendingLogin,
        group: TunnelGroup,
        message: ClientMessage,
        connection: Connection,
        choices: documents.GroupList | None,
    ) -> Answer:
        username = message.username or ""
        verdict = check_password_login(device, group, username, message.password or "")
        if not verdict.accepted:
            body = documents.auth_request(
                login.opaque, credentials=True, group_list=choices, error=documents.LOGIN_FAILED
            )
            return Answer("login-failed", body, group.name, verdict.reason)
        return self._complete(device, login, group, username, connection)

    def _complete(
        self,
        device: Device,
        login: PendingLogin,
        group: TunnelGroup,
        username: str,
        connection: Connection,
    ) -> Answer:
        self.pending.finish(login)
        session = self.sessions.open(
            device, username=username, group=group, public_ip=connection.peer_ip
        )
        body = documents.complete(
            session_id_of(session),
            session.session_token,
            server_cert_hash(connection.served_certificate),
        )
        return Answer("complete", body, group.name, f"session {session.index} for {username}")

    def _logout(self, device: Device, message: ClientMessage) -> Answer:
        closed = self.sessions.close(device, message.session_token or "")
        if closed is None:
            return Answer("rejected", documents.root_error("No session with this token."))
        return Answer(
            "logged-out", documents.logged_out(), closed.tunnel_group, f"session {closed.index}"
        )
