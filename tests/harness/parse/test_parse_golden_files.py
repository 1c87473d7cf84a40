"""The golden files themselves: named by command and profile, each with its source."""

from __future__ import annotations

import pytest

from harness.parse import parse
from tests.harness.parse.parse_fixtures import TAGS, golden, golden_names

NAMES = golden_names()


def test_there_are_golden_files_for_every_parser() -> None:
    commands = {golden(name).command for name in NAMES}
    assert commands >= {
        "show crypto ca certificates",
        "show crypto ca trustpoints",
        "show ssl",
        "show ssl certificate",
        "show crypto key mypubkey rsa",
        "show crypto key mypubkey ecdsa",
        "show clock",
        "show vpn-sessiondb anyconnect",
        "show version",
        "show running-config",
        "write memory",
    }


@pytest.mark.parametrize("name", NAMES)
def test_header_names_source_tag_and_profile(name: str) -> None:
    fixture = golden(name)
    assert "source: asa-cli.md section" in fixture.header
    assert TAGS.search(fixture.header), "the header must carry a tag such as [REAL]"
    assert f"profile: {fixture.profile}" in fixture.header
    assert fixture.profile in ("9.23", "legacy", "any")


@pytest.mark.parametrize("name", NAMES)
def test_every_golden_file_parses_through_the_registry(name: str) -> None:
    fixture = golden(name)
    result = parse(fixture.command, fixture.text)
    assert result is not None
    if isinstance(result, list) and "no-sessions" not in name:
        assert result, f"{name} should give records"
