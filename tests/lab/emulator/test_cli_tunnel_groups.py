"""Remote-access configuration: tunnel-groups, group-policies, users, certificate maps,
tunnel-group-map and webvpn (asa-cli.md sections 9.2, 10, 11, 12)."""

from __future__ import annotations

from tests.lab.emulator.cli_console import Console

CARET = "ERROR: % Invalid input detected at '^' marker."


def caret_column(output: str) -> int:
    first = output.splitlines()[0]
    assert first.strip() == "^", output
    return first.index("^")


def test_tunnel_group_blocks_show_and_replay(console: Console) -> None:
    lines = [
        "group-policy GP-CORP internal",
        "group-policy GP-CORP attributes",
        " vpn-tunnel-protocol ssl-client",
        "tunnel-group TG-CORP type remote-access",
        "tunnel-group TG-CORP general-attributes",
        " address-pool VPN-POOL",
        " default-group-policy GP-CORP",
        "tunnel-group TG-CORP webvpn-attributes",
        " authentication certificate",
        " group-alias CORP enable",
        " group-url https://vpn.example.lab/corp enable",
    ]
    assert all(out == "" for out in console.runs(lines))
    shown = console.exec("show running-config tunnel-group")
    assert shown.splitlines() == [
        "tunnel-group TG-CORP type remote-access",
        "tunnel-group TG-CORP general-attributes",
        " address-pool VPN-POOL",
        " default-group-policy GP-CORP",
        "tunnel-group TG-CORP webvpn-attributes",
        " authentication certificate",
        " group-alias CORP enable",
        " group-url https://vpn.example.lab/corp enable",
    ]
    assert console.exec("show running-config group-policy").splitlines() == [
        "group-policy GP-CORP internal",
        "group-policy GP-CORP attributes",
        " vpn-tunnel-protocol ssl-client",
    ]
    group = console.device.tunnel_groups["TG-CORP"]
    assert group.needs_certificate and not group.needs_password
    assert group.enabled_aliases == ["CORP"]


def test_authentication_under_general_attributes_is_rejected_with_the_caret(
    console: Console,
) -> None:
    """PL types it there; the documented ASA has it under webvpn-attributes (section 14 #1)."""
    console.run("tunnel-group SSL_PROFILE type remote-access")
    console.run("tunnel-group SSL_PROFILE general-attributes")
    before = console.show_run()
    out = console.run(" authentication certificate")
    assert out.splitlines()[1] == CARET
    assert caret_column(out) == len("ciscoasa(config-tunnel-general)# ") + 1
    out = console.run("authentication aaa certificate")
    assert caret_column(out) == len("ciscoasa(config-tunnel-general)# ")
    assert console.show_run() == before
    assert console.prompt == "ciscoasa(config-tunnel-general)# "
    assert console.device.tunnel_groups["SSL_PROFILE"].authentication == "aaa"


def test_authentication_methods_and_no_form(console: Console) -> None:
    console.run("tunnel-group TG type remote-access")
    console.run("tunnel-group TG webvpn-attributes")
    group = console.device.tunnel_groups["TG"]
    for typed, stored in [
        ("authentication aaa certificate", "aaa certificate"),
        ("authentication certificate aaa", "aaa certificate"),
        ("authentication certificate", "certificate"),
        ("authentication saml", "saml"),
        ("authentication aaa", "aaa"),
    ]:
        assert console.run(typed) == ""
        assert group.authentication == stored
    console.run("authentication certificate")
    console.run("no authentication")
    assert group.authentication == "aaa"
    assert "authentication" not in console.exec("show running-config tunnel-group TG")


def test_group_alias_and_url_enable_disable(console: Console) -> None:
    console.run("tunnel-group TG type remote-access")
    console.run("tunnel-group TG webvpn-attributes")
    console.run("group-alias ONE enable")
    console.run("group-alias TWO disable")
    console.run("group-url https://vpn.example.lab:8443/two disable")
    group = console.device.tunnel_groups["TG"]
    assert group.group_aliases == {"ONE": True, "TWO": False}
    assert group.enabled_urls == []
    console.run("no group-alias TWO")
    assert group.group_aliases == {"ONE": True}
    out = console.run("group-url vpn.example.lab/x enable")
    assert CARET in out and caret_column(out) == len(console.prompt) + len("group-url ")


def test_unknown_tunnel_group_attributes_are_refused(console: Console) -> None:
    out = console.run("tunnel-group NOPE general-attributes")
    assert out == "ERROR: tunnel-group NOPE does not exist\n"
    assert console.prompt == "ciscoasa(config)# "


