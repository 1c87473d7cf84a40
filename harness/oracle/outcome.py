"""What the AnyConnect exchange of the probe ends in, given the tunnel-group the rules chose
and the rules' verdict on the client certificate (anyconnect-protocol.md sections 5 and 13).

The probe (probes.anyconnect.discover) sends the ``init``, presents its certificate when
asked and answers ``<client-cert-request/>`` with ``<client-cert-fail/>`` when it has none,
and submits no credentials. So, for the group the client lands on:

* ``authentication certificate`` / ``aaa certificate`` with no certificate or an invalid one:
  ``Certificate Validation Failure`` (5.2, 5.3) -> ``cert-validation-failure``;
* ``authentication certificate`` with a valid certificate: ``complete`` (13 item 7);
* ``aaa certificate`` with a valid certificate, and ``aaa``: the login form
  (``auth-request``); ``saml``: an ``auth-request`` too (the SSO form, or on the virtual
  ASA the form with its "not emulated" error).
"""

from __future__ import annotations

from lab.emulator.device import TunnelGroup
from lab.rules.client_certificate import ClientCertificateVerdict


def expected_outcome(group: TunnelGroup, verdict: ClientCertificateVerdict) -> tuple[str, str]:
    """(the probe's outcome, why)."""
    method = f"tunnel-group {group.name} uses 'authentication {group.authentication}'"
    if group.authentication == "saml":
        return "auth-request", f"{method}: the gateway answers with its SAML form"
    if group.needs_certificate:
        if not verdict.valid:
            return (
                "cert-validation-failure",
                f"{method} and the client certificate is not valid ({verdict.reason}): "
                "Certificate Validation Failure",
            )
        if not group.needs_password:
            return "complete", f"{method} and the certificate is valid: the login completes"
        return "auth-request", f"{method}: the certificate is valid, the password form follows"
    return "auth-request", f"{method}: the login form (the probe submits no password)"
