"""RFC 6125 pattern matching."""

from __future__ import annotations

import pytest

from probes.hostname import dns_pattern_matches


@pytest.mark.parametrize(
    ("pattern", "hostname", "expected"),
    [
        ("vpn.example.lab", "vpn.example.lab", True),
        ("VPN.Example.LAB", "vpn.example.lab.", True),
        ("vpn.example.lab", "vpn2.example.lab", False),
        ("*.example.lab", "vpn.example.lab", True),
        ("*.example.lab", "example.lab", False),
        ("*.example.lab", "a.vpn.example.lab", False),
        ("vpn*.example.lab", "vpn1.example.lab", False),
        ("*.lab", "example.lab", False),
        ("*.*.example.lab", "a.b.example.lab", False),
        ("", "vpn.example.lab", False),
        ("bücher.example", "xn--bcher-kva.example", True),
    ],
)
def test_dns_pattern(pattern: str, hostname: str, expected: bool) -> None:
    assert dns_pattern_matches(pattern, hostname) is expected
