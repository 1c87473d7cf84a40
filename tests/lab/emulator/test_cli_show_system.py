"""show version (ntc-templates and Genie parse it), show clock / clock set / clock
timezone, show running-config frame, show ssl, show vpn-sessiondb, debug crypto ca."""

from __future__ import annotations

import datetime as dt
from unittest.mock import Mock

import pytest
from genie.libs.parser.asa.show_version import ShowVersion
from ntc_templates.parse import parse_output

from lab.emulator.device import VpnSession
from tests.lab.emulator.cli_console import Console, assert_layout
from tests.lab.emulator.conftest import install_key, rsa_key


def test_show_version_parses_with_ntc_templates_and_genie(console: Console) -> None:
    text = console.exec("show version")
    [record] = parse_output(platform="cisco_asa", command="show version", data=text)
    assert record["version"] == "9.23(1)"
    assert record["hostname"] == "ciscoasa"
    assert record["serial"] == ["9ALAB0000A1"]
    assert record["interfaces"] == list(console.device.interfaces)
    parsed = ShowVersion(device=Mock()).parse(output=text)["version"]
    assert parsed["asa_version"] == "9.23(1)"
    assert parsed["platform"] == "ASAv"
    assert parsed["hostname"] == "ciscoasa"
    assert parsed["serial_number"] == "9ALAB0000A1"


def test_show_version_last_modified_line(console: Console) -> None:
    console.device.last_modified = None
    assert console.exec("show version").splitlines()[-1] == (
        "Configuration has not been modified since last system restart."
    )
    console.exec("clock set 10:01:33 May 11 2026")
    console.run("hostname asa-lab")
    last = console.exec("show version").splitlines()[-1]
    assert last.startswith("Configuration last modified by enable_15 at 10:01:33.")
    assert last.endswith(" UTC Mon May 11 2026")
    [record] = parse_output(platform="cisco_asa", command="sh ver", data=console.exec("sh ver"))
    assert record["hostname"] == "asa-lab" and record["last_mod"].startswith(
        "enable_15 at 10:01:33"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "clock set 10:15:02 May 11 2026",
        "clock set 10:15:02 11 may 2026",
        "clock set 10:15:2 11 MAY 2026",
    ],
)
def test_clock_set_accepts_month_day_in_either_order(console: Console, typed: str) -> None:
    assert console.exec(typed) == ""
    shown = console.exec("show clock")
    assert shown.startswith("10:15:0") and shown.endswith(" UTC Mon May 11 2026\n")
    assert_layout(shown, "{date}".replace("{date}", "10:15:0{int}.{int} UTC Mon May 11 2026"))


def test_clock_timezone_shifts_the_shown_time_and_is_configured(console: Console) -> None:
    console.exec("clock set 10:00:00 May 11 2026")
    console.run("clock timezone GMT 8")
    assert console.exec("show clock").startswith("18:00:")  # the same moment, shown in GMT+8
    console.run("no clock timezone")
    assert console.exec("show clock").startswith("10:00:")
    console.run("clock timezone IST 5 30")
    assert "clock timezone IST 5 30" in console.show_run().splitlines()
    assert console.exec("show clock").startswith("15:30:")
    console.run("clock timezone PST -8")
    assert "clock timezone PST -8" in console.show_run().splitlines()


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("clock set 25:00:00 May 11 2026", len("clock set ")),
        ("clock set 10:00:00 Feb 30 2026", len("clock set 10:00:00 Feb ")),
        ("clock set 10:00:00 Smarch 11 2026", len("clock set 10:00:00 ")),
        ("clock set 10:00:00 May 11 1850", len("clock set 10:00:00 May 11 ")),
    ],
)
def test_clock_set_rejects_impossible_times(console: Console, typed: str, column: int) -> None:
    before = console.device.clock.offset
    out = console.exec(typed)
    assert out.splitlines()[0].index("^") == len("ciscoasa# ") + column
    assert console.device.clock.offset == before


def test_device_clock_dates_enrollment(console: Console) -> None:
    install_key(console, "K", rsa_key())
    console.exec("clock set 00:37:39 May 10 2026")
    for line in ["crypto ca trustpoint SELF", " enrollment self", " keypair K", " exit"]:
        console.run(line)
    console.run("crypto ca enroll SELF noconfirm")
    shown = console.exec("show crypto ca certificates")
    assert "    start date: 00:37:39 UTC May 10 2026\n" in shown
    assert "    end   date: 00:37:39 UTC May 7 2036\n" in shown  # PL: ten years of 365 days


