"""show ssl (layout RECONSTRUCTED; binding lines fixed by tooling)."""

from __future__ import annotations

import pytest

from harness.parse import KeyDetails, ParseError, SslBinding, parse_ssl
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise

GOLDEN = golden("show_ssl__any.txt").text


def test_reference_layout() -> None:
    status = parse_ssl(GOLDEN)
    assert (status.server_versions, status.server_negotiates) == (
        "SSLv3 or greater",
        "TLSv1.2 or greater",
    )
    assert (status.client_versions, status.client_negotiates) == ("TLSv1.2", "TLSv1.2 or greater")
    assert status.server_minimum_version == "TLSv1.2"
    assert status.client_minimum_version == "TLSv1.2"
    assert (status.dh_group, status.dh_group_details) == ("group14", "2048-bit modulus, FIPS")
    assert (status.ecdh_group, status.ecdh_group_details) == ("group19", "256-bit EC")
    assert [s.key for s in status.self_signed] == [
        KeyDetails("RSA", 2048, "RSA-SHA256"),
        KeyDetails("EC", 256, "ecdsa-with-SHA256"),
    ]
    assert all(s.state == "available" for s in status.self_signed)
    assert status.bindings == (
        SslBinding(
            "interface",
            "outside",
            "TP-VPN",
            "RSA 2048 bits RSA-SHA256",
            KeyDetails("RSA", 2048, "RSA-SHA256"),
        ),
        SslBinding(
            "domain",
            "partner.example.lab",
            "TP-PARTNER",
            "RSA 2048 bits RSA-SHA256",
            KeyDetails("RSA", 2048, "RSA-SHA256"),
        ),
    )
    assert status.interface_trustpoint("outside") == "TP-VPN"
    assert status.interface_trustpoint("inside") is None
    assert status.domain_trustpoint("PARTNER.example.lab") == "TP-PARTNER"
    assert status.certificate_authentication is False
    assert status.certificate_authentication_line == "Certificate authentication is not enabled"
    assert status.other_settings == ()


def test_terminal_noise_changes_nothing() -> None:
    assert parse_ssl(with_terminal_noise(GOLDEN)) == parse_ssl(GOLDEN)


def test_other_settings_vpnlb_and_enabled_authentication() -> None:
    text = (
        "Accept connections using TLSv1.2 and negotiate to TLSv1.2 or greater\n"
        "Enabled cipher order: aes256-sha1 aes128-sha1\n"
        "SSL trust-points:\n"
        "  VPNLB Interface outside: TP-LB (RSA 2048 bits SHA256 with RSA Encryption)\n"
        "  Interface inside: TP-IN\n"
        "Certificate authentication is enabled on interface outside\n"
    )
    status = parse_ssl(text)
    assert status.other_settings == (("Enabled cipher order", "aes256-sha1 aes128-sha1"),)
    lb, inside = status.bindings
    assert lb.vpnlb and lb.trustpoint == "TP-LB"
    assert lb.key == KeyDetails("RSA", 2048, "SHA256 with RSA Encryption")
    assert inside.details is None and inside.key is None
    assert (
        status.interface_trustpoint("outside") is None
    )  # the load-balancing binding is not the interface's
    assert status.certificate_authentication is True
    assert (status.server_versions, status.server_minimum_version) == ("TLSv1.2", "TLSv1.2")
    assert status.client_versions is None and status.client_minimum_version is None


def test_no_trust_points_configured() -> None:
    status = parse_ssl(
        "Start connections using TLSv1.2 and negotiate to TLSv1.2\nNo SSL trust-points configured\n"
    )
    assert status.bindings == () and status.self_signed == ()
    assert status.client_minimum_version is None  # "TLSv1.2" alone is not "... or greater"


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        ("", 0, "Accept connections"),
        ("hello\n", 1, "'show ssl' line"),
        ("SSL trust-points:\n  Interface outside TP-VPN\n", 2, "trust-point line"),
        (
            GOLDEN.replace(
                "Certificate authentication is not enabled",
                "Certificate authentication is not enabled\n"
                "Certificate authentication is not enabled",
            ),
            14,
            "each once",
        ),
        ("SSL DH Group: group14\n", 1, "Accept connections"),
        ("               ^\nERROR: % Invalid input detected at '^' marker.\n", 2, "error answer"),
    ],
)
def test_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_ssl(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected
