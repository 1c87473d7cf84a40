from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from harness.run.matching import differences, matches, record_facts
from harness.timespec import parse_offset, parse_time

NOW = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("+30d", NOW + dt.timedelta(days=30)),
        ("-2h", NOW - dt.timedelta(hours=2)),
        ("+1w", NOW + dt.timedelta(weeks=1)),
        ("2030-01-01T00:00:00Z", dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        ("2030-01-01", dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_times(text: str, expected: dt.datetime) -> None:
    assert parse_time(text, NOW) == expected


def test_bad_times_and_offsets_are_explained() -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_time("tomorrow", NOW)
    with pytest.raises(ValueError, match="not an offset"):
        parse_offset("400 days")
    assert parse_offset("-1d") == -dt.timedelta(days=1)


@dataclass(frozen=True)
class Record:
    kind: str
    subject: tuple[tuple[str, str], ...]
    trustpoints: tuple[str, ...]

    @property
    def self_signed(self) -> bool:
        return True


def test_records_match_partially_with_nested_mappings_and_derived_values() -> None:
    facts = record_facts(Record("identity", (("CN", "vpn"), ("O", "Lab")), ("TP",)))
    assert facts["self_signed"] is True
    assert matches({"kind": "identity", "subject": {"CN": "vpn"}, "trustpoints": ["TP"]}, facts)
    assert not matches({"subject": {"CN": "other"}}, facts)
    assert not matches({"trustpoints": ["TP", "TP2"]}, facts)
    assert not matches({"self_signed": 1}, facts)
    assert differences({"kind": "ca", "subject": {"CN": "vpn"}}, facts) == {"kind": "identity"}
