"""Ask an AnyConnect gateway, as a Cisco client would, which connection profile it assigns.

    result = discover("192.0.2.10", 443, sni="vpn.pinglabz.com", client_identity=alice)
    result.outcome, result.tunnel_group, result.auth_methods

The probe sends the aggregate-auth ``init`` (reference section 2), follows openconnect's
handling of ``<client-cert-request/>`` (reconnect presenting the certificate; without one,
re-send the init with ``<client-cert-fail/>``), submits no credentials, and logs out
afterwards when the gateway issued a session. It keeps no secret: the result says only
whether a session token was issued.

Time: the exchange is bounded by ``timeout``; the logout, when there is one to do, by a
second ``timeout``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from probes.aggauth import (
    AggAuthXmlError,
    ConfigAuth,
    init_request,
    logout_request,
    parse_config_auth,
)
from probes.deadline import Deadline
from probes.gateway import Gateway, GatewayError
from probes.http11 import HttpResponse
from probes.identity import ClientIdentity
from probes.tls import DEFAULT_TLS_VERSIONS
from probes.tls_result import HandshakeResult

Outcome = Literal[
    "auth-request",
    "complete",
    "client-cert-request",
    "cert-validation-failure",
    "error",
    "not-anyconnect",
]

DEFAULT_USER_AGENT = "AnyConnect Linux_64 4.10.07061"
CERTIFICATE_VALIDATION_FAILURE = "certificate validation failure"
WEBVPN_LOGOUT_PAGE = "/+webvpn+/webvpn_logout.html"
#: init messages per probe: first, after presenting a certificate, with client-cert-fail.
_MAX_ROUNDS = 3


@dataclass(frozen=True)
class AnyConnectResult:
    outcome: Outcome
    tunnel_group: str | None
    group_alias: str | None
    auth_methods: tuple[str, ...]
    form_fields: tuple[str, ...]
    group_list: tuple[str, ...]
    banner: str | None
    message: str | None
    session_token_present: bool
    #: The gateway asked for a client certificate in the XML (``<client-cert-request/>``).
    certificate_round: bool
    error: str | None
    http_status: int | None
    handshake: HandshakeResult | None
    #: True: the gateway acknowledged a logout; False: it acknowledged none; None: there
    #: was no session to end (or logout was not asked for).
    logged_out: bool | None
    request_path: str
    group_select: str | None


def device_id_for(user_agent: str) -> str:
    """The ``<device-id>`` a Cisco client on the platform named by the User-Agent sends."""
    text = user_agent.lower()
    if "win" in text:
        return "win"
    if "darwin" in text or "mac" in text:
        return "mac-intel"
    return "linux-64"


def version_for(user_agent: str) -> str:
    match = re.search(r"(\d+(?:\.\d+)+)\s*$", user_agent)
    return match.group(1) if match else "4.10.07061"


def _normalise_path(path: str | None) -> str:
    if not path:
        return "/"
    return path if path.startswith("/") else f"/{path}"


def _http_outcome(response: HttpResponse) -> tuple[Outcome, str]:
    if response.status == 404:
        return (
            "not-anyconnect",
            "HTTP 404: the server does not take an aggregate-auth POST here (not an AnyConnect "
            "gateway, webvpn/anyconnect not enabled on this interface, or a User-Agent it rejects)",
        )
    location = response.header("Location")
    if 300 <= response.status < 400 and location:
        return "error", f"HTTP {response.status}: redirected to {location}"
    reason = f" {response.reason}" if response.reason else ""
    return "error", f"HTTP {response.status}{reason}"


def _parse(response: HttpResponse) -> ConfigAuth | tuple[Outcome, str]:
    if response.status != 200:
        return _http_outcome(response)
    try:
        return parse_config_auth(response.body)
    except AggAuthXmlError as error:
        if error.kind in ("not-config-auth", "malformed"):
            return "not-anyconnect", f"the answer is not aggregate-auth XML: {error}"
        return "error", f"refused the gateway's XML ({error.kind}): {error}"


def _auth_methods(
    final: ConfigAuth, outcome: Outcome, cert_sent: bool, accepted_after_round: bool
) -> tuple[str, ...]:
    """What the gateway showed it authenticates with; a certificate only when it used it."""
    methods: list[str] = []
    accepted = accepted_after_round and outcome in ("auth-request", "complete")
    if final.cert_authenticated or accepted or (outcome == "complete" and cert_sent):
        methods.append("certificate")
    if outcome == "auth-request":
        for field in final.inputs:
            kind = {"password": "password", "sso": "sso"}.get(field.type)
            if kind and kind not in methods:
                methods.append(kind)
    return tuple(methods)


def _classify(final: ConfigAuth) -> tuple[Outcome, str | None]:
    if final.type == "complete":
        return "complete", None
    if final.error and CERTIFICATE_VALIDATION_FAILURE in final.error.lower():
        return "cert-validation-failure", final.error
    if final.client_cert_request:
        return "client-cert-request", "the gateway requires a client certificate"
    if final.multiple_client_cert_request:
        return "client-cert-request", "the gateway asks for machine and user certificates"
    if final.type == "auth-request":
        return "auth-request", final.error
    return "error", f"unexpected config-auth type {final.type!r}"


def _last(answers: Sequence[ConfigAuth], attribute: str) -> ConfigAuth | None:
    return next((a for a in reversed(answers) if getattr(a, attribute)), None)


def _logout(gateway: Gateway, token: str | None, deadline: Deadline) -> bool:
    """Try the XML logout, then the webvpn logout page; True if the gateway acknowledged one."""
    extra = [("Cookie", f"webvpn={token}")] if token and gateway.session_cookie is None else []
    if token:
        try:
            response = gateway.request("POST", "/", deadline, logout_request(token), extra)
            answer = _parse(response)
            if response.status == 200 and not (
                isinstance(answer, ConfigAuth) and answer.type == "auth-request"
            ):
                return True
        except GatewayError:
            pass
    try:
        response = gateway.request("GET", WEBVPN_LOGOUT_PAGE, deadline, None, extra)
    except GatewayError:
        return False
    return response.status in (200, 302)


class _Discovery:
    """The rounds of one exchange and what they collected."""

    def __init__(
        self,
        gateway: Gateway,
        path: str,
        group_select: str | None,
        user_agent: str,
        client_identity: ClientIdentity | None,
    ) -> None:
        self.gateway = gateway
        self.path = path
        self.group_select = group_select
        self.user_agent = user_agent
        self.client_identity = client_identity
        self.answers: list[ConfigAuth] = []
        self.certificate_round = False
        self.presented_on_request = False
        self.http_status: int | None = None

    def init(self, *, client_cert_fail: bool = False) -> bytes:
        return init_request(
            version=version_for(self.user_agent),
            device_id=device_id_for(self.user_agent),
            group_access=f"https://{self.gateway.authority}{self.path}",
            group_select=self.group_select,
            client_cert_fail=client_cert_fail,
        )

    def _connect(self, deadline: Deadline) -> str | None:
        """Open a connection; the failure message when TLS fails."""
        handshake = self.gateway.connect(deadline)
        if handshake.ok:
            return None
        return handshake.failure.message if handshake.failure else "TLS handshake failed"

    def run(self, deadline: Deadline) -> tuple[Outcome, str | None]:
        """Send the init, handle certificate requests as openconnect does; classify the end."""
        failed = self._connect(deadline)
        if failed:
            return "error", failed
        body = self.init()
        presented_again = sent_fail = False
        for _ in range(_MAX_ROUNDS):
            try:
                response = self.gateway.request("POST", self.path, deadline, body)
            except GatewayError as error:
                return "error", str(error)
            self.http_status = response.status
            answer = _parse(response)
            if not isinstance(answer, ConfigAuth):
                return answer
            self.answers.append(answer)
            if not answer.client_cert_request:
                break
            self.certificate_round = True
            handshake = self.gateway.handshake
            already_sent = handshake is not None and handshake.client_cert_sent
            if self.client_identity is not None and not already_sent and not presented_again:
                # openconnect: the ASA may ask at TLS level only on a new connection.
                presented_again = True
                failed = self._connect(deadline)
                if failed:
                    return "error", failed
                assert self.gateway.handshake is not None
                self.presented_on_request = self.gateway.handshake.client_cert_sent
                continue
            if sent_fail:
                break
            sent_fail = True
            body = self.init(client_cert_fail=True)
        return _classify(self.answers[-1])

    def result(
        self, outcome: Outcome, error: str | None, session: bool, logged_out: bool | None
    ) -> AnyConnectResult:
        answers = self.answers
        final = answers[-1] if answers else None
        disclosed = _last(answers, "tunnel_group")
        handshake = self.gateway.handshake
        cert_sent = handshake is not None and handshake.client_cert_sent
        with_groups = _last(answers, "group_list")
        with_banner = _last(answers, "banner")
        methods = (
            _auth_methods(final, outcome, cert_sent, self.presented_on_request) if final else ()
        )
        return AnyConnectResult(
            outcome=outcome,
            tunnel_group=disclosed.tunnel_group if disclosed else None,
            group_alias=disclosed.group_alias if disclosed else None,
            auth_methods=methods,
            form_fields=final.form_fields if final else (),
            group_list=with_groups.group_list if with_groups else (),
            banner=with_banner.banner if with_banner else None,
            message=final.message if final else None,
            session_token_present=session,
            certificate_round=self.certificate_round,
            error=error,
            http_status=self.http_status,
            handshake=handshake,
            logged_out=logged_out,
            request_path=self.path,
            group_select=self.group_select,
        )


def discover(
    host: str,
    port: int,
    *,
    sni: str | None = None,
    client_identity: ClientIdentity | None = None,
    group_url_path: str | None = None,
    group_select: str | None = None,
    timeout: float = 5.0,
    user_agent: str = DEFAULT_USER_AGENT,
    logout: bool = True,
    tls_versions: Sequence[str] = DEFAULT_TLS_VERSIONS,
) -> AnyConnectResult:
    gateway = Gateway(
        host,
        port,
        sni=sni,
        client_identity=client_identity,
        user_agent=user_agent,
        tls_versions=tls_versions,
    )
    discovery = _Discovery(
        gateway, _normalise_path(group_url_path), group_select, user_agent, client_identity
    )
    try:
        outcome, error = discovery.run(Deadline.after(timeout))
        final = discovery.answers[-1] if discovery.answers else None
        token = final.session_token.value if final and final.session_token else None
        session = token is not None or gateway.session_cookie is not None
        logged_out: bool | None = None
        if logout and session:
            logged_out = _logout(gateway, token or gateway.session_cookie, Deadline.after(timeout))
        return discovery.result(outcome, error, session, logged_out)
    finally:
        gateway.close()
