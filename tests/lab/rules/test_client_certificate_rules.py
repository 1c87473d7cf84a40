"""Client certificates: when the listener asks for one, which CAs it names, and the verdict
on a presented chain at the device's time."""

from __future__ import annotations

import datetime as dt

import pytest

from lab.emulator.device import Device, Trustpoint, WebvpnAuth
from lab.rules.client_certificate import (
    client_certificate_request,
    validate_client_certificate,
)
from tests.lab.rules.rule_devices import (
    RulePki,
    add_ca_trustpoint,
    add_group,
    add_map,
    route_ssl,
    webvpn_device,
)

DAY = dt.timedelta(days=1)


def test_no_request_without_certificate_authentication_or_maps(pki: RulePki) -> None:
    device = webvpn_device()
    add_group(device, "TG-CORP", aliases={"CORP": True})
    decision = client_certificate_request(device, "outside")
    assert not decision.request
    assert "no reachable tunnel-group uses certificate authentication" in decision.reasons[0]


@pytest.mark.parametrize("method", ["certificate", "aaa certificate"])
def test_a_reachable_certificate_group_makes_the_listener_ask(method: WebvpnAuth) -> None:
    device = webvpn_device()
    add_group(device, "TG-CERT", authentication=method, aliases={"CERT": True})
    decision = client_certificate_request(device, "outside")
    assert decision.request
    assert decision.reasons == (
        f"tunnel-group TG-CERT uses 'authentication {method}' and is reachable on outside "
        "(alias CERT)",
    )


def test_an_unreachable_certificate_group_does_not(pki: RulePki) -> None:
    device = webvpn_device()
    # No alias, no group-url, no map: no SSL client can land on it.
    add_group(device, "TG-HIDDEN", authentication="certificate")
    assert not client_certificate_request(device, "outside").request
    # The default group is always reachable.
    add_group(device, "DefaultWEBVPNGroup", authentication="certificate")
    assert client_certificate_request(device, "outside").request


def test_a_certificate_group_map_makes_the_listener_ask_everyone() -> None:
    device = webvpn_device()
    add_group(device, "TG-CONTRACTORS")
    add_map(device, "CM", 10, "subject-name attr ou eq contractors")
    route_ssl(device, "CM", 10, "TG-CONTRACTORS")
    decision = client_certificate_request(device, "outside")
    assert decision.request
    assert "asks every user for a client certificate" in decision.reasons[0]


def test_no_request_on_an_interface_without_webvpn() -> None:
    device = webvpn_device("outside")
    add_group(device, "DefaultWEBVPNGroup", authentication="certificate")
    decision = client_certificate_request(device, "inside")
    assert not decision.request
    assert decision.reasons == ("webvpn is not enabled on inside",)


def test_the_request_names_the_ca_trustpoints_that_validate_ssl_clients(pki: RulePki) -> None:
    device = webvpn_device()
    add_group(device, "DefaultWEBVPNGroup", authentication="certificate")
    add_ca_trustpoint(device, "TP-SERVER", pki.issuing.certificate, pki.root.certificate)
    add_ca_trustpoint(device, "CLIENT-CA", pki.root.certificate)  # same subject listed once
    add_ca_trustpoint(
        device, "IPSEC-ONLY", pki.stranger.certificate, validation_usage="ipsec-client"
    )
    add_ca_trustpoint(
        device, "BOTH", pki.stranger.certificate, validation_usage="ipsec-client ssl-client"
    )
    device.trustpoints["SELF"] = Trustpoint("SELF", enrollment="self")  # identity only
    decision = client_certificate_request(device, "outside")
    assert [ca.trustpoint for ca in decision.acceptable_cas] == [
        "TP-SERVER",
        "TP-SERVER",
        "CLIENT-CA",
        "BOTH",
    ]
    assert [name.rfc4514_string() for name in decision.ca_names] == [
        "CN=Rules Issuing CA",
        "CN=Rules Root CA",
        "CN=Stranger Root CA",
    ]


def client_ca_device(pki: RulePki, *cas: str) -> Device:
    device = webvpn_device()
    certificates = {"root": pki.root.certificate, "issuing": pki.issuing.certificate}
    add_ca_trustpoint(device, "CLIENT-CA", *(certificates[c] for c in cas))
    return device