def test_default_groups_are_implicit_and_shown_once_modified(console: Console) -> None:
    assert "DefaultWEBVPNGroup" not in console.show_run()
    console.run("tunnel-group DefaultWEBVPNGroup webvpn-attributes")
    assert "DefaultWEBVPNGroup" not in console.show_run()
    console.run("authentication certificate")
    assert console.exec("show running-config tunnel-group").splitlines() == [
        "tunnel-group DefaultWEBVPNGroup webvpn-attributes",
        " authentication certificate",
    ]
    console.run("exit")
    console.run("no tunnel-group DefaultWEBVPNGroup")
    assert "DefaultWEBVPNGroup" not in console.show_run()


def test_ipsec_l2l_name_warning_is_verbatim(console: Console) -> None:
    out = console.run("tunnel-group PEER type ipsec-l2l")
    assert out.splitlines() == [
        "WARNING: For IKEv1, L2L tunnel-groups that have names which are not an IP",
        "address may only be used if the tunnel authentication",
        "method is Digital Certificates and/or The peer is",
        "configured to use Aggressive Mode",
    ]
    assert console.run("tunnel-group 198.51.100.7 type ipsec-l2l") == ""


def test_certificate_map_rules_are_stored_lower_cased(console: Console) -> None:
    assert console.run("crypto ca certificate map CONTRACTOR-MAP 10") == ""
    assert console.prompt == "ciscoasa(config-ca-cert-map)# "
    console.run(" subject-name attr ou eq Contractors")
    console.run(" issuer-name attr cn co Issuing CA")
    console.run(" extended-key-usage co 1.3.6.1.5.5.7.3.2")
    console.run("alternate-subject-name co @Partner.Example.lab")
    console.run("subject-name attr ou eq CONTRACTORS")  # same rule once lower-cased
    entry = console.device.certificate_maps[("CONTRACTOR-MAP", 10)]
    assert [rule.config_line() for rule in entry.rules] == [
        "subject-name attr ou eq contractors",
        "issuer-name attr cn co issuing ca",
        "extended-key-usage co 1.3.6.1.5.5.7.3.2",
        "alternate-subject-name co @partner.example.lab",
    ]
    console.run("no issuer-name attr cn co Issuing CA")
    assert len(entry.rules) == 3
    console.run("crypto ca certificate map CONTRACTOR-MAP 5")
    assert console.exec("show running-config crypto ca certificate map").splitlines() == [
        "crypto ca certificate map CONTRACTOR-MAP 5",
        "crypto ca certificate map CONTRACTOR-MAP 10",
        " subject-name attr ou eq contractors",
        " extended-key-usage co 1.3.6.1.5.5.7.3.2",
        " alternate-subject-name co @partner.example.lab",
    ]


def test_certificate_map_rejects_unknown_operator_and_tag(console: Console) -> None:
    console.run("crypto ca certificate map CM 10")
    out = console.run("subject-name attr ou is contractors")
    assert caret_column(out) == len(console.prompt) + len("subject-name attr ou ")
    out = console.run("subject-name attr xx eq contractors")
    assert caret_column(out) == len(console.prompt) + len("subject-name attr ")
    assert console.device.certificate_maps[("CM", 10)].rules == []


def test_certificate_group_map_prints_the_info_line(console: Console) -> None:
    console.run("crypto ca certificate map CM-SSL 10")
    console.run("exit")
    console.run("webvpn")
    out = console.run("certificate-group-map CM-SSL 10 TG-CONTRACTORS")
    assert out == (
        "INFO: If a certificate map is configured ASA  will ask all users loading the logon "
        "page for a client certificate.\n"
    )
    console.run("tunnel-group-preference group-url")
    console.run("tunnel-group-list enable")
    assert console.device.webvpn.prefer_group_url
    assert console.exec("show running-config webvpn").splitlines() == [
        "webvpn",
        " enable outside",
        " anyconnect enable",
        " tunnel-group-list enable",
        " tunnel-group-preference group-url",
        " certificate-group-map CM-SSL 10 TG-CONTRACTORS",
    ]
    console.run("no certificate-group-map CM-SSL 10 TG-CONTRACTORS")
    console.run("no tunnel-group-preference group-url")
    assert console.device.webvpn.certificate_group_maps == []
    assert not console.device.webvpn.prefer_group_url


