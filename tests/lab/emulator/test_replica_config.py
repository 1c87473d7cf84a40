"""A configuration from another ASA replays robustly: the interfaces it names are created,
lines the virtual ASA does not model are kept where show running-config shows them again,
clear-text secrets are masked before anything is replayed or printed."""

from __future__ import annotations

import asyncio

import pytest

from lab.emulator.device import Device
from lab.emulator.render.running_config import body_lines
from lab.emulator.replay import ReplayProblem, replay_config
from lab.emulator.replica_config import (
    interfaces_named,
    redact_line,
    redact_secrets,
    replay_foreign_config,
    saved_config_text,
)

FOREIGN = """\
: Saved
:
ASA Version 9.16(4)
!
hostname fw-prod
domain-name corp.example
names
!
interface GigabitEthernet0/3
 nameif outside
 security-level 0
 ip address 198.51.100.7 255.255.255.0
 mtu 1400
!
interface Port-channel1.20
 vlan 20
 nameif inside
 security-level 100
 ip address 10.20.0.1 255.255.255.0
!
object network WEB-SERVERS
 subnet 10.20.5.0 255.255.255.0
 description web farm
access-list OUTSIDE_IN extended permit tcp any object WEB-SERVERS eq https
crypto ca trustpoint VPN-TP
 enrollment terminal
 fqdn vpn.corp.example
 auto-enroll 90 regenerate
 crl configure
  policy static
crypto ca certificate map CM-SSL 10
 subject-name attr ou eq contractors
 some-future-criterion foo
webvpn
 enable outside
 anyconnect image disk0:/anyconnect-win-4.10.08025-webdeploy-k9.pkg 1
 anyconnect profiles CORP disk0:/corp.xml
 anyconnect enable
 certificate-group-map CM-SSL 10 TG-CONTRACTORS
group-policy GP-CORP internal
group-policy GP-CORP attributes
 dns-server value 10.20.0.53
 vpn-tunnel-protocol ssl-client
tunnel-group TG-CONTRACTORS type remote-access
tunnel-group TG-CONTRACTORS general-attributes
 default-group-policy GP-CORP
 scep-enrollment enable
tunnel-group TG-CONTRACTORS webvpn-attributes
 authentication aaa certificate
 group-alias CONTRACTORS enable
 radius-reject-message
Cryptochecksum:00112233445566778899aabbccddeeff
: end
"""


def replayed(text: str) -> tuple[Device, list[ReplayProblem]]:
    device = Device()
    return device, asyncio.run(replay_foreign_config(device, text))


def test_the_interfaces_are_the_ones_the_configuration_names() -> None:
    device, _ = replayed(FOREIGN)
    assert list(device.interfaces) == ["GigabitEthernet0/3", "Port-channel1.20"]
    assert device.interface_by_nameif("outside") is not None
    assert device.webvpn_nameifs() == ["outside"]
    assert interfaces_named(FOREIGN) == ["GigabitEthernet0/3", "Port-channel1.20"]


def test_modelled_configuration_is_applied() -> None:
    device, _ = replayed(FOREIGN)
    assert device.hostname == "fw-prod"
    assert device.trustpoints["VPN-TP"].fqdn == "vpn.corp.example"
    assert device.webvpn.certificate_group_maps[0].tunnel_group == "TG-CONTRACTORS"
    group = device.tunnel_groups["TG-CONTRACTORS"]
    assert group.authentication == "aaa certificate"
    assert group.default_group_policy == "GP-CORP"


def test_every_unmodelled_line_is_listed_with_its_line_number() -> None:
    lines = FOREIGN.splitlines()
    _, problems = replayed(FOREIGN)
    listed = {p.line_number: p for p in problems}
    for text in (
        "names",
        " mtu 1400",
        " vlan 20",
        "object network WEB-SERVERS",
        " subnet 10.20.5.0 255.255.255.0",
        "access-list OUTSIDE_IN extended permit tcp any object WEB-SERVERS eq https",
        " auto-enroll 90 regenerate",
        "  policy static",
        " some-future-criterion foo",
        " anyconnect profiles CORP disk0:/corp.xml",
        " scep-enrollment enable",
        " radius-reject-message",
    ):
        number = lines.index(text) + 1
        assert number in listed, text
        assert listed[number].line == text
        assert listed[number].kept
    assert (
        "inside the block of line"
        in listed[lines.index(" subnet 10.20.5.0 255.255.255.0") + 1].message
    )


def test_unmodelled_lines_show_again_in_the_running_configuration() -> None:
    device, _ = replayed(FOREIGN)
    shown = body_lines(device)
    text = "\n".join(shown)
    assert (
        "object network WEB-SERVERS\n subnet 10.20.5.0 255.255.255.0\n description web farm" in text
    )
    assert "access-list OUTSIDE_IN extended permit tcp any object WEB-SERVERS eq https" in shown
    block = shown[shown.index("interface GigabitEthernet0/3") :]
    assert " mtu 1400" in block[: block.index("!")]
    assert " auto-enroll 90 regenerate" in shown
    assert " anyconnect profiles CORP disk0:/corp.xml" in shown
    assert " dns-server value 10.20.0.53" in shown
    assert " scep-enrollment enable" in shown
    # A line of a block without attribute lines is kept with the lines that enclose it.
    assert "crypto ca certificate map CM-SSL 10\n some-future-criterion foo" in text
    assert "crypto ca trustpoint VPN-TP\n crl configure\n  policy static" in text


def test_a_replayed_replica_replays_to_the_same_configuration() -> None:
    first, _ = replayed(FOREIGN)
    again, problems = replayed("\n".join(body_lines(first)) + "\n")
    assert body_lines(again) == body_lines(first)
    assert all(p.kept for p in problems)


def test_a_child_of_an_unknown_block_is_never_executed() -> None:
    # Under an unknown block, a line that happens to be a global command must not run.
    device, problems = replayed("object-group network X\n hostname hijacked\n")
    assert device.hostname == "ciscoasa"
    assert [p.line for p in problems] == ["object-group network X", " hostname hijacked"]


def test_without_keep_unmodelled_the_boot_replay_is_unchanged() -> None:
    device = Device()
    problems = asyncio.run(replay_config(device, "frobnicate\nhostname ok\n"))
    assert device.hostname == "ok"
    assert [(p.line_number, p.kept) for p in problems] == [(1, False)]
    assert device.unmodelled_lines == []


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (" ikev1 pre-shared-key s3cr3t!", " ikev1 pre-shared-key *****"),
        (
            " ikev2 remote-authentication pre-shared-key abc",
            " ikev2 remote-authentication pre-shared-key *****",
        ),
        ("crypto isakmp key topsecret address 0.0.0.0", "crypto isakmp key ***** address 0.0.0.0"),
        (" key radiuskey", " key *****"),
        ("snmp-server community public", "snmp-server community *****"),
        (
            "snmp-server host inside 10.0.0.9 community pub version 2c",
            "snmp-server host inside 10.0.0.9 community ***** version 2c",
        ),
        ("ntp authentication-key 1 md5 ntpsecret", "ntp authentication-key 1 md5 *****"),
        (" ldap-login-password binder", " ldap-login-password *****"),
        ("failover key fokey", "failover key *****"),
        (
            "snmp-server user U G v3 auth sha authpw priv aes 128 privpw",
            "snmp-server user U G v3 auth sha ***** priv aes 128 *****",
        ),
        ("username bob password clearpw privilege 15", "username bob password ***** privilege 15"),
    ],
)
def test_clear_text_secrets_are_masked(line: str, masked: str) -> None:
    assert redact_line(line) == masked


@pytest.mark.parametrize(
    "line",
    [
        "username admin password $sha512$5000$abc=$def= pbkdf2 privilege 15",
        "enable password ***** pbkdf2",
        "passwd 2KFQnbNIdI.2KYOU encrypted",
        " ikev1 pre-shared-key *****",
        "ssh key-exchange group dh-group14-sha256",
        " password-management password-expire-in-days 14",
        "crypto ikev2 policy 1",
        " integrity sha256",
        " keypair VPN-RSA",
    ],
)
def test_hashes_masks_and_ordinary_lines_are_kept(line: str) -> None:
    assert redact_line(line) == line


def test_masking_reports_the_line_numbers() -> None:
    redacted = redact_secrets("hostname a\nsnmp-server community c0mmunity\n")
    assert redacted.masked_lines == (2,)
    assert "c0mmunity" not in redacted.text


def test_a_terminal_capture_keeps_its_line_numbers() -> None:
    capture = "fw# show running-config\n: Saved\nhostname fw\nfw# "
    cleaned = saved_config_text(capture)
    assert cleaned.split("\n") == ["", ": Saved", "hostname fw", ""]