def test_a_certificate_from_an_authenticated_issuing_ca_is_valid(pki: RulePki) -> None:
    device = client_ca_device(pki, "issuing")
    alice = pki.issuing.issue_client(CN="alice").certificate
    verdict = validate_client_certificate(device, [alice], device.clock.now_utc())
    assert verdict.valid and verdict.trustpoint == "CLIENT-CA" and verdict.certificate == alice
    assert "chains to trustpoint CLIENT-CA" in verdict.reason


def test_a_root_trustpoint_needs_the_client_to_send_the_intermediate(pki: RulePki) -> None:
    device = client_ca_device(pki, "root")
    alice = pki.issuing.issue_client(CN="alice").certificate
    now = device.clock.now_utc()
    assert validate_client_certificate(device, [alice, pki.issuing.certificate], now).valid
    alone = validate_client_certificate(device, [alice], now)
    assert not alone.valid and alone.failure == "unknown-ca"


def test_a_certificate_from_an_unknown_ca_is_rejected(pki: RulePki) -> None:
    device = client_ca_device(pki, "root", "issuing")
    mallory = pki.stranger.issue_client(CN="mallory").certificate
    verdict = validate_client_certificate(device, [mallory], device.clock.now_utc())
    assert (verdict.valid, verdict.failure) == (False, "unknown-ca")
    assert "does not chain to a CA certificate" in verdict.reason


def test_validity_is_judged_by_the_device_clock(pki: RulePki) -> None:
    device = client_ca_device(pki, "issuing")
    now = dt.datetime.now(dt.UTC)
    alice = pki.issuing.issue(
        {"CN": "alice"}, eku=("clientAuth",), not_before=now - 10 * DAY, not_after=now + 10 * DAY
    ).certificate
    assert validate_client_certificate(device, [alice], device.clock.now_utc()).valid

    device.clock.offset = dt.timedelta(days=30)  # ``clock set`` a month ahead
    late = validate_client_certificate(device, [alice], device.clock.now_utc())
    assert (late.valid, late.failure) == (False, "expired")
    assert "expired at" in late.reason and "the device clock says" in late.reason

    device.clock.offset = -dt.timedelta(days=30)  # a month behind
    early = validate_client_certificate(device, [alice], device.clock.now_utc())
    assert (early.valid, early.failure) == (False, "not-yet-valid")


def test_an_expired_trustpoint_ca_invalidates_the_chain(pki: RulePki) -> None:
    now = dt.datetime.now(dt.UTC)
    short_lived = pki.root.intermediate(
        "Short Issuing CA", not_before=now - DAY, not_after=now + 5 * DAY
    )
    device = webvpn_device()
    add_ca_trustpoint(device, "SHORT", short_lived.certificate)
    # The leaf outlives its issuer: on day 6 only the trustpoint's CA has expired.
    alice = short_lived.issue(
        {"CN": "alice"}, eku=("clientAuth",), not_before=now - DAY, not_after=now + 10 * DAY
    ).certificate
    assert validate_client_certificate(device, [alice], now + 2 * DAY).valid
    verdict = validate_client_certificate(device, [alice], now + 6 * DAY)
    assert verdict.failure == "expired"
    assert "CN=Short Issuing CA expired" in verdict.reason
    assert "the CA certificate of trustpoint SHORT" in verdict.reason


def test_no_certificate_and_no_client_ca(pki: RulePki) -> None:
    device = webvpn_device()
    now = device.clock.now_utc()
    absent = validate_client_certificate(device, [], now)
    assert (absent.valid, absent.presented, absent.failure) == (False, False, "absent")
    alice = pki.issuing.issue_client(CN="alice").certificate
    orphan = validate_client_certificate(device, [alice], now)
    assert orphan.failure == "no-client-ca" and orphan.presented


def test_an_ssl_server_only_trustpoint_does_not_validate_clients(pki: RulePki) -> None:
    device = webvpn_device()
    add_ca_trustpoint(device, "SERVER-ONLY", pki.issuing.certificate, validation_usage="ssl-server")
    alice = pki.issuing.issue_client(CN="alice").certificate
    verdict = validate_client_certificate(device, [alice], device.clock.now_utc())
    assert verdict.failure == "no-client-ca"
