"""show vpn-sessiondb anyconnect."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.parse import ParseError, VpnSessionRecord, parse_vpn_sessions
from harness.parse._time import DeviceTime
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise

GOLDEN = golden("show_vpn-sessiondb_anyconnect__any.txt").text
VARIANTS = golden("show_vpn-sessiondb_anyconnect__any__variants.txt").text


def test_reference_session() -> None:
    (session,) = parse_vpn_sessions(GOLDEN)
    assert session == VpnSessionRecord(
        session_type="AnyConnect",
        username="alice",
        index=7,
        public_ip="192.0.2.50",
        protocol=("AnyConnect-Parent", "SSL-Tunnel"),
        license="AnyConnect Premium",
        encryption="AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES-GCM-256",
        hashing="AnyConnect-Parent: (1)none  SSL-Tunnel: (1)SHA384",
        bytes_tx=15980,
        bytes_rx=3422,
        group_policy="GP-CORP",
        tunnel_group="TG-CORP",
        login_time=DeviceTime(dt.datetime(2026, 5, 11, 10, 15, 2, tzinfo=dt.UTC), "UTC"),
        duration=dt.timedelta(seconds=12),
        inactivity=dt.timedelta(0),
        vlan_mapping="N/A",
        vlan="none",
        audit_session_id="c0a80a0100007000682c1f26",
        security_group="none",
        assigned_ip="10.10.10.1",
    )
    assert parse_vpn_sessions(with_terminal_noise(GOLDEN)) == [session]


def test_two_line_group_long_username_parent_only() -> None:
    assert "Security Grp : none                   \n" in VARIANTS, (
        "fixture lost its trailing spaces"
    )
    bob, carol, dave = parse_vpn_sessions(VARIANTS)
    assert (bob.group_policy, bob.tunnel_group) == (
        "GroupPolicy_contractors-long-name",
        "TG-CONTRACTORS",
    )
    assert bob.duration == dt.timedelta(days=1, hours=12, minutes=33, seconds=7)
    assert bob.security_group == "none"
    assert bob.bytes_tx == 2310124124
    assert bob.protocol == ("AnyConnect-Parent", "SSL-Tunnel", "DTLS-Tunnel")
    assert not bob.login_time.is_aware and bob.login_time.zone == "EDT"
    assert (carol.username, carol.index) == ("carol.longsurname-contractor@partner.example.lab", 13)
    assert (carol.public_ip, carol.assigned_ipv6) == ("2001:db8:91::7", "2001:DB8:1234:1::5678")
    assert (carol.group_policy, carol.tunnel_group) == ("GP-CORP", "TG-CORP")
    assert dave.assigned_ip is None
    assert dave.protocol == ("AnyConnect-Parent",)
    assert (dave.bytes_tx, dave.bytes_rx) == (0, 0)


@pytest.mark.parametrize("name", ["no-sessions", "no-sessions-info"])
def test_no_active_sessions(name: str) -> None:
    assert parse_vpn_sessions(golden(f"show_vpn-sessiondb_anyconnect__any__{name}.txt").text) == []
    assert (
        parse_vpn_sessions("Session Type: AnyConnect\n\nThere are presently no active sessions\n")
        == []
    )


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_vpn_sessions(text)
    return caught.value


def test_truncated_session_names_the_missing_field() -> None:
    truncated = GOLDEN.split("VLAN Mapping")[0]
    error = _error(truncated)
    assert error.line.startswith("Username     : alice")
    assert "VLAN Mapping" in error.expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("License      :", "Licence      :", "'Label : value' line"),
        ("Bytes Tx     : 15980", "Bytes Tx     : lots", "a number after 'Bytes Tx :'"),
        ("Duration     : 0h:00m:12s", "Duration     : 12 seconds", "a duration like"),
        (
            "Login Time   : 10:15:02 UTC Mon May 11 2026",
            "Login Time   : 10:15:02 UTC Tue May 11 2026",
            "is a Mon",
        ),
        ("Session Type: AnyConnect\n", "", "'Session Type: <type>'"),
        (
            "Inactivity   : 0h:00m:00s\n",
            "Inactivity   : 0h:00m:00s\nDuration     : 0h:00m:12s\n",
            "one 'Duration'",
        ),
        (
            "Security Grp : none\n",
            "Security Grp : none\nProtocol     : SSL-Tunnel\n",
            "'Username : <name>' starting",
        ),
    ],
)
def test_garbled_output_is_an_error(old: str, new: str, expected: str) -> None:
    assert old in GOLDEN
    assert expected in _error(GOLDEN.replace(old, new, 1)).expected


def test_session_not_closed_before_the_next_one() -> None:
    text = VARIANTS.replace("Security Grp : none                   \n", "", 1)
    assert "closing the session above" in _error(text).expected


def test_foreign_text_is_an_error() -> None:
    error = _error("Session Type: AnyConnect\n")
    assert error.line_number == 1 and "no active sessions" in error.expected
    assert _error("").line_number == 0