def test_running_config_frame(console: Console) -> None:
    assert_layout(
        console.exec("show running-config"),
        """\
: Saved

:
: Serial Number: 9ALAB0000A1
: Hardware:   ASAv, 8192 MB RAM, CPU Xeon E5 series 2200 MHz, 1 CPU (2 cores)
:
ASA Version 9.23(1)
!
hostname ciscoasa
!
interface Management0/0
{...}
webvpn
 enable outside
 anyconnect enable
!
Cryptochecksum:{hex}
: end""",
    )
    checksum = console.exec("show running-config").splitlines()[-2].removeprefix("Cryptochecksum:")
    assert len(checksum) == 32
    console.run("domain-name example.lab")
    assert console.exec("show running-config").splitlines()[-2] != f"Cryptochecksum:{checksum}"
    assert console.exec("write terminal") == console.exec("show running-config")


def test_running_config_sections(console: Console) -> None:
    console.run("crypto ca trustpoint TP")
    console.run("crypto ca trustpoint TP2")
    assert console.exec("show running-config crypto ca trustpoint TP").splitlines() == [
        "crypto ca trustpoint TP",
        " crl configure",
    ]
    assert console.exec("sh run crypto").splitlines() == [
        "crypto ca trustpoint TP",
        " crl configure",
        "crypto ca trustpoint TP2",
        " crl configure",
        "crypto ca trustpool policy",
    ]


SSL = """\
Accept connections using SSLv3 or greater and negotiate to TLSv1.2 or greater
Start connections using TLSv1.2 and negotiate to TLSv1.2 or greater
SSL DH Group: group14 (2048-bit modulus, FIPS)
SSL ECDH Group: group19 (256-bit EC)

SSL trust-points:
  Self-signed (RSA 2048 bits RSA-SHA256) certificate available
  Interface outside: TP-VPN (RSA 2048 bits RSA-SHA256)
  Domain partner.example.lab: TP-PARTNER (no certificate)

Certificate authentication is not enabled"""


def test_show_ssl_lists_bindings(console: Console) -> None:
    install_key(console, "K", rsa_key())
    for line in [
        "crypto ca trustpoint TP-VPN",
        " enrollment self",
        " keypair K",
        " exit",
        "crypto ca trustpoint TP-PARTNER",
        " exit",
    ]:
        console.run(line)
    console.run("crypto ca enroll TP-VPN noconfirm")
    console.run("ssl trust-point TP-VPN outside")
    console.run("ssl trust-point TP-PARTNER domain partner.example.lab")
    assert_layout(console.exec("show ssl"), SSL)
    certificate = console.exec("show ssl certificate")
    assert certificate.startswith("Interface outside: TP-VPN\nCertificate\n  Status: Available\n")
    console.run("no ssl trust-point TP-VPN outside")
    assert "Interface outside" not in console.exec("show ssl")
    assert console.exec("show ssl certificate").startswith(
        "Interface outside: ASA Temporary Self Signed Certificate\n"
    )


def test_ssl_trust_point_errors(console: Console) -> None:
    assert (
        console.run("ssl trust-point NOPE outside") == "ERROR: CA trustpoint 'NOPE' is not known.\n"
    )
    console.run("crypto ca trustpoint TP")
    console.run("exit")
    out = console.run("ssl trust-point TP nowhere")
    assert out.splitlines()[0].index("^") == len(console.prompt) + len("ssl trust-point TP ")
    assert console.run("ssl trust-point TP outside domain partner.example.lab") == ""
    assert console.device.ssl.domain_trustpoints == {"partner.example.lab": ("TP", "outside")}
    assert "ssl trust-point TP outside domain partner.example.lab" in console.show_run()


def _session(index: int, user: str, *, tunnel: bool) -> VpnSession:
    return VpnSession(
        index=index,
        username=user,
        tunnel_group="TG-CORP",
        group_policy="GP-CORP",
        public_ip="192.0.2.50",
        login_time=dt.datetime(2026, 5, 11, 10, 15, 2, tzinfo=dt.UTC),
        session_token="token",
        protocol="AnyConnect-Parent SSL-Tunnel" if tunnel else "AnyConnect-Parent",
        assigned_ip="10.10.10.101" if tunnel else None,
        bytes_tx=15980 if tunnel else 0,
        bytes_rx=3422 if tunnel else 0,
    )


