"""What the listener answers over HTTP. The AnyConnect aggregate-auth exchange plugs in here."""

from __future__ import annotations

from lab.emulator.device import Device
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.tls import TlsSession

_COMMON_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Pragma", "no-cache"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
]

_LOGON_PAGE = b"""<html><head><title>SSL VPN Service</title></head>
<body><form method="post" action="/+webvpn+/index.html">
<input type="text" name="username"><input type="password" name="password">
</form></body></html>
"""


def handle_request(device: Device, request: HttpRequest, session: TlsSession) -> HttpResponse:
    """Clientless portal basics: ``/`` redirects to the logon page; unknown paths are 404."""
    if request.method == "GET" and request.path == "/":
        return HttpResponse(302, "Found", [("Location", "/+webvpn+/index.html"), *_COMMON_HEADERS])
    if request.method == "GET" and request.path in ("/+webvpn+/index.html", "/+CSCOE+/logon.html"):
        return HttpResponse(
            200, "OK", [("Content-Type", "text/html; charset=utf-8"), *_COMMON_HEADERS], _LOGON_PAGE
        )
    return HttpResponse(404, "Not Found", [("Content-Type", "text/html; charset=utf-8"), *_COMMON_HEADERS])
