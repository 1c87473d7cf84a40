"""RFC 6125 name matching for a server certificate.

* DNS host names match SAN dNSName entries only; a wildcard is accepted only as the whole
  left-most label (``*.example.com`` matches ``vpn.example.com``, not ``example.com`` nor
  ``a.b.example.com``), and never as a partial label (``vpn*.example.com``).
* IP addresses match SAN iPAddress entries only.
* The CN is consulted only by :func:`cn_fallback_matches`, for the legacy behaviour
  (AnyConnect, the ASA) of matching the CN when there is no SAN dNSName; the caller reports
  it separately.
"""

from __future__ import annotations

import ipaddress

from cryptography import x509

from probes.certinfo import CertificateSummary, common_names, dns_names, ip_names


def normalise(name: str) -> str:
    name = name.strip().rstrip(".").lower()
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


_IPV4_CHARACTERS = frozenset("0123456789.")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = name.strip("[]")
    if ":" not in address and not _IPV4_CHARACTERS.issuperset(address):
        # Neither IPv4 (digits and dots only) nor IPv6 (has colons): the usual case of a
        # host name, answered without the two parse failures ip_address would go through.
        return None
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def dns_pattern_matches(pattern: str, hostname: str) -> bool:
    pattern, hostname = normalise(pattern), normalise(hostname)
    if not pattern or not hostname:
        return False
    if not pattern.startswith("*."):
        return "*" not in pattern and pattern == hostname
    suffix = pattern[2:]
    if "*" in suffix or suffix.count(".") < 1:
        return False  # no wildcard beyond the left-most label, none directly on a TLD
    label, _, rest = hostname.partition(".")
    return bool(label) and rest == suffix


def san_matches(certificate: x509.Certificate, hostname: str) -> bool:
    address = _ip(hostname)
    if address is not None:
        return any(_ip(entry) == address for entry in ip_names(certificate))
    return any(dns_pattern_matches(entry, hostname) for entry in dns_names(certificate))


def cn_fallback_matches(certificate: x509.Certificate, hostname: str) -> bool | None:
    """CN matching, applicable only to DNS names when the certificate has no SAN dNSName."""
    if _ip(hostname) is not None or dns_names(certificate):
        return None
    return any(dns_pattern_matches(cn, hostname) for cn in common_names(certificate))


def summary_matches(summary: CertificateSummary, hostname: str) -> tuple[bool, bool | None]:
    """(:func:`san_matches`, :func:`cn_fallback_matches`) of the summarised certificate,
    from the SANs and common names its summary already holds."""
    address = _ip(hostname)
    if address is not None:
        ips = (entry[3:] for entry in summary.sans if entry.startswith("IP:"))
        return any(_ip(entry) == address for entry in ips), None
    dns = [entry[4:] for entry in summary.sans if entry.startswith("DNS:")]
    by_san = any(dns_pattern_matches(entry, hostname) for entry in dns)
    if dns:
        return by_san, None
    return by_san, any(dns_pattern_matches(cn, hostname) for cn in summary.common_names)
