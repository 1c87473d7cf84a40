"""What OpenSSL's info callback shows of a client handshake, and how a TLS-layer error
becomes one of the failure kinds of :class:`~probes.tls_result.HandshakeFailure`.

The states and alerts come from the public ``set_info_callback`` API: the state reached
("read server certificate request", "write certificate verify") and every alert sent or
received, with its level and code.
"""

from __future__ import annotations

import errno
import os

from OpenSSL import SSL

from probes.alerts import alert_name
from probes.tls_result import HandshakeFailure

# OpenSSL's state strings (SSL_state_string_long) for the client-side steps we report.
_READ_SERVER_HELLO = b"SSLv3/TLS read server hello"
_READ_CERT_REQUEST = b"SSLv3/TLS read server certificate request"
_READ_SERVER_DONE = b"SSLv3/TLS read server done"
_READ_FINISHED = b"SSLv3/TLS read finished"
_WROTE_CERT_VERIFY = b"SSLv3/TLS write certificate verify"
_READ_SESSION_TICKET = b"SSLv3/TLS read server session ticket"

_FATAL = 2
_ALERT = SSL.SSL_CB_ALERT
_READ = SSL.SSL_CB_READ
_LOOP = SSL.SSL_CB_LOOP


class HandshakeObserver:
    """OpenSSL's info callback: the handshake states reached and the alerts exchanged.

    Called about fifteen times per handshake, so it does as little as it can: every other
    kind of call (handshake start and done, exits) returns at once, and states stay the
    bytes OpenSSL gives.
    """

    def __init__(self) -> None:
        self.states: set[bytes] = set()
        self.received_alert: int | None = None
        self.sent_alert: int | None = None
        self.tickets_read = 0

    def __call__(self, connection: SSL.Connection, where: int, ret: int) -> None:
        if where & _ALERT:
            level, code = (ret >> 8) & 0xFF, ret & 0xFF
            if where & _READ:
                if level == _FATAL or code == 0:
                    self.received_alert = code
            elif level == _FATAL:
                self.sent_alert = code
        elif where & _LOOP:
            state = connection.get_state_string()
            self.states.add(state)
            if state == _READ_SESSION_TICKET:
                self.tickets_read += 1

    @property
    def certificate_requested(self) -> bool:
        return _READ_CERT_REQUEST in self.states

    @property
    def certificate_sent(self) -> bool:
        # CertificateVerify is written only when a certificate went out (TLS 1.2 and 1.3).
        return _WROTE_CERT_VERIFY in self.states

    @property
    def past_certificate_request(self) -> bool:
        """The point where a CertificateRequest would already have arrived."""
        return bool({_READ_SERVER_DONE, _READ_FINISHED} & self.states)

    @property
    def server_hello_read(self) -> bool:
        return _READ_SERVER_HELLO in self.states


def _openssl_reason(error: SSL.Error) -> str:
    reasons: list[str] = []
    for entry in error.args[0] if error.args and isinstance(error.args[0], list) else []:
        if isinstance(entry, tuple) and entry and entry[-1]:
            reasons.append(str(entry[-1]))
    return "; ".join(reasons) or str(error) or type(error).__name__


def _alert_failure(code: int, observer: HandshakeObserver) -> HandshakeFailure:
    name = alert_name(code)
    if name == "close_notify":
        return HandshakeFailure("closed", "the server closed the TLS session (close_notify)")
    said = f"the server sent the fatal alert {name} ({code})"
    cert_missing = observer.certificate_requested and not observer.certificate_sent
    if name == "certificate_required" or (name == "handshake_failure" and cert_missing):
        return HandshakeFailure(
            "client_cert_required",
            f"{said}: it requires a client certificate and none was sent",
            name,
        )
    if name == "unknown_ca":
        return HandshakeFailure(
            "unknown_ca", f"{said}: it does not trust the issuer of the client certificate", name
        )
    return HandshakeFailure("alert", said, name)


def classify(error: SSL.Error, observer: HandshakeObserver) -> HandshakeFailure:
    """A TLS-layer exception as one of the failure kinds of :class:`HandshakeFailure`."""
    if observer.received_alert is not None:
        return _alert_failure(observer.received_alert, observer)
    if isinstance(error, SSL.ZeroReturnError):
        return HandshakeFailure("closed", "the server closed the TLS session")
    if isinstance(error, SSL.SysCallError):
        code = error.args[0] if error.args and isinstance(error.args[0], int) else -1
        if code == errno.ECONNRESET:
            return HandshakeFailure("reset", "the server reset the connection (TCP RST)")
        if code in (-1, 0):
            return HandshakeFailure("closed", "the server closed the connection mid-handshake")
        return HandshakeFailure("reset", f"connection error: {os.strerror(code)}")
    reason = _openssl_reason(error)
    if "unexpected eof" in reason.lower():
        return HandshakeFailure("closed", "the server closed the connection mid-handshake")
    sent = (
        f" (the probe sent the alert {alert_name(observer.sent_alert)})"
        if observer.sent_alert is not None
        else ""
    )
    return HandshakeFailure("protocol", f"TLS protocol error: {reason}{sent}")
