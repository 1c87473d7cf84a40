"""The shared pieces: output framing, device times, durations, distinguished names."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.parse import DeviceTime, DistinguishedName, ParseError, canonical_key, parse_stamp
from harness.parse._command import CommandSpec
from harness.parse._text import output_lines
from harness.parse._time import parse_duration

SPEC = CommandSpec("show crypto ca certificates", max_arguments=1)


def texts(raw: str, **options: bool) -> list[tuple[int, str]]:
    return [(line.number, line.text) for line in output_lines(raw, SPEC, **options)]


def test_echo_prompt_crlf_and_trailing_spaces_are_removed() -> None:
    raw = (
        "\r\n\r\nasa-lab# sh cry ca cert TP  \r\n"
        "Certificate  \r\n  Status: Available\r\n\r\nasa-lab# \r\n"
    )
    assert texts(raw) == [(4, "Certificate"), (5, "  Status: Available")]


def test_echo_of_another_command_is_kept() -> None:
    assert texts("show clock\nCertificate") == [(1, "show clock"), (2, "Certificate")]


def test_config_prompts_and_elisions() -> None:
    raw = "asa-lab(config)# show crypto ca certificates\n...\nCertificate\n...\nasa-lab(config)#"
    assert texts(raw) == [(2, "..."), (3, "Certificate"), (4, "...")]
    assert texts(raw, drop_elisions=True) == [(3, "Certificate")]


@pytest.mark.parametrize(
    "answer",
    [
        "ERROR: % Invalid input detected at '^' marker.",
        "ERROR: % Incomplete command",
        'ERROR: % Ambiguous command:  "sh c"',
        "% Invalid input detected at '^' marker.",
        "ERROR: CA trustpoint 'X' is not known.",
    ],
)
def test_error_answers_raise(answer: str) -> None:
    with pytest.raises(ParseError) as caught:
        output_lines(f"show crypto ca certificates X\n{answer}\n", SPEC)
    assert (caught.value.line_number, caught.value.line) == (2, answer)


def test_command_errors_may_be_kept() -> None:
    raw = "Building configuration...\n%Error writing disk0:/x\nERROR: no storage"
    assert len(output_lines(raw, SPEC, keep_command_errors=True)) == 3
    with pytest.raises(ParseError):
        output_lines(
            "ERROR: % Invalid input detected at '^' marker.", SPEC, keep_command_errors=True
        )


@pytest.mark.parametrize(
    ("text", "moment", "zone"),
    [
        ("00:37:39 UTC May 10 2026", dt.datetime(2026, 5, 10, 0, 37, 39, tzinfo=dt.UTC), "UTC"),
        ("09:20:43 GMT Nov 1 2023", dt.datetime(2023, 11, 1, 9, 20, 43, tzinfo=dt.UTC), "GMT"),
        (
            "10:15:02.481 UTC Mon May 11 2026",
            dt.datetime(2026, 5, 11, 10, 15, 2, 481000, tzinfo=dt.UTC),
            "UTC",
        ),
        ("10:15:02 Z Mon May 11 2026", dt.datetime(2026, 5, 11, 10, 15, 2, tzinfo=dt.UTC), "Z"),
        ("02:21:42 GMT/BST Thu Dec 29 2022", dt.datetime(2022, 12, 29, 2, 21, 42), "GMT/BST"),
        ("9:05:00 EDT Jun 1 2025", dt.datetime(2025, 6, 1, 9, 5), "EDT"),
    ],
)
def test_stamps(text: str, moment: dt.datetime, zone: str) -> None:
    assert parse_stamp(text) == DeviceTime(moment, zone)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-05-10 00:37:39", "a time like"),
        ("00:37:39 UTC Mai 10 2026", "a time like"),
        ("00:37:39 UTC Feb 30 2026", "not a valid date"),
        ("24:00:00 UTC May 10 2026", "not a valid date"),
        ("00:37:39 UTC Sun May 10 2026 extra", "a time like"),
        ("00:37:39 UTC Mon May 10 2026", "May 10 2026 is a Sun"),
    ],
)
def test_bad_stamps(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stamp(text)


def test_zone_offsets_known_unknown_and_overridden() -> None:
    assert parse_stamp("08:00:00 MSK Jan 2 2026").moment.tzinfo is None
    aware = parse_stamp("08:00:00 MSK Jan 2 2026", {"MSK": dt.timedelta(hours=3)})
    assert aware.as_utc() == dt.datetime(2026, 1, 2, 5, 0, tzinfo=dt.UTC)
    assert parse_stamp("08:00:00 UTC Jan 2 2026", {"UTC": None}).moment.tzinfo is None
    assert str(aware) == "2026-01-02 08:00:00 MSK"


def test_durations() -> None:
    assert parse_duration("0h:00m:12s") == dt.timedelta(seconds=12)
    assert parse_duration("1d 12h:33m:07s") == dt.timedelta(days=1, hours=12, minutes=33, seconds=7)
    with pytest.raises(ValueError, match="a duration like"):
        parse_duration("12s")


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("CN", "CN"), ("cn", "CN"), ("2.5.4.3", "CN"), ("ou", "OU"), ("st", "ST"), ("sp", "ST"),
        ("ea", "emailAddress"), ("emailAddress", "emailAddress"), ("hostname", "unstructuredName"),
        ("unstructuredName", "unstructuredName"), ("ipaddress", "unstructuredAddress"),
        ("serialnumber", "serialNumber"), ("dc", "DC"), ("uid", "UID"), ("t", "title"),
        ("1.2.3.4", "1.2.3.4"), ("fancyKey", "fancyKey"),
    ],
)  # fmt: skip
def test_dn_key_spellings(printed: str, canonical: str) -> None:
    assert canonical_key(printed) == canonical


def test_distinguished_name_views() -> None:
    legacy = DistinguishedName(
        (("cn", "vpn"), ("ou", "A"), ("ou", "B"), ("hostname", "vpn.example.lab"))
    )
    modern = DistinguishedName(
        (("CN", "vpn"), ("OU", "A"), ("OU", "B"), ("unstructuredName", "vpn.example.lab"))
    )
    assert legacy != modern and legacy.same_name(modern)
    assert legacy.all_values("OU") == ("A", "B") and legacy.get("ou") == "A"
    assert legacy.get("O") is None and legacy.all_values("O") == ()
    assert legacy.normalised["unstructuredName"] == ("vpn.example.lab",)
    assert modern.oid_attributes()[0] == ("2.5.4.3", "vpn")
    assert not legacy.same_name(DistinguishedName((("CN", "vpn"), ("OU", "B"), ("OU", "A"))))
    odd = DistinguishedName((("CN", " lead, trail "), ("O", "#hash+plus")))
    assert odd.rfc4514() == "CN=\\ lead\\, trail\\ ,O=\\#hash\\+plus"


def test_distinguished_name_is_a_mapping_of_canonical_keys() -> None:
    legacy = DistinguishedName((("cn", "vpn"), ("dc", "example"), ("dc", "lab"), ("hostname", "h")))
    modern = DistinguishedName(
        (("CN", "vpn"), ("DC", "example"), ("DC", "lab"), ("unstructuredName", "h"))
    )
    assert dict(legacy) == dict(modern) == {"CN": "vpn", "DC": "example", "unstructuredName": "h"}
    assert legacy["CN"] == legacy["cn"] == legacy["2.5.4.3"] == "vpn"
    assert "hostname" in modern and "O" not in modern
    assert len(legacy) == 3
    with pytest.raises(KeyError):
        legacy["O"]
    assert legacy != modern and hash(legacy) != hash(modern)
    assert legacy == DistinguishedName(legacy.printed) and hash(legacy) == hash(
        DistinguishedName(legacy.printed)
    )
