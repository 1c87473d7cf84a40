"""The documented ASA rules that turn configuration into wire behaviour.

The virtual ASA's listener applies them, and the oracle (expected behaviour computed
from a device's running-config) applies the very same functions, so the two cannot
silently disagree. Every function here is pure: (Device, inputs) -> a frozen decision
that explains itself. Evidence for each rule: docs/fidelity-listener.md.
"""

from lab.rules.certificate_username import username_from_certificate
from lab.rules.client_certificate import (
    ClientCertificateRequest,
    ClientCertificateVerdict,
    client_certificate_request,
    validate_client_certificate,
)
from lab.rules.password_login import PasswordVerdict, check_password_login
from lab.rules.server_identity import ServedIdentity, select_server_identity
from lab.rules.tunnel_group import TunnelGroupDecision, select_tunnel_group

__all__ = [
    "ClientCertificateRequest",
    "ClientCertificateVerdict",
    "PasswordVerdict",
    "ServedIdentity",
    "TunnelGroupDecision",
    "check_password_login",
    "client_certificate_request",
    "select_server_identity",
    "select_tunnel_group",
    "username_from_certificate",
    "validate_client_certificate",
]
