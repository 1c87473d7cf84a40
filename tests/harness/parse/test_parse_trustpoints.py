"""show crypto ca trustpoints (layout RECONSTRUCTED: keyed on 'Trustpoint NAME:')."""

from __future__ import annotations

import pytest

from harness.parse import ParseError, parse_trustpoints
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise


def test_legacy_three_trustpoints() -> None:
    self_tp, client_ca, new = parse_trustpoints(
        golden("show_crypto_ca_trustpoints__legacy.txt").text
    )
    assert [tp.name for tp in (self_tp, client_ca, new)] == ["TP-SELF", "TP-CLIENT-CA", "TP-NEW"]
    assert self_tp.status == ("Configured for self-signed certificate generation.",)
    assert self_tp.configured_for_self_signed and self_tp.subject is None and self_tp.serial is None
    assert client_ca.subject is not None
    assert client_ca.subject.printed == (("cn", "CORP-ROOT-CA"), ("o", "Example Lab"))
    assert client_ca.serial == "5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01"
    assert client_ca.status == ("Certificate configured.",)
    assert client_ca.certificate_configured and client_ca.authenticated
    assert not client_ca.configured_for_self_signed
    assert new.status == ("Not authenticated.",)
    assert not new.authenticated and not new.certificate_configured


def test_923_single_trustpoint_with_upper_case_keys() -> None:
    fixture = golden("show_crypto_ca_trustpoints__9.23.txt")
    (tp,) = parse_trustpoints(fixture.text)
    assert tp.name == "TP-CLIENT-CA"
    assert tp.subject is not None and tp.subject.get("cn") == "CORP-ROOT-CA"
    legacy = parse_trustpoints(golden("show_crypto_ca_trustpoints__legacy.txt").text)[1]
    assert legacy.subject is not None and tp.subject.same_name(legacy.subject)
    assert parse_trustpoints(with_terminal_noise(fixture.text)) == [tp]


def test_ios_style_serial_line_is_accepted() -> None:
    text = (
        "Trustpoint TP-CA:\n    Subject Name:\n    cn=CA\n"
        "          Serial Number (hex): 01AB\n    Certificate configured.\n"
    )
    (tp,) = parse_trustpoints(text)
    assert tp.serial == "01ab"


def test_no_trustpoints() -> None:
    assert parse_trustpoints("") == []


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        ("Certificate configured.\n", 1, "'Trustpoint NAME:'"),
        ("Trustpoint TP-A:\n    Not authenticated.\nrandom text\n", 3, "indented line"),
        (
            "Trustpoint TP-A:\n    Subject Name:\n    Certificate configured.\n",
            1,
            "'key=value' lines",
        ),
        (
            "Trustpoint TP-A:\n    Subject Name:\n    cn=a\n    Subject Name:\n    cn=b\n",
            4,
            "one 'Subject Name:'",
        ),
        ("ERROR: % Invalid input detected at '^' marker.\n", 1, "not an error answer"),
    ],
)
def test_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_trustpoints(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected
