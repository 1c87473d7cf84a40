"""Usernames from certificates, local password logins, and group-url normalisation."""

from __future__ import annotations

import pytest

from lab.emulator.device import LocalUser, TunnelGroup
from lab.rules.certificate_username import username_from_certificate
from lab.rules.group_url import GroupUrl, parse_group_url
from lab.rules.password_login import check_password_login
from tests.lab.rules.rule_devices import RulePki, add_group, webvpn_device


@pytest.mark.parametrize(
    ("setting", "subject", "expected"),
    [
        (None, {"OU": "Contractors", "CN": "alice"}, "alice"),
        (None, {"OU": "Contractors"}, "Contractors"),  # no CN: the OU
        ("OU", {"OU": "Contractors", "CN": "alice"}, "Contractors"),
        ("EA CN", {"CN": "alice"}, "alice"),  # primary absent: the secondary
        ("use-entire-name", {"OU": "Contractors", "CN": "alice"}, "CN=alice,OU=Contractors"),
    ],
)
def test_username_from_certificate(
    pki: RulePki, setting: str | None, subject: dict[str, str], expected: str
) -> None:
    certificate = pki.issuing.issue_client(**subject).certificate
    group = TunnelGroup("TG", username_from_certificate=setting)
    assert username_from_certificate(group, certificate) == expected


def test_local_password_login() -> None:
    device = webvpn_device()
    device.users["alice"] = LocalUser.with_password("alice", "s3cret pass")
    group = add_group(device, "TG-CORP")
    assert check_password_login(device, group, "alice", "s3cret pass").accepted
    wrong = check_password_login(device, group, "alice", "guess")
    assert (wrong.accepted, wrong.reason) == (False, "wrong password for local user alice")
    assert check_password_login(device, group, "bob", "x").reason == "no local user bob"


@pytest.mark.parametrize(
    ("server_group", "accepted"),
    [
        ("LOCAL", True),
        ("RADIUS-CORP LOCAL", True),
        ("(inside) RADIUS-CORP LOCAL", True),
        ("RADIUS-CORP", False),
    ],
)
def test_only_the_local_database_is_reachable(server_group: str, accepted: bool) -> None:
    device = webvpn_device()
    device.users["alice"] = LocalUser.with_password("alice", "pw")
    group = add_group(device, "TG-CORP")
    group.authentication_server_group = server_group
    verdict = check_password_login(device, group, "alice", "pw")
    assert verdict.accepted is accepted
    if not accepted:
        assert "server group RADIUS-CORP, which the virtual ASA cannot reach" in verdict.reason


def test_group_url_normalisation() -> None:
    assert parse_group_url("HTTPS://Vpn.Example.Lab/corp/") == GroupUrl(
        "https", "vpn.example.lab", 443, "/corp"
    )
    assert str(parse_group_url("https://vpn.example.lab:8443/corp")) == (
        "https://vpn.example.lab:8443/corp"
    )
    assert parse_group_url("ftp://vpn.example.lab/") is None
    assert parse_group_url("https://vpn.example.lab:99999/") is None
