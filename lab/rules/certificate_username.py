"""The username a certificate-only login gets (``username-from-certificate``).

Without the setting the ASA is believed to take the CN, then the OU (anyconnect-protocol.md
section 12) [INFERENCE]. With ``username-from-certificate PRIMARY [SECONDARY]`` the emulator
takes the primary attribute, else the secondary one [INFERENCE]; ``use-entire-name`` gives
the whole subject DN. ``upn`` and ``use-script`` are not emulated and fall back to the default.
"""

from __future__ import annotations

from cryptography import x509

from lab.emulator.device import TunnelGroup
from lab.rules.certificate_fields import ATTRIBUTE_TAGS, name_attribute_values, whole_name

DEFAULT_ATTRIBUTES = ("cn", "ou")


def username_from_certificate(group: TunnelGroup, certificate: x509.Certificate) -> str:
    setting = (group.username_from_certificate or "").lower().split()
    if setting == ["use-entire-name"]:
        return whole_name(certificate.subject)
    attributes = [word for word in setting if word in ATTRIBUTE_TAGS] or list(DEFAULT_ATTRIBUTES)
    for tag in attributes:
        values = name_attribute_values(certificate.subject, tag)
        if values:
            return values[0]
    return whole_name(certificate.subject)
