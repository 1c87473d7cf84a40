"""What the listener answers over HTTP: the AnyConnect application first, then the few
clientless-portal pages a client may touch (``/`` redirects to the logon page)."""

from __future__ import annotations

from lab.emulator.anyconnect.service import (
    SECURITY_HEADERS,
    AnyConnectService,
    http_date,
    not_found,
)
from lab.emulator.device import Device
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.tls import TlsSession

LOGON_PATHS = ("/+webvpn+/index.html", "/+CSCOE+/logon.html")

_LOGON_PAGE = b"""<html><head><title>SSL VPN Service</title></head>
<body><form method="post" action="/+webvpn+/index.html">
<input type="text" name="username"><input type="password" name="password">
</form></body></html>
"""


def handle_request(
    device: Device, request: HttpRequest, session: TlsSession, anyconnect: AnyConnectService
) -> HttpResponse:
    answer = anyconnect.handle(device, request, session)
    if answer is not None:
        return answer
    common = [*SECURITY_HEADERS, ("Date", http_date(device))]
    if request.method == "GET" and request.path == "/":
        return HttpResponse(302, "Found", [("Location", LOGON_PATHS[0]), *common])
    if request.method == "GET" and request.path in LOGON_PATHS:
        return HttpResponse(
            200, "OK", [("Content-Type", "text/html; charset=utf-8"), *common], _LOGON_PAGE
        )
    return not_found(device)
