"""ARTICLE_FORM: the article's commands where the ASA documents another form."""

from __future__ import annotations

import datetime as dt

from harness.diagnose import ConfigLine, DeviceFacts, Diagnosis, Evidence, diagnose

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
GENERAL = "tunnel-group SSL_PROFILE general-attributes"
CARET = "                                  ^\nERROR: % Invalid input detected at '^' marker."


def _diagnose(*lines: ConfigLine) -> tuple[Diagnosis, ...]:
    return diagnose(Evidence(probe_clock=NOW, device=DeviceFacts(config_lines=lines)))


def test_rejected_authentication_under_general_attributes() -> None:
    [finding] = _diagnose(
        ConfigLine(" authentication aaa  certificate", CARET, GENERAL, rejected=True)
    )

    assert (finding.code, finding.severity) == ("ARTICLE_FORM", "failure")
    assert "webvpn-attributes" in finding.message and "Invalid input" in finding.message
    assert finding.fix == (
        "tunnel-group SSL_PROFILE webvpn-attributes",
        " authentication aaa certificate",
    )


def test_accepted_misplaced_authentication_is_a_warning() -> None:
    [finding] = _diagnose(ConfigLine(" authentication certificate", "", GENERAL))

    assert finding.severity == "warning" and "accepted it there" in finding.message


def test_authentication_in_the_right_place_is_fine() -> None:
    assert (
        _diagnose(ConfigLine(" authentication certificate", "", "tunnel-group X webvpn-attributes"))
        == ()
    )


def test_tunnel_group_map_for_anyconnect() -> None:
    found = _diagnose(
        ConfigLine("tunnel-group-map enable rules"),
        ConfigLine("tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE"),
    )

    [finding] = found
    assert (finding.code, finding.severity) == ("ARTICLE_FORM", "warning")
    assert "IKE/IPsec sessions only" in finding.message
    assert finding.fix == ("webvpn", " certificate-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE")


def test_tunnel_group_map_next_to_its_certificate_group_map_is_fine() -> None:
    assert (
        _diagnose(
            ConfigLine("tunnel-group-map CM 10 TG"),
            ConfigLine(" certificate-group-map CM 10 TG", parent="webvpn"),
        )
        == ()
    )
