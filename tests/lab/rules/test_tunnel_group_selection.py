"""anyconnect-protocol.md section 9: the order in which an SSL client's tunnel-group is chosen."""

from __future__ import annotations

import pytest
from cryptography import x509

from lab.emulator.device import Device
from lab.rules.tunnel_group import select_tunnel_group
from tests.lab.rules.rule_devices import (
    RulePki,
    add_group,
    add_map,
    route_ike,
    route_ssl,
    webvpn_device,
)

CORP_URL = "https://vpn.example.lab:8443/corp"


@pytest.fixture(scope="module")
def contractor(pki: RulePki) -> x509.Certificate:
    return pki.issuing.issue_client(OU="Contractors", CN="alice").certificate


@pytest.fixture(scope="module")
def employee(pki: RulePki) -> x509.Certificate:
    return pki.issuing.issue_client(OU="Employees", CN="bob").certificate


def corp_device() -> Device:
    """TG-CORP (alias CORP, group-url /corp) and TG-CONTRACTORS (alias CONTRACTORS) routed by
    a certificate map on OU=Contractors."""
    device = webvpn_device()
    add_group(device, "TG-CORP", aliases={"CORP": True}, urls={CORP_URL: True})
    add_group(
        device, "TG-CONTRACTORS", authentication="aaa certificate", aliases={"CONTRACTORS": True}
    )
    add_map(device, "CM-SSL", 10, "subject-name attr ou eq contractors")
    route_ssl(device, "CM-SSL", 10, "TG-CONTRACTORS")
    return device


def test_no_input_lands_on_the_default_group() -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=None, group_url=None, group_select=None
    )
    assert (decision.tunnel_group, decision.decided_by) == ("DefaultWEBVPNGroup", "default")
    assert decision.group_alias is None
    assert decision.client_may_choose


def test_certificate_map_routes_a_matching_certificate(contractor: x509.Certificate) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=contractor, group_url=None, group_select=None
    )
    assert (decision.tunnel_group, decision.decided_by) == ("TG-CONTRACTORS", "certificate-map")
    assert decision.group_alias == "CONTRACTORS"
    assert decision.deciding_rule.rule == "webvpn certificate-group-map CM-SSL 10 TG-CONTRACTORS"
    assert not decision.client_may_choose


def test_a_non_matching_certificate_falls_through(employee: x509.Certificate) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=employee, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "DefaultWEBVPNGroup"
    assert "no value of ['Employees'] equals 'contractors'" in decision.explanation


