"""The aggregate-auth application on the HTTP side: which requests are AnyConnect's, the
User-Agent rule, the HTTP framing of a real ASA, and logout by cookie.

anyconnect-protocol.md: section 2.1 (content types), 2.2 (User-Agent rule: 404 unless it
starts with ``AnyConnect``), 3.1 and 13 item 9 (framing), 7 (logout).
"""

from __future__ import annotations

import email.utils
import logging
from dataclasses import dataclass

from lab.emulator.anyconnect import documents
from lab.emulator.anyconnect.exchange import AggregateAuth, Answer, Connection
from lab.emulator.anyconnect.messages import MalformedMessageError, parse_client_message
from lab.emulator.device import Device
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.tls import TlsSession
from lab.rules.group_url import request_url

log = logging.getLogger(__name__)

USER_AGENT_PREFIX = "AnyConnect"
LOGOUT_PATH = "/+webvpn+/webvpn_logout.html"
#: Real clients send form-urlencoded (with an XML body), openconnect application/xml.
ACCEPTED_CONTENT_TYPES = ("application/x-www-form-urlencoded", "application/xml", "text/xml", "")

SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Pragma", "no-cache"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
]


@dataclass
class AnyConnectSettings:
    #: A current ASA answers an XML POST with 404 unless the User-Agent starts with
    #: ``AnyConnect`` (OC#665); switch off to serve any client.
    require_anyconnect_user_agent: bool = True


def http_date(device: Device) -> str:
    return email.utils.format_datetime(device.clock.now_utc(), usegmt=True)


def _content_type(request: HttpRequest) -> str:
    return request.header("content-type").split(";", 1)[0].strip().lower()


def is_aggregate_auth(request: HttpRequest) -> bool:
    if request.method != "POST" or _content_type(request) not in ACCEPTED_CONTENT_TYPES:
        return False
    return request.header("x-aggregate-auth") == "1" or request.body.lstrip().startswith(b"<")


def not_found(device: Device) -> HttpResponse:
    return HttpResponse(
        404,
        "Not Found",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Date", http_date(device)),
            *SECURITY_HEADERS,
        ],
    )


class AnyConnectService:
    def __init__(self, settings: AnyConnectSettings | None = None) -> None:
        self.settings = settings or AnyConnectSettings()
        self.exchange = AggregateAuth()

    def handle(self, device: Device, request: HttpRequest, tls: TlsSession) -> HttpResponse | None:
        """The answer when ``request`` belongs to AnyConnect, else None."""
        if is_aggregate_auth(request):
            return self._aggregate_auth(device, request, tls)
        if request.method == "GET" and request.path == LOGOUT_PATH:
            return self._logout_page(device, request)
        return None

    def _aggregate_auth(
        self, device: Device, request: HttpRequest, tls: TlsSession
    ) -> HttpResponse:
        agent = request.header("user-agent")
        if self.settings.require_anyconnect_user_agent and not agent.startswith(USER_AGENT_PREFIX):
            return not_found(device)
        try:
            message = parse_client_message(request.body)
        except MalformedMessageError as error:
            log.info("malformed aggregate-auth request from %s: %s", tls.peer_address[0], error)
            return self._xml(device, documents.root_error("Malformed request."))
        host = request.header("host") or tls.sni or tls.peer_address[0]
        connection = Connection(
            request_url=request_url(host, request.path),
            client_chain=tls.client_chain,
            served_certificate=tls.identity.certificate,
            peer_ip=tls.peer_address[0],
        )
        answer: Answer = self.exchange.answer(device, message, connection)
        log.info(
            "aggregate-auth %s -> %s (%s) %s",
            message.type,
            answer.outcome,
            answer.tunnel_group,
            answer.detail,
        )
        return self._xml(device, answer.body)

    @staticmethod
    def _xml(device: Device, body: bytes) -> HttpResponse:
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            *SECURITY_HEADERS,
            ("Connection", "Keep-Alive"),
            ("Date", http_date(device)),
            ("X-Aggregate-Auth", "1"),
        ]
        return HttpResponse(200, "OK", headers, body, chunked=True)

    def _logout_page(self, device: Device, request: HttpRequest) -> HttpResponse:
        token = request.cookies.get("webvpn", "")
        closed = self.exchange.sessions.close(device, token) if token else None
        text = "You have been logged out." if closed else "No active session."
        page = f"<html><head><title>SSL VPN Service</title></head><body>{text}</body></html>\n"
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "webvpn=; expires=Thu, 01 Jan 1970 22:00:00 GMT; path=/; secure"),
            *SECURITY_HEADERS,
            ("Date", http_date(device)),
        ]
        return HttpResponse(200, "OK", headers, page.encode())