SESSIONS = """\

Session Type: AnyConnect

Username     : alice                  Index        : 7
Assigned IP  : 10.10.10.101           Public IP    : 192.0.2.50
Protocol     : AnyConnect-Parent SSL-Tunnel
License      : AnyConnect Premium
Encryption   : AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES-GCM-256
Hashing      : AnyConnect-Parent: (1)none  SSL-Tunnel: (1)SHA384
Bytes Tx     : 15980                  Bytes Rx     : 3422
Group Policy : GP-CORP                Tunnel Group : TG-CORP
Login Time   : 10:15:02 UTC Mon May 11 2026
Duration     : {int}h:{int}m:{int}s
Inactivity   : 0h:00m:00s
VLAN Mapping : N/A                    VLAN         : none
Audt Sess ID : c000020a00000007{hex8}
Security Grp : none

Username     : contractor.with.a.long.name@example.lab
Index        : 8
Public IP    : 192.0.2.50
Protocol     : AnyConnect-Parent
License      : AnyConnect Premium
Encryption   : AnyConnect-Parent: (1)none
Hashing      : AnyConnect-Parent: (1)none
Bytes Tx     : 0                      Bytes Rx     : 0
Group Policy : GP-CORP                Tunnel Group : TG-CORP
Login Time   : 10:15:02 UTC Mon May 11 2026
Duration     : {int}h:{int}m:{int}s
Inactivity   : 0h:00m:00s
VLAN Mapping : N/A                    VLAN         : none
Audt Sess ID : c000020a00000008{hex8}
Security Grp : none

"""


def test_vpn_sessiondb_layout_parses_with_ntc_templates(console: Console) -> None:
    assert console.exec("show vpn-sessiondb anyconnect") == (
        "INFO: There are presently no active sessions\n"
    )
    assert (
        parse_output(
            platform="cisco_asa",
            command="show vpn-sessiondb anyconnect",
            data=console.exec("show vpn-sessiondb anyconnect"),
        )
        == []
    )
    console.device.sessions.extend(
        [
            _session(7, "alice", tunnel=True),
            _session(8, "contractor.with.a.long.name@example.lab", tunnel=False),
        ]
    )
    text = console.exec("show vpn-sessiondb anyconnect")
    assert_layout(text, SESSIONS)
    records = parse_output(platform="cisco_asa", command="show vpn-sessiondb anyconnect", data=text)
    assert [(r["username"], r["index"], r["tunnel_group"], r["assigned_ip"]) for r in records] == [
        ("alice", "7", "TG-CORP", "10.10.10.101"),
        ("contractor.with.a.long.name@example.lab", "8", "TG-CORP", ""),
    ]


def test_vpn_sessiondb_logoff(console: Console) -> None:
    console.device.sessions.extend(
        [_session(7, "alice", tunnel=True), _session(8, "bob", tunnel=False)]
    )
    out = console.exec("vpn-sessiondb logoff name alice noconfirm")
    assert out == 'INFO: Number of sessions with name "alice" logged off : 1\n'
    assert [s.username for s in console.device.sessions] == ["bob"]
    out = console.exec("vpn-sessiondb logoff name alice noconfirm")
    assert out == 'INFO: Number of sessions with name "alice" logged off : 0\n'
    out = console.exec("vpn-sessiondb logoff index 8", "")
    assert out.splitlines() == [
        "Do you want to logoff the VPN session(s)? [confirm]",
        'INFO: Number of sessions with index "8" logged off : 1',
    ]
    assert console.device.sessions == []


def test_debug_crypto_ca_traces_certificate_work(console: Console) -> None:
    assert console.exec("debug crypto ca") == "debug crypto ca enabled at level 1\n"
    assert console.exec("show debug") == "debug crypto ca enabled at level 1\n"
    install_key(console, "K", rsa_key())
    for line in ["crypto ca trustpoint SELF", " enrollment self", " keypair K", " exit"]:
        console.run(line)
    out = console.run("crypto ca enroll SELF noconfirm")
    assert "CRYPTO_PKI: Generating a self-signed certificate for trustpoint SELF" in out
    out = console.run("crypto ca authenticate SELF", "junk", "quit")
    assert out.splitlines()[-2:] == [
        "CRYPTO_PKI: status = 65535: failed to process RA certificate.",
        "% Error in saving certificate: status = FAIL",
    ]
    console.exec("undebug all")
    assert console.exec("show debug") == ""
    assert "CRYPTO_PKI" not in console.run("crypto ca authenticate SELF", "junk", "quit")