def test_sequences_are_tried_lowest_first_whatever_the_config_order(
    contractor: x509.Certificate,
) -> None:
    device = corp_device()
    add_group(device, "TG-AUDIT")
    add_map(device, "CM-SSL", 5, "subject-name attr cn eq alice")
    # Configured after sequence 10, but sequence 5 is tried first.
    route_ssl(device, "CM-SSL", 5, "TG-AUDIT")
    decision = select_tunnel_group(
        device, client_certificate=contractor, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "TG-AUDIT"
    assert [r.rule for r in decision.considered if r.rank == "certificate-map"] == [
        "webvpn certificate-group-map CM-SSL 5 TG-AUDIT",
        "webvpn certificate-group-map CM-SSL 10 TG-CONTRACTORS",
    ]


def test_a_sequence_whose_rules_only_partly_match_is_skipped(contractor: x509.Certificate) -> None:
    device = corp_device()
    add_group(device, "TG-PARTNER")
    add_map(
        device,
        "CM-SSL",
        5,
        "subject-name attr ou eq contractors",
        "issuer-name attr cn eq partner issuing ca",
    )
    route_ssl(device, "CM-SSL", 5, "TG-PARTNER")
    decision = select_tunnel_group(
        device, client_certificate=contractor, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "TG-CONTRACTORS"
    partial = decision.considered[0]
    assert partial.rule.endswith("CM-SSL 5 TG-PARTNER") and not partial.matched
    assert "matched: 'subject-name attr ou eq contractors'" in partial.reason
    assert "failed: 'issuer-name attr cn eq partner issuing ca'" in partial.reason


def test_several_map_names_and_a_catch_all_sequence(employee: x509.Certificate) -> None:
    device = corp_device()
    add_group(device, "TG-EMPLOYEES")
    add_map(device, "CM-STAFF", 20, "subject-name attr ou co employ")
    add_map(device, "CM-LAST", 90)  # no criteria: every certificate
    route_ssl(device, "CM-LAST", 90, "TG-CORP")
    route_ssl(device, "CM-STAFF", 20, "TG-EMPLOYEES")
    decision = select_tunnel_group(
        device, client_certificate=employee, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "TG-EMPLOYEES"
    last = decision.considered[2]
    assert last.rule.endswith("CM-LAST 90 TG-CORP") and last.matched  # listed, not chosen


def test_a_map_naming_a_missing_sequence_or_an_l2l_group_never_routes(
    contractor: x509.Certificate,
) -> None:
    device = corp_device()
    add_group(device, "203.0.113.9", kind="ipsec-l2l")
    add_map(device, "CM-L2L", 1)
    route_ssl(device, "CM-L2L", 1, "203.0.113.9")
    route_ssl(device, "CM-GHOST", 2, "TG-CORP")
    decision = select_tunnel_group(
        device, client_certificate=contractor, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "TG-CONTRACTORS"
    assert "not a remote-access group" in decision.considered[0].reason
    assert "CM-GHOST 2 is not defined" in decision.considered[1].reason


def test_certificate_map_wins_over_group_url_by_default(contractor: x509.Certificate) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=contractor, group_url=CORP_URL, group_select=None
    )
    assert (decision.tunnel_group, decision.decided_by) == ("TG-CONTRACTORS", "certificate-map")
    url_rule = next(r for r in decision.considered if r.rank == "group-url")
    assert url_rule.matched  # it matched too, but ranks second
    assert decision.order == ("certificate-map", "group-url", "group-select", "default")


def test_tunnel_group_preference_group_url_swaps_the_two(contractor: x509.Certificate) -> None:
    device = corp_device()
    device.webvpn.prefer_group_url = True
    decision = select_tunnel_group(
        device, client_certificate=contractor, group_url=CORP_URL, group_select=None
    )
    assert (decision.tunnel_group, decision.decided_by) == ("TG-CORP", "group-url")
    assert decision.order[:2] == ("group-url", "certificate-map")
    # Without a URL match the certificate map still applies.
    other = select_tunnel_group(
        device,
        client_certificate=contractor,
        group_url="https://vpn.example.lab:8443/",
        group_select=None,
    )
    assert other.tunnel_group == "TG-CONTRACTORS"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (CORP_URL, "TG-CORP"),
        ("HTTPS://VPN.example.lab:8443/corp/", "TG-CORP"),  # host case, trailing slash
        ("https://vpn.example.lab/corp", "DefaultWEBVPNGroup"),  # port 443 is another URL
        ("https://vpn.example.lab:8443/Corp", "DefaultWEBVPNGroup"),  # the path keeps its case
        ("https://partner.example.lab:8443/corp", "DefaultWEBVPNGroup"),
        ("not a url", "DefaultWEBVPNGroup"),
    ],
)
def test_group_url_compares_scheme_host_port_and_path(url: str, expected: str) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=None, group_url=url, group_select=None
    )
    assert decision.tunnel_group == expected


def test_a_disabled_group_url_does_not_select() -> None:
    device = corp_device()
    device.tunnel_groups["TG-CORP"].group_urls[CORP_URL] = False
    decision = select_tunnel_group(
        device, client_certificate=None, group_url=CORP_URL, group_select=None
    )
    assert decision.tunnel_group == "DefaultWEBVPNGroup"
    assert "it is disabled" in decision.explanation