def test_tunnel_group_map_forms(console: Console) -> None:
    console.run("tunnel-group CONTRACTOR_PROFILE type remote-access")
    console.run("crypto ca certificate map CONTRACTOR-MAP 10")
    assert console.run("tunnel-group-map enable rules") == ""
    assert console.run("tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE") == ""
    assert console.run("tunnel-group-map 20 default-group CONTRACTOR_PROFILE") == ""
    assert console.run("no tunnel-group-map enable peer-ip") == ""
    out = console.run("tunnel-group-map CONTRACTOR-MAP 20 NO_SUCH_GROUP")
    assert out == "ERROR: tunnel-group NO_SUCH_GROUP does not exist\n"
    settings = console.device.tunnel_group_map
    assert settings.enable_rules and not settings.enable_peer_ip and settings.enable_ou
    assert console.exec("show running-config tunnel-group-map").splitlines() == [
        "tunnel-group-map enable rules",
        "no tunnel-group-map enable peer-ip",
        "tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE",
        "tunnel-group-map 20 default-group CONTRACTOR_PROFILE",
    ]
    # Removing the group removes what refers to it, so that the configuration still boots.
    console.run("no tunnel-group CONTRACTOR_PROFILE")
    assert console.exec("show running-config tunnel-group-map").splitlines() == [
        "tunnel-group-map enable rules",
        "no tunnel-group-map enable peer-ip",
    ]


def test_username_keeps_only_a_pbkdf2_hash_that_survives_replay(console: Console) -> None:
    console.run("username alice password Secr3t!pass privilege 15")
    console.run("username bob password other")
    text = console.show_run()
    assert "Secr3t!pass" not in text and "other" not in text
    lines = [line for line in text.splitlines() if line.startswith("username")]
    assert lines[0].startswith("username alice password $sha512$5000$")
    assert lines[0].endswith(" pbkdf2 privilege 15")
    assert lines[1].startswith("username bob password $sha512$5000$") and lines[1].endswith(
        " pbkdf2"
    )
    replayed = Console()
    for line in lines:
        assert replayed.run(line) == ""
    assert replayed.device.verify_user("alice", "Secr3t!pass")
    assert not replayed.device.verify_user("alice", "secr3t!pass")
    assert replayed.device.verify_user("bob", "other")
    assert not replayed.device.verify_user("carol", "other")
    out = replayed.run("username eve password not-a-hash pbkdf2")
    assert CARET in out and "eve" not in replayed.device.users


def test_group_policy_nested_webvpn_mode_and_exit(console: Console) -> None:
    console.run("group-policy GP internal")
    console.run("group-policy GP attributes")
    console.run("webvpn")
    assert console.prompt == "ciscoasa(config-group-webvpn)# "
    console.run("anyconnect keep-installer installed")
    console.run("exit")
    assert console.prompt == "ciscoasa(config-group-policy)# "
    console.run("dns-server value 10.1.1.1")
    console.run("dns-server value 10.1.1.2")
    assert console.exec("show running-config group-policy GP").splitlines() == [
        "group-policy GP internal",
        "group-policy GP attributes",
        " dns-server value 10.1.1.2",
        " webvpn",
        "  anyconnect keep-installer installed",
    ]
    console.run("exit")
    out = console.run("tunnel-group T type remote-access")
    assert out == "" and console.prompt == "ciscoasa(config)# "
    console.run("tunnel-group T general-attributes")
    out = console.run("default-group-policy MISSING")
    assert out == "ERROR: group-policy MISSING does not exist\n"
    assert console.run("default-group-policy DfltGrpPolicy") == ""


def test_remote_access_configuration_replays_identically(console: Console) -> None:
    for line in [
        "ip local pool VPN-POOL 10.10.10.100-10.10.10.200 mask 255.255.255.0",
        "group-policy GP internal",
        "group-policy GP attributes",
        " vpn-tunnel-protocol ssl-client",
        " webvpn",
        "  anyconnect keep-installer installed",
        "tunnel-group TG type remote-access",
        "tunnel-group TG general-attributes",
        " address-pool VPN-POOL",
        " default-group-policy GP",
        " username-from-certificate cn ou",
        "tunnel-group TG webvpn-attributes",
        " authentication aaa certificate",
        " group-alias TG enable",
        "crypto ca certificate map CM 10",
        " subject-name attr ou eq Contractors",
        "webvpn",
        " certificate-group-map CM 10 TG",
        "tunnel-group-map enable rules",
        "tunnel-group-map CM 10 TG",
        "username admin password pass privilege 15",
        "username admin attributes",
        " service-type admin",
    ]:
        out = console.run(line)
        assert "ERROR" not in out, (line, out)
    first = console.show_run()
    copy = Console()
    for line in first.splitlines():
        if line.startswith((":", "ASA Version", "Cryptochecksum", "!")):
            continue
        if not line.startswith(" "):
            copy.session.enter("config")
        out = copy.run(line)
        assert "ERROR" not in out, (line, out)
    assert copy.show_run() == first