def test_group_select_picks_the_group_of_an_enabled_alias() -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=None, group_url=None, group_select="CONTRACTORS"
    )
    assert (decision.tunnel_group, decision.decided_by) == ("TG-CONTRACTORS", "group-select")
    assert decision.group_alias == "CONTRACTORS"
    assert decision.client_may_choose


def test_group_select_of_a_disabled_or_unknown_alias_is_ignored() -> None:
    device = corp_device()
    device.tunnel_groups["TG-CORP"].group_aliases["OLD"] = False
    disabled = select_tunnel_group(
        device, client_certificate=None, group_url=None, group_select="OLD"
    )
    unknown = select_tunnel_group(
        device, client_certificate=None, group_url=None, group_select="NOPE"
    )
    assert disabled.tunnel_group == unknown.tunnel_group == "DefaultWEBVPNGroup"
    assert "but it is disabled" in disabled.explanation
    assert "no tunnel-group has the alias 'NOPE'" in unknown.explanation


def test_group_select_cannot_override_a_group_url_or_a_certificate_map(
    contractor: x509.Certificate,
) -> None:
    by_url = select_tunnel_group(
        corp_device(), client_certificate=None, group_url=CORP_URL, group_select="CONTRACTORS"
    )
    by_map = select_tunnel_group(
        corp_device(), client_certificate=contractor, group_url=None, group_select="CORP"
    )
    assert (by_url.tunnel_group, by_url.decided_by) == ("TG-CORP", "group-url")
    assert (by_map.tunnel_group, by_map.decided_by) == ("TG-CONTRACTORS", "certificate-map")


def test_the_articles_tunnel_group_map_does_not_route_ssl(contractor: x509.Certificate) -> None:
    """PingLabz: ``tunnel-group-map enable rules`` + ``tunnel-group-map CONTRACTOR-MAP 10
    CONTRACTOR_PROFILE``, and no ``webvpn certificate-group-map``."""
    device = webvpn_device()
    add_group(device, "CONTRACTOR_PROFILE", authentication="certificate")
    add_map(device, "CONTRACTOR-MAP", 10, "subject-name attr ou eq Contractors")
    route_ike(device, "CONTRACTOR-MAP", 10, "CONTRACTOR_PROFILE")
    decision = select_tunnel_group(
        device, client_certificate=contractor, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "DefaultWEBVPNGroup"
    assert decision.considered[0].reason == "no certificate-group-map is configured under webvpn"
    (note,) = decision.notes
    assert note.startswith("'tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE' matches")
    assert "IKE (IPsec) connections only" in note
    assert "certificate-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE" in note
    assert note in decision.explanation


def test_a_tunnel_group_map_that_does_not_match_adds_no_claim(employee: x509.Certificate) -> None:
    device = webvpn_device()
    add_group(device, "CONTRACTOR_PROFILE")
    add_map(device, "CONTRACTOR-MAP", 10, "subject-name attr ou eq contractors")
    route_ike(device, "CONTRACTOR-MAP", 10, "CONTRACTOR_PROFILE")
    decision = select_tunnel_group(
        device, client_certificate=employee, group_url=None, group_select=None
    )
    assert decision.notes == ()


def test_the_explanation_lists_every_rule_considered(contractor: x509.Certificate) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=contractor, group_url=CORP_URL, group_select="CORP"
    )
    text = decision.explanation
    assert text.splitlines()[0].startswith("tunnel-group TG-CONTRACTORS chosen by certificate-map")
    for rank in ("[certificate-map]", "[group-url]", "[group-select]"):
        assert rank in text
    assert len(decision.considered) == 3


def test_without_a_certificate_the_map_rules_say_why(contractor: x509.Certificate) -> None:
    decision = select_tunnel_group(
        corp_device(), client_certificate=None, group_url=None, group_select=None
    )
    assert decision.considered[0].reason == "no valid client certificate on this connection"
